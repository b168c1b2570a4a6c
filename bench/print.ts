/**
 * npm run bench:print — printing speed and memory on this machine. Prints numbers; not a test.
 *  1. weekly reports for every student of the 1500-student demo school, one PDF per class (pdfkit);
 *  2. the annual journal of one class — the largest class of that school;
 *  3. the same weekly reports through Chromium's page.pdf() (Debian chromium, playwright-core),
 *     from HTML with the same content, one PDF per class.
 * Each part runs in a child process of its own, so the peak memory it reports is its own: the
 * process's maxRSS for pdfkit; for Chromium also the proportional set size (PSS) of its processes.
 * Options: --db FILE (a demo journal to reuse; default: build one, ~25 s), --week YYYY-MM-DD
 * (default 2027-05-17), --classes N (only the first N classes), --skip-chromium.
 * Targets: ≤ 10 ms per weekly page; a class's annual journal ≤ 2 s and ≤ 300 MB; ≥ 10× faster than Chromium.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDemo } from '../src-main/demo/make';
import { openJournal, type Journal } from '../src-main/journal/open';
import { writeAtomically } from '../src-main/reports/pdf';
import { printAnnual, printWeekly } from '../src-main/reports/print';
import { weeklyData, type WeeklyData } from '../src-main/reports/weekly-data';
import { formatDateRu } from '../src-shared/domain/values';

const argv = process.argv.slice(2);
const opt = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const WEEK = opt('week') ?? '2027-05-17';
const CREATED = '2027-05-25T08:00:00Z';
const fmt = (n: number, d = 0) => n.toLocaleString('ru-RU', { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (kb: number) => kb / 1024;

function classes(j: Journal): { id: string; name: string; students: number }[] {
  const all = j.stmt(`SELECT c.id, c.grade || c.letter AS name, (SELECT count(*) FROM student s WHERE s.class_id = c.id AND s.left IS NULL) AS students
    FROM class c ORDER BY c.grade, c.letter`).all() as { id: string; name: string; students: number }[];
  const n = opt('classes');
  return n ? all.slice(0, Number(n)) : all;
}

/** Pages of the PDFs in a folder (pdfinfo). */
function pagesIn(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [join(dir, f)], { encoding: 'utf8' }))![1]), 0);
}

// ── the phases, each in its own process ─────────────────────────────────────────

async function phase(name: string, db: string): Promise<Record<string, number | string>> {
  const j = openJournal(db, { readonly: true });
  const out = mkdtempSync(join(tmpdir(), `bench-print-${name}-`));
  const baseKb = process.memoryUsage().rss / 1024;
  try {
    if (name === 'weekly') {
      let students = 0;
      const list = classes(j);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (const c of list) {
        students += writeAtomically(join(out, `${c.name}.pdf`), (sink) => printWeekly(j, { classId: c.id, week: WEEK, all: true }, { createdAt: CREATED }, sink)).students;
      }
      const ms = performance.now() - t0;
      return { ms, cpuMs: cpuMs(cpu0), students, classes: list.length, pages: pagesIn(out), baseMB: mb(baseKb), peakMB: mb(process.resourceUsage().maxRSS), bytes: dirBytes(out) };
    }
    if (name === 'annual') {
      const c = [...classes(j)].sort((a, b) => b.students - a.students)[0]!;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const r = writeAtomically(join(out, 'journal.pdf'), (sink) => printAnnual(j, { classId: c.id }, { createdAt: CREATED }, sink));
      const ms = performance.now() - t0;
      return { ms, cpuMs: cpuMs(cpu0), class: c.name, students: c.students, pages: r.pages, baseMB: mb(baseKb), peakMB: mb(process.resourceUsage().maxRSS), bytes: dirBytes(out) };
    }
    if (name === 'chromium') return await chromiumWeekly(j, out, baseKb);
    throw new Error(`unknown phase ${name}`);
  } finally {
    j.close();
    rmSync(out, { recursive: true, force: true });
  }
}

const cpuMs = (since: NodeJS.CpuUsage) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
const dirBytes = (dir: string) => readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);

async function chromiumWeekly(j: Journal, out: string, baseKb: number) {
  const { chromium } = await import('playwright-core');
  const t0 = performance.now();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--headless'],
  });
  const launchMs = performance.now() - t0;
  let peakPssKb = 0;
  let students = 0;
  const list = classes(j);
  const pdfOptions = { format: 'A4', margin: { top: '30px', bottom: '40px', left: '45px', right: '25px' }, printBackground: true } as const;
  const cpu0 = process.cpuUsage();
  const ticks0 = descendants().ticks;
  const t1 = performance.now();
  let ms: number;
  let chromiumCpuMs: number;
  let single: { ms: number; students: number };
  try {
    const page = await browser.newPage();
    for (const c of list) {
      const data = weeklyData(j, { classId: c.id, week: WEEK, all: true });
      students += data.students.length;
      await page.setContent(weeklyHtml(data), { waitUntil: 'load' });
      await page.pdf({ path: join(out, `${c.name}.pdf`), ...pdfOptions });
      peakPssKb = Math.max(peakPssKb, descendants().pssKb);
    }
    ms = performance.now() - t1;
    chromiumCpuMs = (descendants().ticks - ticks0) * 10;
    // One report, one page.pdf(): how a family's report would be printed one at a time (the first class).
    const data = weeklyData(j, { classId: list[0]!.id, week: WEEK, all: true });
    const t2 = performance.now();
    for (const s of data.students) {
      await page.setContent(weeklyHtml({ ...data, students: [s] }), { waitUntil: 'load' });
      await page.pdf({ path: join(out, 'single.pdf'), ...pdfOptions });
    }
    single = { ms: performance.now() - t2, students: data.students.length };
  } finally {
    await browser.close();
  }
  rmSync(join(out, 'single.pdf'), { force: true });
  return {
    ms, cpuMs: cpuMs(cpu0) + chromiumCpuMs, launchMs, students, classes: list.length, pages: pagesIn(out), baseMB: mb(baseKb), peakMB: mb(process.resourceUsage().maxRSS),
    chromiumPssMB: mb(peakPssKb), bytes: dirBytes(out), singleMs: single.ms, singleStudents: single.students,
  };
}

/** This process's descendants (the browser and its renderers): proportional set size in kB, CPU time in clock ticks (1/100 s). */
function descendants(): { pssKb: number; ticks: number } {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      ticks.set(Number(d), Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]));
    } catch { /* gone */ }
  }
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  let pssKb = 0;
  let cpu = 0;
  for (const pid of parent.keys()) {
    if (!mine(pid)) continue;
    cpu += ticks.get(pid) ?? 0;
    try {
      pssKb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch { /* gone */ }
  }
  return { pssKb, ticks: cpu };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The weekly report as HTML with the same content and type (Liberation Serif 12 pt), a student per page. */
function weeklyHtml(d: WeeklyData): string {
  const student = (s: WeeklyData['students'][number]) => `
  <section>
    <p class="school">${esc(d.school)}</p>
    <h1>Сведения об успеваемости и посещаемости обучающегося</h1>
    <p class="c">за неделю с ${formatDateRu(d.from)} по ${formatDateRu(d.to)} (${esc(d.yearName)} учебный год)</p>
    <p>Обучающийся: <b>${esc(s.name)}</b><br>Класс: <b>${esc(d.className)}</b><br>Классный руководитель: <b>${esc(d.classTeacher?.full ?? '—')}</b></p>
    <table><thead><tr><th>№</th><th>Предмет</th><th>Тема урока</th><th>Домашнее задание</th><th>Отметки, посещение</th></tr></thead><tbody>
    ${s.days.map((day) => `<tr class="day"><td colspan="5">${day.weekday}, ${formatDateRu(day.date)}${day.lessons.length ? '' : ` — ${esc(day.holiday ?? 'уроков нет')}`}</td></tr>
      ${day.lessons.map((l) => `<tr><td>${l.number}</td><td>${esc(l.subject)}</td><td>${esc(l.topic ?? '—')}${l.note ? `<br><i>(${esc(l.note)})</i>` : ''}</td>
        <td>${esc(l.homework ?? '—')}${l.individualHomework ? `<br><i>Индивидуально: ${esc(l.individualHomework)}</i>` : ''}</td>
        <td>${l.marks.map((m) => `${esc(m.value)} — ${esc(m.work)}`).join('<br>')}${l.absence ? `<br>${esc(l.absence)}` : ''}</td></tr>`).join('')}`).join('')}
    </tbody></table>
    <p>${s.missed.total ? `Пропущено уроков за неделю: ${s.missed.total} (${s.missed.reasons.map((r) => `${r.label} — ${r.count}`).join(', ')}).` : 'Пропусков уроков за неделю нет.'}</p>
    <h2>Отметки за учебные периоды на ${formatDateRu(d.to)}</h2>
    <table><thead><tr><th>Предмет</th>${d.terms.map((t) => `<th>${esc(t.short)}</th>`).join('')}</tr></thead>
    <tbody>${s.periodMarks.map((r) => `<tr><td>${esc(r.subject)}</td>${r.values.map((v) => `<td class="c">${v ?? ''}</td>`).join('')}</tr>`).join('')}</tbody></table>
    <h2>Комментарии учителей</h2>
    ${s.comments.length ? s.comments.map((c) => `<p>${formatDateRu(c.date)}, ${esc(c.subject)}${c.teacher ? ` (${esc(c.teacher)})` : ''}: ${esc(c.text)}</p>`).join('') : '<p>Комментариев за неделю нет.</p>'}
    <p class="sign">Классный руководитель ___________________ / ${esc(d.classTeacher?.short ?? '')} /</p>
    <p class="sign">Родитель (законный представитель) ___________________ / ___________________ /<br>Дата ознакомления «____» ________________ 20____ г.</p>
  </section>`;
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><style>
    body { font: 12pt 'Liberation Serif', serif; margin: 0; }
    section { page-break-after: always; } h1 { font-size: 14pt; text-align: center; margin: 2pt 0; } h2 { font-size: 12pt; margin: 8pt 0 3pt; }
    .school { font: italic 10pt 'Liberation Serif'; text-align: center; } .c { text-align: center; }
    table { border-collapse: collapse; width: 100%; } th { font-size: 10pt; background: #e6e6e6; } td, th { border: 0.5pt solid black; padding: 2pt; vertical-align: top; }
    tr.day td { background: #f2f2f2; font-weight: bold; } tr { page-break-inside: avoid; } thead { display: table-header-group; } .sign { margin-top: 14pt; }
  </style></head><body>${d.students.map(student).join('')}</body></html>`;
}

// ── the orchestrator ──────────────────────────────────────────────────────────

function runPhase(name: string, db: string): Record<string, number | string> {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--phase', name, '--db', db, ...argv.filter((a, i) => !['--db', '--phase'].includes(a) && !['--db', '--phase'].includes(argv[i - 1] ?? ''))],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`phase ${name} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number | string>;
}

async function orchestrate(): Promise<void> {
  let db = opt('db');
  let made: string | undefined;
  if (!db || !existsSync(db)) {
    made = mkdtempSync(join(tmpdir(), 'bench-print-'));
    db = join(made, 'school-1500.sqlite');
    const t0 = performance.now();
    makeDemo(db, { seed: 1, students: 1500, today: '2027-05-25' });
    console.log(`demo school of 1500 students built in ${fmt((performance.now() - t0) / 1000, 1)} s (${db})`);
  }
  console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} cores; week ${WEEK}; journal ${db}`);
  try {
    const w = runPhase('weekly', db);
    const wMs = w.ms as number;
    const wPages = w.pages as number;
    const wStudents = w.students as number;
    console.log(`weekly, pdfkit: ${wStudents} students in ${w.classes} class PDFs, ${wPages} pages in ${fmt(wMs / 1000, 2)} s = ${fmt(wMs / wPages, 2)} ms/page (CPU ${fmt((w.cpuMs as number) / wPages, 2)} ms/page), ${fmt(wMs / wStudents, 2)} ms/student (target ≤ 10 ms/page); peak RSS ${fmt(w.peakMB as number)} MB (process at start ${fmt(w.baseMB as number)} MB), ${fmt((w.bytes as number) / 1e6, 1)} MB of PDF`);
    const a = runPhase('annual', db);
    console.log(`annual journal, pdfkit: class ${a.class} (${a.students} students), ${a.pages} sheets in ${fmt((a.ms as number) / 1000, 2)} s (CPU ${fmt((a.cpuMs as number) / 1000, 2)} s; target ≤ 2 s); peak RSS ${fmt(a.peakMB as number)} MB (target ≤ 300 MB; process at start ${fmt(a.baseMB as number)} MB), ${fmt((a.bytes as number) / 1e6, 1)} MB of PDF`);
    if (!argv.includes('--skip-chromium')) {
      const c = runPhase('chromium', db);
      const cMs = c.ms as number;
      const cCpu = c.cpuMs as number;
      console.log(`weekly, Chromium page.pdf(): ${c.students} students in ${c.classes} class PDFs, ${c.pages} pages in ${fmt(cMs / 1000, 2)} s = ${fmt(cMs / (c.pages as number), 2)} ms/page (CPU, node + Chromium ${fmt(cCpu / (c.pages as number), 2)} ms/page), ${fmt(cMs / (c.students as number), 2)} ms/student (+ browser launch ${fmt(c.launchMs as number)} ms); peak: node ${fmt(c.peakMB as number)} MB RSS + Chromium ${fmt(c.chromiumPssMB as number)} MB PSS`);
      console.log(`  one report per page.pdf() (the first class, ${c.singleStudents} students): ${fmt((c.singleMs as number) / (c.singleStudents as number), 1)} ms/student`);
      console.log(`pdfkit vs Chromium, same reports: ${fmt(cMs / (c.students as number) / (wMs / wStudents), 1)}× faster per student in class batches (CPU ${fmt((cCpu / (c.students as number)) / ((w.cpuMs as number) / wStudents), 1)}×), ${fmt(((c.singleMs as number) / (c.singleStudents as number)) / (wMs / wStudents), 1)}× against one page.pdf() per report (target ≥ 10×)`);
    }
  } finally {
    if (made) rmSync(made, { recursive: true, force: true });
  }
}

const phaseName = opt('phase');
if (phaseName) {
  const db = opt('db')!;
  process.stdout.write(`${JSON.stringify(await phase(phaseName, db))}\n`);
} else {
  await orchestrate();
}
