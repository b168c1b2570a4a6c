/**
 * The HTTP face of the result envelope: every answer, also a transport-level refusal, is
 * `{ ok: false, error: { code, message } }` with a Russian message and the matching status.
 * A client's mistake is a 4xx with a clear message, never a 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode, Result } from '../../src-shared/contract/methods';
import { internalErrorMessage, newIncidentId } from '../../src-main/commands/incident';

/** The contract's codes, plus what only HTTP can say (sync: a client outside the version window). */
export type HttpErrorCode = ErrorCode | 'upgrade_required' | 'unavailable';

const STATUS: Record<HttpErrorCode, number> = {
  unknown_method: 404, bad_input: 400, unauthenticated: 401, forbidden: 403, not_found: 404, blocked: 403,
  refused: 422, conflict: 409, internal: 500, rate_limited: 429, too_large: 413, unsupported_media_type: 415,
  upgrade_required: 426, unavailable: 503,
};

export function statusOf(r: Result<unknown>): number {
  return r.ok ? 200 : STATUS[r.error.code as HttpErrorCode] ?? 500;
}

/** `reason`: a finer code a client acts on (e.g. `device_revoked` under `unauthenticated`). */
export function failure(code: HttpErrorCode, message: string, reason?: string): { ok: false; error: { code: HttpErrorCode; message: string; reason?: string } } {
  return { ok: false, error: { code, message, ...(reason ? { reason } : {}) } };
}

export function sendFailure(reply: FastifyReply, code: HttpErrorCode, message: string, reason?: string): FastifyReply {
  return reply.code(STATUS[code]).send(failure(code, message, reason));
}

export const BODY_LIMIT = 256 * 1024;
/** A list file for import (R-IMPORT): 50 MB as base64 in JSON; only on its two routes, only for the administrator. */
export const UPLOAD_BODY_LIMIT = 72 * 1024 * 1024;

/**
 * Fastify's own errors (body parsing, limits) in Russian; anything unexpected is a 500 that says
 * only «internal error» and an incident number — the error itself (its text may name files,
 * tables or SQL) goes to the log under that number, never to the client.
 */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      sendFailure(reply, 'too_large', req.url.startsWith('/api/v1/rpc/import.')
        ? 'Файл слишком большой: не больше 50 МБ. Разделите список на несколько файлов (например, по параллелям)'
        : `Слишком большой запрос: не больше ${BODY_LIMIT / 1024} КБ`);
      return;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      sendFailure(reply, 'unsupported_media_type', 'Запрос должен быть в формате JSON (Content-Type: application/json)');
      return;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      sendFailure(reply, 'bad_input', 'Пустое тело запроса: отправьте JSON, например {}');
      return;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      sendFailure(reply, 'bad_input', 'Тело запроса — не JSON: проверьте кавычки и скобки');
      return;
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      sendFailure(reply, 'bad_input', 'Неверная длина запроса (Content-Length)');
      return;
    case 'FST_ERR_BAD_URL':
      sendFailure(reply, 'bad_input', 'Неверный адрес запроса');
      return;
    default:
      break;
  }
  if (err instanceof SyntaxError || (err.statusCode === 400 && err.code?.startsWith('FST_ERR_CTP'))) {
    sendFailure(reply, 'bad_input', 'Тело запроса — не JSON: проверьте кавычки и скобки');
    return;
  }
  if (err.statusCode === 503) {
    // A school's replica is being rebuilt (schools/integrity.ts): its own Russian message, retry later.
    req.log.warn({ type: err.name, message: err.message }, 'unavailable');
    reply.header('Retry-After', '60');
    sendFailure(reply, 'unavailable', err.message);
    return;
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    req.log.info({ code: err.code, status: err.statusCode }, 'client error');
    sendFailure(reply, err.statusCode === 404 ? 'not_found' : 'bad_input', 'Неверный запрос');
    return;
  }
  const incident = newIncidentId();
  req.log.error({ incident, err: { type: err.name, message: err.message, code: err.code, stack: err.stack } }, 'unhandled error');
  sendFailure(reply, 'internal', internalErrorMessage('сервера', incident));
}
