/**
 * Security headers on every answer: a strict Content-Security-Policy (the UI is same-origin
 * scripts and styles only — no inline code, no third parties), no framing, no sniffing, no
 * referrer; API answers carry personal data and are never cached.
 */
import type { FastifyInstance } from 'fastify';

export const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(app: FastifyInstance): void {
  // Set when the request arrives (a plain callback: no promise per request); every answer,
  // also errors and 404s, carries them.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    if (req.protocol === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (req.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    done();
  });
}
