/**
 * R-CORRECTION (п. 7.14, 9.2): a mark outside its window, or a change to a mark already set, goes
 * through a correction request that the deputy director approves first; the request, the decision
 * and both values are kept (by the journal). Here: when a request is needed, and who may decide it.
 */
import type { MarkValue } from '../domain/marks';
import { ROLE_LABELS } from '../domain/school';
import type { Role } from '../domain/school';
import type { Id } from '../domain/values';
import type { MarkTerm } from './inputs';
import { isGraduatingFinalMark } from './final-lock';
import { DEFAULT_RULE_SETTINGS } from './settings';
import type { RuleSettings } from './settings';
import { combine, ok, refuse } from './verdict';
import type { Verdict } from './verdict';

/**
 * R-CORRECTION (п. 7.14): entering a first mark in an empty cell needs nothing here (its window is
 * R-DATE); changing or annulling (`next` null) a mark already set needs a correction request.
 */
export function checkMarkChange(previous: MarkValue | null, next: MarkValue | null): Verdict {
  if (previous === null || previous === next) return ok();
  return refuse('R-CORRECTION', 'п. 7.14',
    next === null
      ? `Отметка «${previous}» уже выставлена: удалить её можно только по запросу на исправление, согласованному с заместителем директора`
      : `Отметка «${previous}» уже выставлена: заменить её на «${next}» можно только по запросу на исправление, согласованному с заместителем директора`,
    { code: 'needs_correction_request', previous, next });
}

/**
 * R-CORRECTION: the author fixing their own slip right away (within `correction.ownFixMinutes`
 * of entering the mark) needs no request. Anyone else's mark, or an older one, does.
 */
export function isOwnRecentEntry(input: { previousAuthor: Id; previousAt: string; actor: Id; now: string }, settings: RuleSettings = DEFAULT_RULE_SETTINGS): boolean {
  if (input.previousAuthor !== input.actor || settings.correction.ownFixMinutes <= 0) return false;
  const age = Date.parse(input.now) - Date.parse(input.previousAt);
  return age >= 0 && age <= settings.correction.ownFixMinutes * 60_000;
}

/** What a correction request targets. */
export type CorrectionTarget = { kind: 'mark' } | { kind: 'periodMark'; grade: number; term: MarkTerm };

/** R-CORRECTION / R-FINAL-LOCK: who decides — the deputy, or the director by order (final marks of grades 9/11). */
export function requiredApproval(target: CorrectionTarget): 'deputy' | 'director_order' {
  return target.kind === 'periodMark' && isGraduatingFinalMark(target.grade, target.term) ? 'director_order' : 'deputy';
}

export interface CorrectionDecisionInput {
  target: CorrectionTarget;
  requesterId: Id;
  decider: { personId: Id; roles: readonly Role[] };
  approved: boolean;
  /** The director's order (распоряжение) number, for final marks of grades 9/11. */
  orderRef?: string | null;
  /** Written explanations considered before the director's order. */
  explanations?: { teacher?: string | null; deputy?: string | null };
}

function roleName(r: Role): string {
  const label = ROLE_LABELS[r];
  return label.charAt(0).toLowerCase() + label.slice(1);
}

function blank(s: string | null | undefined): boolean {
  return s === undefined || s === null || s.trim() === '';
}

/**
 * R-CORRECTION (п. 7.14, 9.2), R-FINAL-LOCK (п. 7.14): may `decider` decide this request?
 * - Ordinary corrections: a person holding one of `settings.correction.approvers` (default: the
 *   deputy director), not the requester.
 * - Final marks of grades 9/11: only the director, not the requester; approving needs the order
 *   number and the written explanations of the teacher and the deputy director.
 */
export function checkCorrectionDecision(input: CorrectionDecisionInput, settings: RuleSettings = DEFAULT_RULE_SETTINGS): Verdict {
  const out: Verdict[] = [];
  if (input.decider.personId === input.requesterId) {
    out.push(refuse('R-CORRECTION', 'п. 7.14', 'Нельзя согласовать собственный запрос на исправление'));
  }
  if (requiredApproval(input.target) === 'director_order') {
    if (!input.decider.roles.includes('director')) {
      out.push(refuse('R-FINAL-LOCK', 'п. 7.14', 'Итоговую отметку в 9 и 11 классах исправляют только по распоряжению директора', { code: 'needs_director_order' }));
    }
    if (input.approved) {
      if (blank(input.orderRef)) out.push(refuse('R-FINAL-LOCK', 'п. 7.14', 'Укажите номер распоряжения директора об исправлении итоговой отметки', { code: 'needs_director_order' }));
      if (blank(input.explanations?.teacher) || blank(input.explanations?.deputy)) {
        out.push(refuse('R-FINAL-LOCK', 'п. 7.14', 'Распоряжение принимается после рассмотрения письменных объяснений учителя и заместителя директора: приложите оба объяснения', { code: 'needs_director_order' }));
      }
    }
    return combine(...out);
  }
  const approvers = settings.correction.approvers;
  if (!input.decider.roles.some((r) => approvers.includes(r))) {
    out.push(refuse('R-CORRECTION', 'п. 7.14, 9.2',
      `Исправление согласует ${approvers.map(roleName).join(' или ')}`));
  }
  return combine(...out);
}
