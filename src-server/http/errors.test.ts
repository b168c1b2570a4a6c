/** A 500 says «internal error» and an incident number; the exception's text goes only to the log. */
import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { errorHandler } from './errors';
import { captureLog } from '../../test/support/server';

let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

async function serverThatThrows(err: Error) {
  const { logger, capture } = captureLog('info');
  app = Fastify({ loggerInstance: logger as unknown as FastifyBaseLogger });
  app.setErrorHandler(errorHandler);
  app.get('/boom', async () => { throw err; });
  app.post('/json', async () => ({ ok: true }));
  await app.ready();
  return capture;
}

describe('the HTTP error handler', () => {
  it('answers a handler that throws «secret detail» with a generic 500 and an incident number; the log has the detail under it', async () => {
    const capture = await serverThatThrows(new Error('secret detail: /srv/data/schools/tiny/replica.sqlite'));
    const r = await app!.inject({ method: 'GET', url: '/boom' });
    expect(r.statusCode).toBe(500);
    expect(r.body).not.toContain('secret detail');
    expect(r.body).not.toContain('replica.sqlite');
    const body = r.json() as { ok: boolean; error: { code: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('internal');
    const m = /^Внутренняя ошибка сервера: действие не выполнено, ничего не изменено\. Сообщите ответственному за техподдержку номер инцидента ([0-9a-f]{8})$/.exec(body.error.message);
    expect(m).not.toBeNull();
    const line = capture.lines.find((l) => l.includes(m![1]!));
    expect(line).toBeDefined();
    expect(line).toContain('secret detail');
  });

  it('keeps its Russian answers to a client\'s own mistakes (bad JSON is a 400, not a 500)', async () => {
    await serverThatThrows(new Error('unused'));
    const r = await app!.inject({ method: 'POST', url: '/json', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(r.statusCode).toBe(400);
    expect((r.json() as { error: { code: string } }).error.code).toBe('bad_input');
  });
});
