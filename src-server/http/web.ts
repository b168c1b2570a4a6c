/**
 * The web UI (R-WEB): the built renderer (`dist/renderer`) at `/`. Hashed assets under
 * `/assets/` are cached for a year (immutable); index.html and other files are revalidated every
 * time (no-cache), so a new release is picked up at once. Pre-compressed `.br`/`.gz` siblings are
 * served when present; everything else is compressed on the fly (satellite links).
 * Paths without a file extension fall back to index.html (the UI routes itself).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { sendFailure } from './errors';

const IMMUTABLE = 'public, max-age=31536000, immutable';

export async function webUi(app: FastifyInstance, uiDir: string | null): Promise<void> {
  const hasUi = !!uiDir && existsSync(join(uiDir, 'index.html'));
  if (hasUi) {
    await app.register(fastifyStatic, {
      root: uiDir!, prefix: '/', wildcard: true, index: ['index.html'], preCompressed: true,
      cacheControl: false, dotfiles: 'ignore',
      setHeaders: (reply: FastifyReply, path: string) => {
        const rel = path.slice(uiDir!.length).replace(/\\/g, '/');
        reply.header('Cache-Control', rel.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
      },
    });
  } else {
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache')
      .send('<!doctype html><html lang="ru"><meta charset="utf-8"><title>ejournal</title><p>Сервер электронного журнала работает. Веб-интерфейс ещё не собран: API — <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></html>'));
  }
  app.setNotFoundHandler(async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (path.startsWith('/api/')) return sendFailure(reply, 'not_found', `Нет такого адреса API: ${req.method} ${path.slice(0, 100)}`);
    if (hasUi && (req.method === 'GET' || req.method === 'HEAD') && !/\.[A-Za-z0-9]+$/.test(path)) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).type('text/plain; charset=utf-8').send('Страница не найдена');
  });
}
