/**
 * The server's log holds no passwords, tokens, cookies, verifiers or children's personal data:
 * a whole session (logins, a diary, marks, refusals, errors) is captured and grepped.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { T } from '../test/support/tiny-school';
import { storeKinds, type StoreHandle, removeTempDirs } from '../test/support/stores';
import { PASSWORD, schoolFile, startServer, type TestServer } from '../test/support/server';
import { createLogger } from './log';
import { Writable } from 'node:stream';

/**
 * The log captured line by line, and `until(test)`: resolves with the first line that passes, as
 * soon as it is written (a request's own line comes from its onResponse hook, after inject answers).
 */
function captureLogLines(level: string) {
  const lines: string[] = [];
  const waiting: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        lines.push(line);
        for (const w of waiting.filter((x) => x.test(line))) { waiting.splice(waiting.indexOf(w), 1); w.resolve(line); }
      }
      done();
    },
  });
  const until = (test: (line: string) => boolean) => new Promise<string>((resolve) => {
    const seen = lines.find(test);
    if (seen !== undefined) resolve(seen);
    else waiting.push({ test, resolve });
  });
  return { logger: createLogger({ level, destination: destination as never }), lines, text: () => lines.join('\n'), until };
}

afterAll(removeTempDirs);

describe('server log', () => {
  let h: StoreHandle | undefined;
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    await h?.cleanup();
  });

  it('records requests and logins but no secrets and no personal data', async () => {
    const capture = captureLogLines('debug');
    const { logger } = capture;
    h = await storeKinds()[0]!.open();
    t = await startServer(h, { schools: [{ id: 'tiny', file: schoolFile() }], logger });
    const teacher = await t.cookie('teacher');
    const parent = await t.cookie('parent');
    const bearer = await t.login('admin', PASSWORD, { session: 'bearer' });
    const token = (bearer.body.value as { token: string }).token;
    await t.login('teacher', 'совсем-не-тот-пароль');
    await t.login('Петров', PASSWORD);
    await t.rpc(teacher, 'mark.set', { lessonId: T.lessons[0], marks: [{ studentId: T.students[0], value: '5', comment: 'Петров молодец' }] });
    await t.rpc(parent, 'diary.week', { studentId: T.students[0], week: '2026-09-07' });
    await t.rpc(parent, 'diary.week', { studentId: T.otherStudent, week: '2026-09-07' });
    await t.server.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    await t.server.app.inject({ method: 'POST', url: '/api/v1/rpc/mark.set?student=Петров', headers: { cookie: teacher, 'content-type': 'application/json' }, payload: '{"broken' });
    await t.server.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: parent }, payload: {} });
    // The last request's own line ends the session's log.
    await capture.until((line) => line.includes('"msg":"request"') && line.includes('"path":"/api/v1/auth/logout"'));

    const text = capture.text();
    expect(capture.lines.length).toBeGreaterThan(8);
    for (const line of capture.lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(text).toMatch(/"msg":"login"/);
    expect(text).toMatch(/"msg":"login refused"/);
    expect(text).toMatch(/"path":"\/api\/v1\/rpc\/diary.week"/);
    const forbidden = [
      PASSWORD, 'совсем-не-тот-пароль', token, teacher.split('=')[1]!, parent.split('=')[1]!, 'scrypt$', 'ej_session',
      // Children's (and parents') personal data of the tiny school:
      'Петров', 'Пётр', 'Вануйто', 'Ёлкина', 'Худи', 'Петрова', 'молодец',
    ];
    for (const secret of forbidden) expect(text, `the log contains «${secret}»`).not.toContain(secret);
  });

  it('redacts secrets even when code logs them by mistake', () => {
    const lines: string[] = [];
    const log = createLogger({ destination: new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } }) as never });
    log.info({ password: 'p1', token: 't1', user: { password: 'p2', verifier: 'scrypt$1' }, headers: { cookie: 'c1' }, body: { x: 1 } }, 'oops');
    log.flush();
    const text = lines.join('');
    expect(text).toContain('oops');
    for (const s of ['p1', 't1', 'p2', 'scrypt$1', 'c1', '"x":1']) expect(text).not.toContain(s);
  });
});
