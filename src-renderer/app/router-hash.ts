/** The address → section and parameters (no React: boot.ts reads it before the app exists). */
export type Route = { section: string; params: string[] };

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  return { section: parts[0] ?? '', params: parts.slice(1) };
}
