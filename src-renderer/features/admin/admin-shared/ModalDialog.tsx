/**
 * A modal dialog (the administration screens, the password's change): title, content, Escape or
 * a click outside closes it, Tab stays inside, the first field takes the focus, and the focus goes back to
 * where it was when the dialog closes.
 */
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { Failure } from '../../../app/data';
import { NoticeLine } from '../../../components/States';

const FOCUSABLE = 'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/** `keepOnBackdrop`: a click beside the dialog does not close it (what it shows is shown once). */
export function ModalDialog({ title, meta, wide, keepOnBackdrop, onClose, children }: { title: string; meta?: ReactNode; wide?: boolean; keepOnBackdrop?: boolean; onClose: () => void; children: ReactNode }) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const el = box.current;
    const first = el?.querySelector<HTMLElement>('[data-autofocus]') ?? el?.querySelector<HTMLElement>('input:not([disabled]):not([type="hidden"]), select, textarea') ?? el?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => { if (opener && document.contains(opener)) opener.focus(); };
  }, []);
  // Escape closes the top dialog wherever the focus is (a button disabled while saving drops it to the page).
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const onEscape = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const open = document.querySelectorAll('.modal[aria-modal="true"]');
      if (open[open.length - 1] !== box.current) return;
      e.preventDefault();
      close.current();
    };
    document.addEventListener('keydown', onEscape);
    return () => document.removeEventListener('keydown', onEscape);
  }, []);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key !== 'Tab' || !box.current) return;
    const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  }

  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (!keepOnBackdrop && e.target === e.currentTarget) onClose(); }}>
      <div ref={box} className={`modal adm-modal${wide ? ' modal-wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={`${id}-t`} onKeyDown={onKeyDown}>
        <h2 id={`${id}-t`} className="modal-title">{title}</h2>
        {meta && <p className="modal-meta">{meta}</p>}
        {children}
      </div>
    </div>
  );
}

/** A refusal as the server gave it: the message, and the requirement and clause it cites. */
export function FailureNotice({ failure }: { failure: Failure | null | undefined }) {
  if (!failure) return null;
  const level = failure.code === 'bad_input' ? 'input' : 'refuse';
  return <div role="alert"><NoticeLine level={level} message={failure.message} clause={failure.clause} requirement={failure.requirement} /></div>;
}
