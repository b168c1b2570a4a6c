/**
 * The desktop shell's own methods: what the window asks the Electron main process beyond the
 * contract — the session on this computer, sync, enrolment, printing (docs/desktop.md). One table,
 * like `methods` (methods.ts): the IPC handler (src-main/desktop/ipc.ts) parses every input with
 * it; the preload's `window.ejournal` (src-main/electron/preload.ts) and the renderer's transport
 * (src-renderer/transport/ipc.ts) are typed by it. Outputs are made by the main process and not
 * parsed again; their schemas give the window its types.
 *
 * The bridge is one function, `call(method, input)`, over one IPC channel: a contract method goes
 * to `dispatch` (its allow-list and schemas), a `desktop.*` method to the shell; plus `on` for the
 * main process's events.
 */
import { z } from 'zod';
import type { SyncStatus } from '../sync/status';
import type { In, Method, Out, Result } from './methods';

/** The contract's methods whose answer is a PDF (`pdfBase64`): the main process previews or saves it. */
export const PRINT_METHODS = ['report.weekly', 'report.annual', 'report.summary', 'breach.act'] as const satisfies readonly Method[];
export type PrintMethod = (typeof PRINT_METHODS)[number];

/** Built by the main process (src-main/desktop/sync.ts `DesktopSync.status()`). */
const SyncStatusOut = z.custom<SyncStatus>();
const noInput = z.object({});
const login = z.string().max(64);
const password = z.string().max(256);

export const desktopMethods = {
  /** Offline login against this journal's verifiers; the session lives in the main process. */
  'desktop.login': { input: z.object({ login, password }), output: z.null() },
  'desktop.logout': { input: noInput, output: z.null() },
  /** Keys or pointer in the window: the session stays unlocked (the preload sends it at most every 30 s). */
  'desktop.activity': { input: noInput, output: z.null() },
  /** «Синхронизировать сейчас»: the run is reported by `{ type: 'sync' }` events. */
  'desktop.syncNow': { input: noInput, output: z.null() },
  'desktop.syncStatus': { input: noInput, output: SyncStatusOut },
  /** The logged-in account has read these sync notices (its own ops' seqs). */
  'desktop.dismiss': { input: z.object({ seqs: z.array(z.number().int().positive()).max(500) }), output: z.null() },
  /** Enrolment of this computer by the school's technical administrator (docs/desktop.md). */
  'desktop.enrol': {
    input: z.object({ serverUrl: z.string().max(300), login, password, name: z.string().max(120) }),
    output: z.object({ schoolId: z.string(), deviceId: z.string(), name: z.string(), sync: SyncStatusOut }),
  },
  /** A report as a PDF made by the main process: a preview window (print from there) or «save as». */
  'desktop.print': {
    // The report's own input is parsed once, by `dispatch`.
    input: z.object({ method: z.enum(PRINT_METHODS), input: z.custom<In<PrintMethod>>(), action: z.enum(['preview', 'save']) }),
    output: z.union([z.object({ preview: z.literal(true) }), z.object({ saved: z.boolean() })]),
  },
} as const;

export type DesktopMethod = keyof typeof desktopMethods;
export type DesktopIn<M extends DesktopMethod> = z.input<(typeof desktopMethods)[M]['input']>;
export type DesktopOut<M extends DesktopMethod> = z.output<(typeof desktopMethods)[M]['output']>;

export function isDesktopMethod(m: string): m is DesktopMethod {
  return Object.hasOwn(desktopMethods, m);
}

/** Any method the window calls over the bridge: the contract's or the shell's own. */
export type BridgeMethod = Method | DesktopMethod;
export type BridgeIn<M extends BridgeMethod> = M extends DesktopMethod ? DesktopIn<M> : M extends Method ? In<M> : never;
export type BridgeOut<M extends BridgeMethod> = M extends DesktopMethod ? DesktopOut<M> : M extends Method ? Out<M> : never;

/** One message on the IPC channel, window → main. */
export const BridgeMessage = z.object({ method: z.string().max(100), input: z.unknown() });

/** Events on the channel, main → window: the inactivity lock, «Выйти» from the menu, the sync status. */
export type DesktopEvent = { type: 'locked' } | { type: 'logout' } | { type: 'sync'; status: SyncStatus };

/** `window.ejournal`, exposed by the preload: one function that forwards to the one channel, and events. */
export interface EjournalBridge {
  call<M extends BridgeMethod>(method: M, input: BridgeIn<M>): Promise<Result<BridgeOut<M>>>;
  /** Returns the unsubscribe. */
  on(listener: (event: DesktopEvent) => void): () => void;
}
