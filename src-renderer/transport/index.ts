import { httpTransport } from './http';
import { ipcTransport } from './ipc';
import type { AppTransport } from './types';

/** The Electron shell provides `window.ejournal`; a browser does not. */
export function defaultTransport(): AppTransport {
  return typeof window !== 'undefined' && window.ejournal ? ipcTransport(window.ejournal) : httpTransport();
}

export type { AppTransport, Connection } from './types';
