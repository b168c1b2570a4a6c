/**
 * Navigation and window guards of the desktop shell, electron-free. The window shows our
 * renderer and nothing else: navigation is allowed only inside `app://ejournal/`; every
 * `window.open` is denied. Decision: external links are NEVER opened — not even in the system
 * browser — the journal holds children's personal data and has no business sending a teacher
 * to a web page (a link to the regulation or the server can be printed or typed). So there is
 * no `shell.openExternal` anywhere in the shell.
 */
import { APP_HOST, APP_SCHEME } from './protocol';

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** `will-navigate` / `will-redirect` / `will-frame-navigate`: true = let it happen. */
export const allowNavigation = (url: string): boolean => isAppUrl(url);

/** `setWindowOpenHandler`: always deny (the PDF preview is opened by the main process, not by the page). */
export function windowOpenAction(_url: string): { action: 'deny' } {
  return { action: 'deny' };
}

/** Permission requests (camera, notifications, geolocation …): the journal needs none. */
export const allowPermission = (_permission: string): boolean => false;
