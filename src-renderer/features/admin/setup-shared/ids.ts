/** Ids of new set-up records: the caller chooses them (contract/admin.ts), unique enough for one school. */
const ID = /^[A-Za-z0-9._:-]+$/;

/** `prefix-1a2b3c4d`: the op schema's id alphabet (letters, digits, `.`, `_`, `:`, `-`). */
export function newRecordId(prefix: string): string {
  const id = `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  if (!ID.test(id) || id.length > 64) throw new Error(`newRecordId: prefix «${prefix}» makes an invalid id`);
  return id;
}
