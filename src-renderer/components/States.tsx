/** Loading, empty and error states, in Russian, the same everywhere. */
import type { ReactNode } from 'react';
import type { Failure } from '../app/data';

export function Loading({ what = 'Загрузка' }: { what?: string }) {
  return <div className="state state-loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" />{what}…</div>;
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return <div className="state state-empty"><p className="state-title">{title}</p>{children && <div className="state-text">{children}</div>}</div>;
}

/** A refusal or failure: the message, the clause it cites, and a way to try again. */
export function ErrorState({ error, retry, title = 'Не удалось загрузить' }: { error: Failure | undefined; retry?: () => void; title?: string }) {
  return (
    <div className="state state-error" role="alert">
      <p className="state-title"><span className="icon-error" aria-hidden="true">!</span>{title}</p>
      <p className="state-text">{error?.message ?? 'Неизвестная ошибка'}</p>
      {error?.requirement && <p className="state-cite">Требование {error.requirement}{error.clause ? `, ${error.clause} Положения` : ''}</p>}
      {retry && <button type="button" className="btn" onClick={retry}>Повторить</button>}
    </div>
  );
}

/** One rule's notice: the message and, separately, the clause it cites. */
export function NoticeLine({ level, message, clause, requirement }: { level: 'refuse' | 'warn' | 'input' | 'info'; message: string; clause?: string | undefined; requirement?: string | undefined }) {
  const label = level === 'refuse' ? 'Отказ' : level === 'warn' ? 'Предупреждение' : level === 'input' ? 'Ошибка ввода' : 'Сведения';
  return (
    <div className={`notice notice-${level}`}>
      <span className="notice-tag">{level === 'refuse' || level === 'input' ? '!' : level === 'warn' ? '⚠' : 'i'} {label}</span>
      <span className="notice-text">{message}</span>
      {(clause || requirement) && <span className="notice-cite">{[requirement, clause].filter(Boolean).join(' · ')}</span>}
    </div>
  );
}
