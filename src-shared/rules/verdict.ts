/**
 * The verdict every rule returns: `ok`, `warn` or `refuse`, each finding naming the requirement
 * (R-…) and the clause of the regulation it comes from, with a Russian sentence a teacher
 * understands. Verdicts are JSON-safe, so the UI, the server and the reports show the same words.
 */

/** Requirement ids of requirements.md that rules cite. */
export type RequirementId = `R-${string}`;

/**
 * What the caller should do about a refusal, when more than "no" is needed.
 * - `needs_correction_request`: allowed only through a correction request that a deputy approves (R-CORRECTION).
 * - `needs_director_order`: a final mark of grade 9/11 changes only by the director's order (R-FINAL-LOCK).
 * - `needs_deputy_decision`: more than half of the lessons missed; only the deputy's decision allows attesting (R-NA).
 * - `future_lesson`: the lesson has not begun yet; wait for it (R-DATE).
 * - `not_allowed`: the entry is not allowed at all (default).
 */
export const VERDICT_CODES = [
  'needs_correction_request', 'needs_director_order', 'needs_deputy_decision', 'future_lesson', 'not_allowed',
] as const;
export type VerdictCode = (typeof VERDICT_CODES)[number];

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** Extra facts for the UI and reports. `code` tells the caller what a refusal needs. */
export interface FindingDetails {
  readonly code?: VerdictCode;
  readonly [key: string]: JsonValue | undefined;
}

export interface Finding {
  readonly severity: 'warn' | 'refuse';
  readonly requirement: RequirementId;
  /** «п. 7.14» */
  readonly clause: string;
  /** A Russian sentence for the teacher. */
  readonly message: string;
  /** Refusals: always set (`not_allowed` unless the rule says more). Warnings: set when the rule names a way out (e.g. R-NA's `needs_deputy_decision`). */
  readonly code?: VerdictCode;
  readonly details?: FindingDetails;
}

export type VerdictLevel = 'ok' | 'warn' | 'refuse';

export interface Verdict {
  /** The worst finding's severity; `ok` when there are no findings. */
  readonly level: VerdictLevel;
  /** Every refusal and warning, in the order the rules ran. */
  readonly findings: readonly Finding[];
}

const OK: Verdict = Object.freeze({ level: 'ok', findings: Object.freeze([]) as readonly Finding[] });

/** Allowed, nothing to say. */
export function ok(): Verdict {
  return OK;
}

/** Allowed, with a warning the teacher sees (e.g. R-SOFT-WARN). */
export function warn(requirement: RequirementId, clause: string, message: string, details?: FindingDetails): Verdict {
  const f: Finding = { severity: 'warn', requirement, clause, message, ...(details?.code ? { code: details.code } : {}), ...(details ? { details } : {}) };
  return { level: 'warn', findings: [f] };
}

/** Not allowed. `details.code` says what would allow it (a correction request, an order…). */
export function refuse(requirement: RequirementId, clause: string, message: string, details?: FindingDetails): Verdict {
  const f: Finding = { severity: 'refuse', requirement, clause, message, code: details?.code ?? 'not_allowed', ...(details ? { details } : {}) };
  return { level: 'refuse', findings: [f] };
}

const RANK: Record<VerdictLevel, number> = { ok: 0, warn: 1, refuse: 2 };

/** Combines verdicts: the worst level wins; every finding (refusals and warnings) is kept, in order. */
export function combine(...verdicts: readonly Verdict[]): Verdict {
  let level: VerdictLevel = 'ok';
  const findings: Finding[] = [];
  for (const v of verdicts) {
    if (RANK[v.level] > RANK[level]) level = v.level;
    findings.push(...v.findings);
  }
  return findings.length === 0 ? OK : { level, findings };
}

/** The entry must not be written (some finding refuses). */
export function isRefused(v: Verdict): boolean {
  return v.level === 'refuse';
}

/** True when some refusal carries `code` (e.g. the caller should offer a correction request). */
export function hasCode(v: Verdict, code: VerdictCode): boolean {
  return v.findings.some((f) => f.severity === 'refuse' && f.code === code);
}

/** The refusals only (what blocks the entry). */
export function refusals(v: Verdict): readonly Finding[] {
  return v.findings.filter((f) => f.severity === 'refuse');
}

/** «п. 7.14: …» lines for messages and printouts. */
export function describe(v: Verdict): string[] {
  return v.findings.map((f) => `${f.message} (${f.clause})`);
}

/**
 * Drops the refusals that carry one of `codes` (the caller holds what they ask for, e.g. an
 * approved correction request) and recomputes the level. Other findings stay.
 */
export function waive(v: Verdict, ...codes: readonly VerdictCode[]): Verdict {
  const kept = v.findings.filter((f) => !(f.severity === 'refuse' && f.code !== undefined && codes.includes(f.code)));
  if (kept.length === v.findings.length) return v;
  if (kept.length === 0) return OK;
  return { level: kept.some((f) => f.severity === 'refuse') ? 'refuse' : 'warn', findings: kept };
}
