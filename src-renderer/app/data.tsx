/**
 * Data hooks on top of the transport: components ask for a contract method and get loading /
 * error / value states; no component calls `fetch` or the bridge itself.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { In, Method, Out, Result } from '../../src-shared/contract/methods';
import type { AppTransport } from '../transport';
import { keyOf, takePrefetched, takeSettled } from './early';

export { takePrefetched, takeSettled };

const TransportContext = createContext<AppTransport | null>(null);

export function TransportProvider({ transport, children }: { transport: AppTransport; children: ReactNode }) {
  return <TransportContext.Provider value={transport}>{children}</TransportContext.Provider>;
}

export function useTransport(): AppTransport {
  const t = useContext(TransportContext);
  if (!t) throw new Error('TransportProvider is missing');
  return t;
}

export type Failure = Extract<Result<unknown>, { ok: false }>['error'];

export interface Query<T> {
  status: 'loading' | 'error' | 'ready';
  /** The last value loaded (kept while a reload is on its way). */
  value: T | undefined;
  error: Failure | undefined;
  reload: () => void;
}

/**
 * Calls `method` with `input` and follows it as the input changes (compared as JSON). `input`
 * null: nothing to ask yet.
 */
export function useQuery<M extends Method>(method: M, input: In<M> | null): Query<Out<M>> {
  const t = useTransport();
  const key = input === null ? null : keyOf(method, input);
  const [state, setState] = useState<{ key: string | null; status: Query<Out<M>>['status']; value: Out<M> | undefined; error: Failure | undefined }>(() => {
    const done = input === null ? undefined : takeSettled(method, input);
    if (!done) return { key: null, status: 'loading', value: undefined, error: undefined };
    return done.ok ? { key, status: 'ready', value: done.value, error: undefined } : { key, status: 'error', value: undefined, error: done.error };
  });
  const initialKey = useRef(state.key);
  const [tick, setTick] = useState(0);
  const inputRef = useRef(input);
  inputRef.current = input;
  useEffect(() => {
    if (key === null) return;
    // Already answered from the early reads in the first render.
    if (tick === 0 && initialKey.current === key) { initialKey.current = null; return; }
    let live = true;
    setState((s) => ({ key, status: 'loading', value: s.key === key || tick > 0 ? s.value : undefined, error: undefined }));
    const pending = (tick === 0 ? takePrefetched(method, inputRef.current as In<M>) : undefined) ?? t.call(method, inputRef.current as In<M>);
    void pending.then((r) => {
      if (!live) return;
      setState(r.ok ? { key, status: 'ready', value: r.value, error: undefined } : { key, status: 'error', value: undefined, error: r.error });
    });
    return () => { live = false; };
  }, [t, method, key, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  if (key === null) return { status: 'loading', value: undefined, error: undefined, reload };
  return { status: state.key === key ? state.status : 'loading', value: state.key === key ? state.value : undefined, error: state.key === key ? state.error : undefined, reload };
}
