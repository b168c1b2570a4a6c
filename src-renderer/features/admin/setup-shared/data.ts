/**
 * The set-up pages' data: `setup.get` loaded once and refreshed after every change, and one
 * contract call per save whose refusal comes back with its clause (message, requirement, clause).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SetupView } from '../../../../src-shared/contract/admin';
import type { In, Method, Notice } from '../../../../src-shared/contract/methods';
import { useTransport, type Failure } from '../../../app/data';

/** Why a save did not happen: the server's refusal or the page's own check before sending. */
export interface Problem { level: 'refuse' | 'input'; message: string; requirement?: string | undefined; clause?: string | undefined }
export type Outcome = { ok: true; warnings: Notice[] } | { ok: false; problem: Problem };

export const inputProblem = (message: string): Outcome => ({ ok: false, problem: { level: 'input', message } });

/** A failure as the page shows it; a rule's refusal may carry its clause only in its notice. */
export function problemOf(e: Failure): Problem {
  const n = e.notices?.find((x) => x.level === 'refuse' && (x.requirement || x.clause));
  return {
    level: e.code === 'bad_input' ? 'input' : 'refuse',
    message: e.message,
    requirement: e.requirement ?? n?.requirement,
    clause: e.clause ?? n?.clause,
  };
}

export interface SetupData {
  status: 'loading' | 'error' | 'ready';
  value: SetupView | undefined;
  error: Failure | undefined;
  /** Loads again; resolves when the new set-up is on screen. */
  refresh: () => Promise<void>;
}

export function useSetup(): SetupData {
  const t = useTransport();
  const [state, setState] = useState<Omit<SetupData, 'refresh'>>({ status: 'loading', value: undefined, error: undefined });
  const live = useRef(true);
  const refresh = useCallback(async () => {
    const r = await t.call('setup.get', {});
    if (!live.current) return;
    setState((s) => (r.ok ? { status: 'ready', value: r.value, error: undefined } : { status: s.value ? 'ready' : 'error', value: s.value, error: r.error }));
  }, [t]);
  useEffect(() => {
    live.current = true;
    void refresh();
    return () => { live.current = false; };
  }, [refresh]);
  return { ...state, refresh };
}

/** Calls one change method; on success waits for the set-up to reload, so the table shows what was saved. */
export function useChange(refresh: () => Promise<void>) {
  const t = useTransport();
  return useCallback(async <M extends Method>(method: M, input: In<M>, opts: { reload?: boolean } = {}): Promise<Outcome> => {
    const r = await t.call(method, input);
    if (!r.ok) return { ok: false, problem: problemOf(r.error) };
    if (opts.reload !== false) await refresh();
    const warnings = (r.value as { warnings?: Notice[] } | null)?.warnings ?? [];
    return { ok: true, warnings };
  }, [t, refresh]);
}
