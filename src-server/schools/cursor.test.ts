/** A server replica's cursor is `sync.cursor`, as on a school computer; a replica file made before 0.2 still opens (`server_seq`). */
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../src-main/journal/open';
import { cursorOf } from './replica';

describe('the server replica\'s cursor', () => {
  it('reads sync.cursor, falls back to the older server_seq, and is undefined when neither is there', () => {
    const j = openJournal(':memory:', { create: true, durability: 'off' });
    expect(cursorOf(j)).toBeUndefined();
    j.setMeta('server_seq', '5');
    expect(cursorOf(j)).toBe(5);
    j.setMeta('sync.cursor', '7');
    expect(cursorOf(j)).toBe(7);
    j.close();
  });
});
