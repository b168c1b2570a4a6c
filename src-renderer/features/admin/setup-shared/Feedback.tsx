/** What the last save said: a refusal with its clause, the rules' warnings, or «сохранено». */
import { NoticeLine } from '../../../components/States';
import type { Notice } from '../../../../src-shared/contract/methods';
import type { Problem } from './data';

export type Said = { kind: 'problem'; problem: Problem } | { kind: 'saved'; text: string; warnings: Notice[] } | null;

export function Feedback({ said }: { said: Said }) {
  return (
    <div className="st-feedback" aria-live="polite">
      {said?.kind === 'problem' && (
        <div role="alert"><NoticeLine level={said.problem.level} message={said.problem.message} requirement={said.problem.requirement} clause={said.problem.clause} /></div>
      )}
      {said?.kind === 'saved' && (
        <>
          <p className="st-saved">{said.text}</p>
          {said.warnings.map((w, i) => <NoticeLine key={i} level={w.level} message={w.message} requirement={w.requirement} clause={w.clause} />)}
        </>
      )}
    </div>
  );
}
