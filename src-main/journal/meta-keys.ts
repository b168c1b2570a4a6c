/**
 * Every key of a journal's `meta` table, what it holds, and who writes it: one table, so a key is
 * a name the compiler knows (`Journal.meta`/`setMeta` take only these) and a reader finds here
 * what a key means. Meta is bookkeeping, not state: the state checksum leaves it out.
 */
export const META_KEYS = {
  // ── the file's identity (open.ts) ──
  format: 'ejournal-journal for a journal; ejournal-snapshot for a snapshot file',
  device: "this replica's device id: the `device` of every op it makes",
  school_id: 'the school this journal belongs to',
  next_seq: "the next seq of this device's ops (gap-free)",
  next_id: 'the next local id (ids of records this replica creates)',
  hlc: 'the last hybrid-logical-clock stamp this replica gave an op',
  refold: 'a migration asked for the state to be re-folded from the log on the next open',
  probe: 'a value a test writes and reads back (open.test.ts)',
  // ── the server replica (src-server/schools) ──
  server_seq: "a snapshot file's S (the server seq its state is at); a server replica before 0.2 kept its cursor here (now sync.cursor)",
  snapshot_seq: 'the server seq of the snapshot a server replica was rebuilt from',
  // ── sync on a school computer (src-main/sync) ──
  'sync.cursor': 'the server seq this replica has applied up to — the pull on a school computer, the catch-up on the server',
  'sync.base_seq': 'the server seq of the base copy (base__* tables) the re-fold starts from',
  'sync.base_at': 'when the base copy was taken',
  'sync.snapshot_seq': 'the server seq of the last snapshot installed',
  'sync.snapshot_at': 'when the last snapshot was installed',
  'sync.log_whole': 'the op log holds every op since the start (no snapshot below it)',
  'sync.pending': 'own ops not yet confirmed, as the last round left them (for the status bar)',
  'sync.unknown': 'pulled ops of kinds this program does not know yet (wire form, server order)',
  'sync.unknownPending': 'how many of those wait',
  'sync.rejected': 'own ops the server refused for good, for their authors to see',
  'sync.overwritten': "own marks another computer's later write replaced, for their authors to see",
  'sync.lastAt': 'when the last sync round succeeded',
  'sync.lastError': "the last round's error, empty after a success",
  'sync.skewMs': "this computer's clock minus the server's, from the last answer's Date",
  'sync.bytesSent': 'bytes sent by sync, in total',
  'sync.bytesReceived': 'bytes received by sync, in total',
  'sync.repairs': 'how many times the state was repaired from a snapshot',
  'sync.repairedAt': 'when it was last repaired',
  'sync.device_token': "the CLI's device token (ejournal sync; the desktop keeps its own in device.json)",
  'sync.signins': 'offline sign-ins proved, waiting for the next push (signin.ts)',
  // ── backups (src-main/backup) ──
  'backup.lastAt': "when the last checked backup of this journal was made (a backup's copy holds its own moment)",
  'backup.manifest': "in a backup's copy only: what it is (checksum, ops, made at) — restore checks it",
  // ── a repaired desktop journal (desktop/repair.ts) ──
  'repair.at': 'when the damaged journal was repaired',
  'repair.damage': 'what SQLite found wrong with the damaged file',
  'repair.lost': 'own unsent ops that could not be read back from it',
} as const;

/** A meta key: one of the table, or an account's wrapped sign-in key (`signin.key.<account id>`, signin.ts). */
export type MetaKey = keyof typeof META_KEYS | `signin.key.${string}`;
