/**
 * exceljs, called synchronously. The contract's handlers are synchronous (dispatch answers every
 * transport with a value, not a promise), while exceljs reads and writes only asynchronously; so
 * exceljs runs in a worker thread and this thread waits for its one answer (Atomics.wait, then
 * `receiveMessageOnPort`): the synckit pattern. The worker lives for one job.
 *
 * The worker only moves data: it hands back the first worksheet's cells as plain tagged values
 * (read.ts judges them) and writes a workbook from a plain description (layouts.ts, export.ts).
 * Its source is a string (an `eval` worker) so that the built CLI and the desktop bundle need no
 * extra file; exceljs is required by the absolute path this module resolves.
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** A cell as the worker hands it back: string, number, boolean, date (ms), formula, error. */
export type RawCell = ['s', string] | ['n', number] | ['b', boolean] | ['d', number] | ['f', string] | ['e', string];
export interface RawSheet {
  name: string;
  /** [row number (1-based), [column number (1-based), cell][]] — only rows and cells with a value. */
  rows: [number, [number, RawCell][]][];
  /** Merged ranges as Excel writes them: «A5:B5». */
  merges: string[];
}

/** A workbook to write: sheets with a bold frozen header row and column widths. */
export interface WorkbookSpec {
  sheets: {
    name: string;
    columns: { header: string; width: number; date?: boolean }[];
    /** Cell values: text, a number, or a date `{ date: 'YYYY-MM-DD' }` (written as a date cell, dd.mm.yyyy). */
    rows: (string | number | { date: string })[][];
    /** A sheet of text lines (the instructions), not a table. */
    text?: boolean;
  }[];
}

const WORKER_SOURCE = String.raw`
const { workerData } = require('node:worker_threads');
const { port, shared, job } = workerData;
function answer(reply) {
  port.postMessage(reply);
  Atomics.store(shared, 0, 1);
  Atomics.notify(shared, 0);
}
function tag(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return ['s', v];
  if (typeof v === 'number') return ['n', v];
  if (typeof v === 'boolean') return ['b', v];
  if (v instanceof Date) return ['d', v.getTime()];
  if (typeof v === 'object') {
    if (v.formula !== undefined || v.sharedFormula !== undefined) return ['f', String(v.formula ?? v.sharedFormula)];
    if (Array.isArray(v.richText)) return ['s', v.richText.map((r) => r.text ?? '').join('')];
    if (v.error !== undefined) return ['e', String(v.error)];
    if (v.text !== undefined) return typeof v.text === 'object' && Array.isArray(v.text.richText) ? ['s', v.text.richText.map((r) => r.text ?? '').join('')] : ['s', String(v.text)];
  }
  return ['s', String(v)];
}
async function read(ExcelJS, data) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data);
  const ws = wb.worksheets[0];
  if (!ws) return null;
  const rows = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const cells = [];
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      if (cell.isMerged && cell.master !== cell) return;
      const t = tag(cell.value);
      if (t) cells.push([c, t]);
    });
    if (cells.length) rows.push([n, cells]);
  });
  return { name: ws.name, rows, merges: (ws.model && ws.model.merges) || [] };
}
async function write(ExcelJS, spec) {
  const wb = new ExcelJS.Workbook();
  for (const s of spec.sheets) {
    const ws = wb.addWorksheet(s.name);
    if (s.text) {
      ws.columns = [{ width: s.columns[0].width }];
      for (const line of s.rows) ws.addRow([line[0]]);
      ws.getRow(1).font = { bold: true };
      ws.getColumn(1).alignment = { wrapText: true, vertical: 'top' };
      continue;
    }
    ws.columns = s.columns.map((c) => ({ header: c.header, width: c.width, ...(c.date ? { style: { numFmt: 'dd.mm.yyyy' } } : {}) }));
    for (const r of s.rows) ws.addRow(r.map((v) => (typeof v === 'object' ? new Date(v.date + 'T00:00:00Z') : v)));
    const head = ws.getRow(1);
    head.font = { bold: true };
    head.alignment = { wrapText: true, vertical: 'middle' };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
(async () => {
  try {
    const ExcelJS = require(workerData.excelPath);
    const value = job.kind === 'read' ? await read(ExcelJS, Buffer.from(job.data)) : await write(ExcelJS, job.spec);
    answer({ ok: true, value });
  } catch (err) {
    answer({ ok: false, message: String((err && err.message) || err) });
  }
})();
`;

const TIMEOUT_MS = 120_000;

type Job = { kind: 'read'; data: ArrayBuffer } | { kind: 'write'; spec: WorkbookSpec };

function runJob(job: Job): unknown {
  const excelPath = createRequire(import.meta.url).resolve('exceljs');
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { excelPath, shared, port: port2, job },
    transferList: [port2, ...(job.kind === 'read' ? [job.data] : [])],
  });
  try {
    if (Atomics.wait(shared, 0, 0, TIMEOUT_MS) === 'timed-out') throw new Error('exceljs: no answer in time');
    const msg = receiveMessageOnPort(port1)?.message as { ok: true; value: unknown } | { ok: false; message: string } | undefined;
    if (!msg) throw new Error('exceljs: the worker ended without an answer');
    if (!msg.ok) throw new ExcelError(msg.message);
    return msg.value;
  } finally {
    port1.close();
    void worker.terminate();
  }
}

/** exceljs could not read the file (a damaged or foreign zip): the reader turns it into a Russian message. */
export class ExcelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExcelError';
  }
}

/** The first worksheet of an XLSX file (null: the workbook has none). */
export function readFirstSheet(bytes: Uint8Array): RawSheet | null {
  const data = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(data).set(bytes);
  return runJob({ kind: 'read', data }) as RawSheet | null;
}

export function writeWorkbook(spec: WorkbookSpec): Uint8Array {
  return runJob({ kind: 'write', spec }) as Uint8Array;
}
