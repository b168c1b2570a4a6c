/**
 * Ids of new records are chosen by the caller (contract/admin.ts): a prefix that says what the
 * record is and eight random hex digits — unique enough for one school, and within the op's id
 * alphabet (`/^[A-Za-z0-9._:-]+$/`).
 */
const ID = /^[A-Za-z0-9._:-]+$/;

export function newRecordId(prefix: string, uuid: () => string = () => crypto.randomUUID()): string {
  if (!ID.test(prefix)) throw new Error(`Недопустимый префикс идентификатора: «${prefix}»`);
  return `${prefix}-${uuid().slice(0, 8)}`;
}
