/**
 * One change from a dialog: calls a contract method, keeps «busy» and the refusal for the dialog
 * to show; a transport that throws is a refusal too, never an unhandled promise.
 */
import { useCallback, useState } from 'react';
import type { In, Method, Out } from '../../../../src-shared/contract/methods';
import { useTransport, type Failure } from '../../../app/data';

export interface Change {
  busy: boolean;
  failure: Failure | null;
  setFailure: (f: Failure | null) => void;
  /** The method's value, or null after a refusal (then `failure` says why). */
  run: <M extends Method>(method: M, input: In<M>) => Promise<Out<M> | null>;
}

export function useChange(): Change {
  const t = useTransport();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const run = useCallback(async <M extends Method>(method: M, input: In<M>): Promise<Out<M> | null> => {
    setBusy(true);
    setFailure(null);
    try {
      const r = await t.call(method, input);
      if (r.ok) return r.value;
      setFailure(r.error);
      return null;
    } catch {
      setFailure({ code: 'internal', message: 'Программа не ответила: действие не выполнено' });
      return null;
    } finally {
      setBusy(false);
    }
  }, [t]);
  return { busy, failure, setFailure, run };
}
