/**
 * Hash routes (`#/journal/k-5a-russian/y2026-t1`): the page survives a reload, the Electron shell
 * (app:// protocol) needs no server-side routing, and the back button works.
 */
import { useEffect, useState } from 'react';

import { parseHash, type Route } from './router-hash';

export { parseHash, type Route };

export function href(section: string, ...params: (string | null | undefined)[]): string {
  const tail = params.filter((p): p is string => typeof p === 'string' && p !== '').map(encodeURIComponent);
  return `#/${[section, ...tail].join('/')}`;
}

export function navigate(section: string, ...params: (string | null | undefined)[]): void {
  const next = href(section, ...params);
  if (window.location.hash !== next) window.location.hash = next;
}

/** Replaces the current entry (a default filled in, not a step the user took). */
export function redirect(section: string, ...params: (string | null | undefined)[]): void {
  const next = href(section, ...params);
  if (window.location.hash !== next) window.history.replaceState(null, '', next);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute((r) => { const n = parseHash(window.location.hash); return r.section === n.section && r.params.join('/') === n.params.join('/') ? r : n; });
    window.addEventListener('hashchange', on);
    // A child may have redirected before this effect subscribed (children's effects run first).
    on();
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
