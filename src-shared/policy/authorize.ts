/**
 * `authorize` — the one function that decides every operation and every query by role and
 * relation (R-RBAC, п. 7.4). Pure: relations come from `PolicyFacts`, time from `now`. The
 * desktop journal and the server call it with the same arguments and get the same answer.
 */
import type { Instant } from '../domain/values';
import type { OpKind, Payload } from '../ops/kinds';
import type { Actor } from './actor';
import { BLOCKED, type Decision } from './decision';
import type { PolicyFacts } from './facts';
import { OP_RULES, type OpRule } from './op-rules';
import { QUERY_RULES, type QueryRule } from './query-rules';
import type { QueryName, QueryParams } from './queries';
import { NO_ROLES } from './refusals';

export type OpRequest<K extends OpKind = OpKind> = { [P in K]: { type: 'op'; kind: P; payload: Payload<P> } }[K];
export type QueryRequest<Q extends QueryName = QueryName> = { [P in Q]: { type: 'query'; name: P; params: QueryParams[P] } }[Q];
/** An op (parsed payload, as `parseOp` returns it) or a named query with its parameters. */
export type PolicyRequest = OpRequest | QueryRequest;

/**
 * Decides `request` for `actor` at the instant `now` (ISO). Total: every op kind and every query
 * name has a rule. A blocked account is refused everything (R-ACCOUNTS); a person with several
 * roles is allowed when any role, with its relation, allows.
 */
export function authorize(actor: Actor, request: PolicyRequest, facts: PolicyFacts, now: Instant): Decision {
  if (actor.blocked) return BLOCKED;
  if (actor.roles.length === 0) return NO_ROLES;
  const ctx = { actor, facts, now };
  if (request.type === 'op') {
    const rule = OP_RULES[request.kind] as OpRule<OpKind>;
    return rule(ctx, request.payload);
  }
  const rule = QUERY_RULES[request.name] as QueryRule<QueryName>;
  return rule(ctx, request.params);
}
