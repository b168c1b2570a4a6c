import { describe, expect, it } from 'vitest';
import { passwordWeakness } from './password';

describe('the least a chosen password must be (R-ACCOUNTS, п. 10.1–10.2)', () => {
  it('7 characters are too few, 8 will do; letters are counted, not bytes', () => {
    expect(passwordWeakness('ivanov', 'Пароль7')).toBe('в нём меньше 8 символов');
    expect(passwordWeakness('ivanov', 'Пароль78')).toBeNull();
  });
  it('refuses digits only, however long', () => {
    expect(passwordWeakness('ivanov', '1234567890123')).toBe('в нём только цифры');
  });
  it('refuses the login itself, in any case and with spaces around', () => {
    expect(passwordWeakness('Ivanov.AP', ' ivanov.ap ')).toBe('он совпадает с логином');
    expect(passwordWeakness('ivanov.ap', 'ivanov.ap1')).toBeNull();
  });
});
