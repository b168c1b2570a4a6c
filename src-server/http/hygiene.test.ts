/**
 * The black-box probe of finding «Hygiene», replayed against the server: control characters,
 * impossible dates, empty updates and a payload nested 10 000 deep are refused at the edge with
 * a Russian message, and nothing is stored.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { PushAnswer } from '../../src-shared/sync/protocol';
import { stateChecksum } from '../../src-main/journal/checksum';
import { T } from '../../test/support/tiny-school';
import { storeKinds, removeTempDirs, type StoreHandle } from '../../test/support/stores';
import { deviceToken, schoolFile, startServer, type TestServer } from '../../test/support/server';

afterAll(removeTempDirs);

const HLC = '2026-09-10T04:30:00.000Z-0000';

for (const kind of storeKinds()) {
  describe(`input hygiene at the server: ${kind.name} store`, () => {
    let h: StoreHandle | undefined;
    let t: TestServer | undefined;
    afterEach(async () => {
      await t?.close();
      await h?.cleanup();
      t = h = undefined;
    });
    async function open(): Promise<TestServer> {
      h = await kind.open();
      t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }] });
      return t;
    }
    async function fingerprint(s: TestServer): Promise<string> {
      const r = await s.server.schools.get('tiny');
      return `${(await s.server.store.school('tiny'))!.head}:${stateChecksum(r.view.sqlite)}`;
    }

    it('refuses a login with a control character, naming it', async () => {
      const s = await open();
      const r = await s.login('teacher\u0007');
      expect(r.status).toBe(400);
      expect((r.body.error as { message: string }).message).toContain('Логин: недопустимый управляющий символ U+0007 (BEL)');
    });

    it('refuses a topic with U+202E, an empty lesson.update and the week 9999-99-99 over rpc; nothing changes', async () => {
      const s = await open();
      const before = await fingerprint(s);
      const cookie = await s.cookie('teacher');
      const rlo = await s.rpc(cookie, 'lesson.update', { id: T.lessons[0], topic: 'Имя \u202Eеонтелагирп' });
      expect(rlo.status).toBe(400);
      expect(rlo.body.error!.message).toContain('Тема урока: недопустимый управляющий символ U+202E');
      const nul = await s.rpc(cookie, 'lesson.update', { id: T.lessons[0], homework: 'упр.\u0000 5' });
      expect(nul.status).toBe(400);
      expect(nul.body.error!.message).toContain('Домашнее задание: недопустимый управляющий символ U+0000 (NUL)');
      const empty = await s.rpc(cookie, 'lesson.update', { id: T.lessons[0], colour: 'red' });
      expect(empty.status).toBe(400);
      expect(empty.body.error!.message).toContain('Нечего изменять');
      const parent = await s.cookie('parent');
      const week = await s.rpc(parent, 'diary.week', { studentId: T.students[0], week: '9999-99-99' });
      expect(week.status).toBe(400);
      expect(week.body.error!.message).toBe('Неверные данные для «diary.week»: week: дата 9999-99-99: месяца 99 не бывает');
      expect(await fingerprint(s)).toBe(before);
    });

    it('rejects pushed ops with ESC in a topic, an empty update and a payload nested 10 000 deep, each with a Russian message', async () => {
      const s = await open();
      const before = await fingerprint(s);
      const token = await deviceToken(s, 'pc1', 'Кабинет 5', { signIn: ['teacher'] });
      // Written by hand: JSON.stringify itself overflows on it, as a hostile client's body is not.
      const DEEP = 'DEEP';
      const deep = '['.repeat(10_000) + ']'.repeat(10_000);
      const op = (seq: number, kind: string, payload: unknown) => ({ device: 'pc1', seq, author: T.teacherAcc, kind, version: 1, hlc: HLC, payload });
      const ops = [
        op(1, 'lesson.update', { id: T.lessons[0], topic: 'Тема\u001b[31m' }),
        op(2, 'lesson.update', { id: T.lessons[0], note2: 'x' }),
        op(3, 'setting.set', [3, 'rules', DEEP]),
        op(4, 'lesson.update', [1, T.lessons[0]]), // packed, the id only
      ];
      const body = JSON.stringify({ proto: 1, schema: 4, device: 'pc1', ops }).replace(`"${DEEP}"`, deep);
      const r = await s.server.app.inject({ method: 'POST', url: '/api/v1/sync/push', payload: body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
      expect(r.statusCode, r.body).toBe(200);
      const acks = (r.json() as { value: PushAnswer }).value.acks;
      expect(acks.map((a) => ('code' in a ? a.code : a.status))).toEqual(['bad_payload', 'bad_payload', 'bad_envelope', 'bad_payload']);
      const messages = acks.map((a) => ('message' in a ? a.message : ''));
      expect(messages[0]).toContain('Тема урока: недопустимый управляющий символ U+001B (ESC)');
      expect(messages[1]).toContain('Нечего изменять');
      expect(messages[2]).toBe('Повреждённая операция: вложенность данных глубже 32 уровней');
      expect(messages[3]).toContain('Нечего изменять');
      expect(r.body).not.toMatch(/call stack|RangeError/);
      expect(await fingerprint(s)).toBe(before);
    });
  });
}
