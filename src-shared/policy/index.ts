/** Who may do what: role × relation × operation (R-RBAC, п. 7.4). See docs/policy.md. */
export { authorize, type OpRequest, type PolicyRequest, type QueryRequest } from './authorize';
export type { Actor } from './actor';
export { STAFF_ROLES } from './actor';
export type { CourseFacts, PolicyFacts, SubstitutionFacts } from './facts';
export { BLOCKED, notFound, type Allow, type Decision, type Entity, type Refusal, type RefusalCode, type Requirement, type Scope } from './decision';
export { QUERY_NAMES, isQueryName, type CellRefParams, type QueryName, type QueryParams } from './queries';
