/** The popover next to a cell (popover.ts decides what and where): a problem with its clause, or a hint. */
import type { CellProblem } from './store';
import type { Pop } from './popover';

export function CellPopover({ pop, style, onCorrection, onClose }: { pop: Pop; style: { left: number; top: number }; onCorrection: () => void; onClose: () => void }) {
  return (
    <div className={`gb-pop${pop.problem ? ` is-${pop.problem.level}` : ' is-hint'}`} style={style} role={pop.problem?.level === 'warn' || !pop.problem ? 'status' : 'alert'}>
      {pop.problem ? <ProblemBody problem={pop.problem} onCorrection={onCorrection} /> : <p className="gb-pop-text">{pop.text}</p>}
      <button type="button" className="gb-pop-close" aria-label="Закрыть" onClick={onClose}>×</button>
    </div>
  );
}

function ProblemBody({ problem, onCorrection }: { problem: CellProblem; onCorrection: () => void }) {
  const title = problem.level === 'warn' ? '⚠ Предупреждение' : problem.level === 'input' ? '! Не отметка' : '! Не сохранено';
  const clauses = [problem.requirement, problem.clause].filter(Boolean).join(' · ');
  return (
    <>
      <p className="gb-pop-title">{title}</p>
      <p className="gb-pop-text">{problem.message}</p>
      {clauses && <p className="gb-pop-cite">{clauses}</p>}
      {problem.correctable && (
        <button type="button" className="btn btn-small" onMouseDown={(e) => e.preventDefault()} onClick={onCorrection}>
          Запросить исправление у заместителя директора… <kbd>Alt+Enter</kbd>
        </button>
      )}
    </>
  );
}
