/**
 * The server's structured log (pino): requests, starts, rebuilds, failures — in English, one JSON
 * line each. Never passwords, tokens, cookies, verifiers or children's personal data: the request
 * serializer keeps only method, path and status (no headers, no query, no bodies); account and
 * school ids are opaque; and redaction catches these fields if they are ever logged by mistake
 * (a test greps the captured log).
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACT = [
  'password', '*.password', 'token', '*.token', 'verifier', '*.verifier', 'cookie', '*.cookie', 'authorization', '*.authorization',
  'req.headers', 'res.headers', 'headers', 'body', '*.body', 'login', '*.login', 'input', '*.input', 'value', '*.value',
];

export function createLogger(o: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino({
    level: o.level ?? 'info',
    base: { service: 'ejournal-server' },
    redact: { paths: REDACT, censor: '[скрыто]' },
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, path: (req.url ?? '').split('?')[0] }),
      res: (res: { statusCode?: number }) => ({ status: res.statusCode }),
    },
  }, o.destination ?? pino.destination({ dest: 1, sync: false }));
}
