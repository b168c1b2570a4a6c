/**
 * The first page's reads, started before React (and most of the bundle) is even parsed:
 * `boot.ts` — a tiny entry of its own — knows from the address what the page will ask for and
 * asks at once; the page's `useQuery` then takes the answer instead of asking again. No React
 * here: this module is shared by the two entries.
 */
import type { In, Method, Out, Result } from '../../src-shared/contract/methods';
import type { AppTransport } from '../transport/types';
import { defaultTransport } from '../transport';
import { parseHash } from './router-hash';

export const keyOf = (method: Method, input: unknown) => `${method} ${JSON.stringify(input)}`;
const early = new Map<string, { at: number; promise: Promise<Result<unknown>>; settled?: Result<unknown> }>();
const EARLY_MS = 10_000;
let transport: AppTransport | null = null;

export function prefetch<M extends Method>(t: AppTransport, method: M, input: In<M>): void {
  const entry: { at: number; promise: Promise<Result<unknown>>; settled?: Result<unknown> } = { at: Date.now(), promise: t.call(method, input) };
  void entry.promise.then((r) => { entry.settled = r; });
  early.set(keyOf(method, input), entry);
}

/**
 * The prefetched answer if it has already arrived (taken, once): the page renders with it in its
 * very first render instead of waiting a render-and-effect round per level.
 */
export function takeSettled<M extends Method>(method: M, input: In<M>): Result<Out<M>> | undefined {
  const k = keyOf(method, input);
  const e = early.get(k);
  if (!e?.settled || Date.now() - e.at >= EARLY_MS) return undefined;
  early.delete(k);
  return e.settled as Result<Out<M>>;
}

/** The prefetched answer for this call, once (and only while fresh). */
export function takePrefetched<M extends Method>(method: M, input: In<M>): Promise<Result<Out<M>>> | undefined {
  const k = keyOf(method, input);
  const e = early.get(k);
  if (!e) return undefined;
  early.delete(k);
  return Date.now() - e.at < EARLY_MS ? (e.promise as Promise<Result<Out<M>>>) : undefined;
}

/**
 * Waits (at most `budgetMs`) for the early reads, so that the app's first render already has
 * them: one render of the whole page instead of a cascade of partial ones.
 */
export function earlyReads(budgetMs: number): Promise<void> {
  const all = Promise.allSettled([...early.values()].map((e) => e.promise.then(() => undefined)));
  return Promise.race([all.then(() => undefined), new Promise<void>((done) => setTimeout(done, budgetMs))]);
}

/** The one transport of the page: made by boot.ts, used by the app. */
export function appTransport(): AppTransport {
  transport ??= defaultTransport();
  return transport;
}

/** Asks for what the page at this address will need first. */
export function startEarly(hash: string): void {
  const t = appTransport();
  prefetch(t, 'session.get', {});
  const first = parseHash(hash);
  if (first.section === 'journal' && first.params[0] && first.params[1]) {
    prefetch(t, 'courses.list', {});
    prefetch(t, 'gradebook.get', { courseId: first.params[0], ...(first.params[1] !== 'year' ? { periodId: first.params[1] } : {}) });
  }
}
