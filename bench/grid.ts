/**
 * npm run bench:grid — the gradebook in Chromium against the real server on loopback. Prints
 * numbers; not a test. Targets: ≤ 300 ms from navigation to an interactive grid for a
 * class of 35 students × 200 lessons; ≤ 50 ms from a keypress to the mark on screen (local echo);
 * ≤ 150 ms to the server's acknowledgement.
 *
 * The demo school has one class of ~14 per grade, so the benchmark makes the class the target
 * asks for: the demo year lived to May, then 5А gets 21 more students and Saturday lessons of
 * Russian up to 200, with marks at the demo's density — written as ops through the same commands
 * (the rules' guard off: this is set-up, not a teacher's day) and imported into a fresh server
 * data folder, which `ejournal serve --demo` then opens as its demo school.
 *
 * Options: --runs N (navigations, default 7), --keys N (marks typed, default 35).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDemo } from '../src-main/demo/make';
import { openJournal } from '../src-main/journal/open';
import { allowAll, execute } from '../src-main/commands/execute';
import { draft, type OpDraft } from '../src-main/journal/log';
import { addDays, weekday } from '../src-shared/domain/values';
import { localToInstant } from '../src-shared/rules/local-time';
import { openStore } from '../src-server/store/open';
import { createServer } from '../src-server/app';
import { buildUi } from '../e2e/support/build';
import { launch, login, newPage } from '../e2e/support/browser';
import { spawnServer } from './grid-server';

const argv = process.argv.slice(2);
const opt = (name: string, def: number) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? Number(argv[i + 1]) : def; };
const RUNS = opt('runs', 7);
const KEYS = opt('keys', 35);
const STUDENTS = 35;
const LESSONS = 200;
const TZ = 'Asia/Yekaterinburg';
const COURSE = 'k-5a-russian';

const FIRST = ['Алексей', 'Мария', 'Иван', 'Анна', 'Дмитрий', 'Елена', 'Сергей', 'Ольга', 'Никита', 'Полина', 'Егор', 'Вера', 'Тимур', 'Ксения', 'Артём', 'Софья', 'Роман', 'Алина', 'Глеб', 'Ева', 'Лев'];
const LAST = ['Абрамов', 'Белова', 'Васильев', 'Гусева', 'Денисов', 'Ершова', 'Жуков', 'Зайцева', 'Ильин', 'Котова', 'Лебедев', 'Мельникова', 'Назаров', 'Орлова', 'Павлов', 'Рябова', 'Семёнов', 'Тихонова', 'Уваров', 'Фролова', 'Худи'];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (n: number) => `${n.toFixed(0)} мс`;
const summary = (xs: number[]) => `медиана ${ms(pct(xs, 50))}, p90 ${ms(pct(xs, 90))}, мин ${ms(Math.min(...xs))}, макс ${ms(Math.max(...xs))} (n = ${xs.length})`;

/** The demo year to 20 May, then 5А made 35 × 200 for Russian. Returns the school day to open. */
function makeJournal(file: string): { today: string } {
  makeDemo(file, { seed: 1, students: 135, today: '2027-05-20' });
  const j = openJournal(file, { durability: 'off' });
  let rnd = 7;
  const rand = () => { rnd = (rnd * 48271) % 2147483647; return rnd / 2147483647; };
  const lastDate = j.stmt('SELECT max(date) FROM lesson WHERE course_id = ?').pluck().get(COURSE) as string;
  const at = (date: string, time = '15:00') => Date.parse(localToInstant(date, time, TZ));
  const run = (account: string, when: number, drafts: OpDraft[]) => execute({ journal: j, actor: { accountId: account }, clock: { now: () => when }, guard: allowAll }, () => drafts);
  // 21 more students in 5А.
  const have = j.stmt("SELECT count(*) FROM student WHERE class_id = 'c-5a' AND left IS NULL").pluck().get() as number;
  const newIds: string[] = [];
  const students: OpDraft[] = [];
  for (let i = 0; i < STUDENTS - have; i++) {
    const id = `s-5a-b${String(i + 1).padStart(2, '0')}`;
    newIds.push(id);
    const female = i % 2 === 1;
    students.push(draft('student.set', { id, lastName: LAST[i % LAST.length]!, firstName: FIRST[i % FIRST.length]!, classId: 'c-5a', ...(female ? {} : {}) }));
  }
  run('acc-admin', at('2026-09-01', '08:00'), students);
  // Saturday lessons until the course has 200.
  let count = j.stmt('SELECT count(*) FROM lesson WHERE course_id = ?').pluck().get(COURSE) as number;
  let day: string;
  const lessons: OpDraft[] = [];
  let n = 0;
  for (const number of [2, 3]) {
    for (day = '2026-09-05'; count < LESSONS && day < lastDate; day = addDays(day, 1)) {
      if (weekday(day) === 6) { lessons.push(draft('lesson.create', { id: `bench-l${++n}`, courseId: COURSE, date: day, number, topic: 'Повторение и закрепление' })); count++; }
    }
  }
  if (lessons.length) run('acc-admin', at('2026-09-01', '08:00'), lessons);
  // The new students' marks and absences at the demo's density (about one mark in four lessons).
  const all = j.stmt('SELECT id, date FROM lesson WHERE course_id = ? ORDER BY date, number').all(COURSE) as { id: string; date: string }[];
  for (const l of all) {
    const marks = newIds.filter(() => rand() < 0.25).map((studentId) => ({ studentId, value: String(3 + Math.floor(rand() * 3)) }));
    const absent = newIds.filter(() => rand() < 0.04).map((studentId) => ({ studentId, absent: true }));
    const ds: OpDraft[] = [];
    if (marks.length) ds.push(draft('mark.set', { lessonId: l.id, marks }));
    if (absent.length) ds.push(draft('attendance.set', { lessonId: l.id, entries: absent }));
    if (ds.length) run('acc-teacher', at(l.date), ds);
  }
  // Today's lesson starts empty: the benchmark types the marks of the day into it.
  const last = all.filter((l) => l.date === lastDate).at(-1)!;
  const had = j.stmt('SELECT student_id AS studentId, col AS "column" FROM mark WHERE lesson_id = ?').all(last.id) as { studentId: string; column: 'main' }[];
  const away = j.stmt('SELECT student_id FROM attendance WHERE lesson_id = ?').pluck().all(last.id) as string[];
  const clear: OpDraft[] = [];
  if (had.length) clear.push(draft('mark.annul', { lessonId: last.id, marks: had }));
  if (away.length) clear.push(draft('attendance.set', { lessonId: last.id, entries: away.map((studentId) => ({ studentId, absent: false })) }));
  if (clear.length) run('acc-teacher', at(lastDate, '15:30'), clear);
  const size = j.stmt('SELECT count(*) FROM lesson WHERE course_id = ?').pluck().get(COURSE) as number;
  const pupils = j.stmt("SELECT count(*) FROM student WHERE class_id = 'c-5a' AND left IS NULL").pluck().get() as number;
  console.log(`Журнал: 5А, русский язык — ${pupils} учеников × ${size} уроков`);
  j.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  j.close();
  return { today: lastDate };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-grid-'));
  const dataDir = join(dir, 'server');
  try {
    console.log('Сборка интерфейса …');
    const ui = buildUi(join(dir, 'ui'));
    console.log('Демонстрационная школа и класс 35 × 200 …');
    const file = join(dir, 'school.sqlite');
    const { today } = makeJournal(file);
    // The server's own import: the journal becomes the server's demo school.
    const store = await openStore({ dataDir, databaseUrl: undefined, pgSchema: undefined });
    const imported = await createServer({ store, dataDir });
    await imported.schools.importJournal({ schoolId: 'demo', file });
    await imported.close();
    const server = await spawnServer(dataDir, `${today}T16:00`, ui);
    const browser = await launch();
    try {
      const { page } = await newPage(browser);
      await login(page, server.url, 'teacher');
      const target = `${server.url}/#/journal/${COURSE}/year`;

      // 1. Navigation → interactive grid (a full page load, session cookie already there).
      const nav: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await page.goto('about:blank');
        await page.goto(target);
        await page.waitForFunction(() => performance.getEntriesByName('ejournal:grid-interactive').length > 0, undefined, { timeout: 30_000 });
        nav.push(await page.evaluate(() => performance.getEntriesByName('ejournal:grid-interactive')[0]!.startTime));
      }
      if (process.env.BENCH_DETAIL) {
        console.log(await page.evaluate(() => JSON.stringify(performance.getEntriesByType('resource').map((e) => [e.name.replace(/^.*\//, ''), Math.round(e.startTime), Math.round((e as PerformanceResourceTiming).responseEnd), (e as PerformanceResourceTiming).transferSize]))));
        console.log(await page.evaluate(() => JSON.stringify(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]))));
        console.log(await page.evaluate(() => JSON.stringify({ dcl: Math.round((performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd), interactive: Math.round(performance.getEntriesByName('ejournal:grid-interactive')[0]!.startTime) })));
      }
      const shape = await page.evaluate(() => ({ rows: document.querySelector('[role=grid]')!.getAttribute('aria-rowcount'), cols: document.querySelector('[role=grid]')!.getAttribute('aria-colcount'), cells: document.querySelectorAll('.gb-cell').length }));

      // 2. Keypress → mark on screen (local echo) → acknowledged by the server.
      await page.evaluate(() => {
        const w = window as unknown as { __b: { down: number; shown: number; acked: number; id: string } };
        w.__b = { down: 0, shown: 0, acked: 0, id: '' };
        document.addEventListener('keydown', (e) => {
          if (/^[1-5]$/.test(e.key)) { w.__b.down = e.timeStamp; w.__b.shown = 0; w.__b.acked = 0; w.__b.id = document.querySelector('[role=grid]')!.getAttribute('aria-activedescendant')!; }
        }, { capture: true });
        new MutationObserver(() => {
          const b = w.__b;
          if (!b.id) return;
          const el = document.getElementById(b.id);
          if (!el) return;
          if (!b.shown && el.textContent?.startsWith(el.dataset.want ?? '?') && !el.classList.contains('is-editing')) b.shown = performance.now();
          if (b.shown && !b.acked && !el.classList.contains('is-saving') && el.textContent?.startsWith(el.dataset.want ?? '?')) b.acked = performance.now();
        }).observe(document.querySelector('[role=grid]')!, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class'] });
      });
      const grid = page.getByRole('grid');
      await grid.focus();
      const echo: number[] = [];
      const acked: number[] = [];
      for (let i = 0; i < KEYS; i++) {
        const value = ['5', '4', '3'][i % 3]!;
        // Where the cursor is, the mark we are about to type (the observer compares against it).
        await page.evaluate((v) => { const id = document.querySelector('[role=grid]')!.getAttribute('aria-activedescendant')!; const el = document.getElementById(id)!; el.dataset.want = v; }, value);
        await page.keyboard.press(value);
        await page.keyboard.press('Enter');
        try {
          await page.waitForFunction(() => { const b = (window as unknown as { __b: { acked: number } }).__b; return b.acked > 0; }, undefined, { timeout: 10_000 });
        } catch (err) {
          await page.screenshot({ path: join(tmpdir(), 'bench-grid-timeout.png') });
          console.log(await page.evaluate(() => JSON.stringify((window as unknown as { __b: unknown }).__b)));
          throw err;
        }
        const b = await page.evaluate(() => (window as unknown as { __b: { down: number; shown: number; acked: number } }).__b);
        echo.push(b.shown - b.down);
        acked.push(b.acked - b.down);
      }
      const errors = await page.locator('.gb-cell.is-error').count();
      console.log('');
      console.log(`Сетка: ${shape.rows} строк (с заголовком) × ${shape.cols} колонок; в DOM ${shape.cells} клеток`);
      console.log(`Переход → журнал готов к вводу:           ${summary(nav)}   (цель ≤ 300 мс)`);
      console.log(`Нажатие → отметка на экране (эхо):         ${summary(echo)}   (цель ≤ 50 мс)`);
      console.log(`Нажатие → подтверждена сервером:           ${summary(acked)}   (цель ≤ 150 мс)`);
      if (errors) console.log(`Внимание: ${errors} клеток отказано правилами — числа подтверждения неполные`);
    } finally {
      await browser.close();
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
