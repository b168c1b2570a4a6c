/**
 * Загрузка списков (R-IMPORT, п. 9.6): a template to fill in, a file read in the browser and
 * previewed (what is added, changed, left alone; every error with its row and column), applied
 * all or nothing only when it has no errors; and the same lists exported.
 */
import { useMemo, useRef, useState } from 'react';
import type { In, Out } from '../../../src-shared/contract/methods';
import { useTransport } from '../../app/data';
import { NoticeLine } from '../../components/States';
import { EditTable, type EditColumn } from './setup-shared/EditTable';
import { problemOf, type Problem } from './setup-shared/data';
import { downloadBase64, readAsBase64 } from './setup-shared/files';

type What = In<'import.preview'>['what'];
type Preview = Out<'import.preview'>;
type Item = Preview['items'][number];
type Applied = Out<'import.apply'>;

const WHAT: { value: What; label: string; hint: string }[] = [
  { value: 'students', label: 'Обучающиеся с родителями', hint: 'ФИО, дата рождения, класс, группы; до двух родителей с телефоном и e-mail' },
  { value: 'staff', label: 'Работники', hint: 'ФИО, должность, логин и роли (пароль выдаётся отдельно, одноразовый)' },
  { value: 'classes', label: 'Классы и группы', hint: 'название, вид, класс группы, классный руководитель' },
  { value: 'curriculum', label: 'Учебный план и нагрузка', hint: 'класс или группа, предмет, часов в неделю, учитель' },
];
const ACTION: Record<Item['action'], { label: string; cls: string }> = {
  add: { label: 'добавить', cls: 'st-tag-add' },
  change: { label: 'изменить', cls: 'st-tag-change' },
  same: { label: 'без изменений', cls: 'st-tag-same' },
};
/** The import's limit (R-IMPORT): the server's upload routes and the desktop take files up to 50 MB. */
const FILE_LIMIT = 50 * 1024 * 1024;

export function ImportPage(_: { params: string[] }) {
  const t = useTransport();
  const [what, setWhat] = useState<What>('students');
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [applied, setApplied] = useState<Applied | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [show, setShow] = useState<'changes' | 'all'>('changes');
  const fileInput = useRef<HTMLInputElement>(null);
  const label = WHAT.find((w) => w.value === what)!;

  function reset(next: What) {
    setWhat(next);
    setFile(null);
    setPreview(null);
    setApplied(null);
    setProblem(null);
    if (fileInput.current) fileInput.current.value = '';
  }

  async function download(kind: 'template' | 'export', format: 'xlsx' | 'csv') {
    setBusy(`${kind}-${format}`);
    setProblem(null);
    const r = kind === 'template' ? await t.call('import.template', { what, format }) : await t.call('setup.export', { what, format });
    setBusy(null);
    if (!r.ok) { setProblem(problemOf(r.error)); return; }
    downloadBase64(r.value.fileName, r.value.dataBase64);
  }

  async function choose(f: File | undefined) {
    setPreview(null);
    setApplied(null);
    setProblem(null);
    if (!f) { setFile(null); return; }
    if (f.size > FILE_LIMIT) {
      setFile(null);
      setProblem({ level: 'input', message: `Файл «${f.name}» (${Math.round(f.size / 1024 / 1024)} МБ) больше 50 МБ: разделите список на части (например, по параллелям)` });
      return;
    }
    setBusy('read');
    const base64 = await readAsBase64(f).catch(() => null);
    if (base64 === null) { setBusy(null); setProblem({ level: 'input', message: `Не удалось прочитать файл «${f.name}»` }); return; }
    setFile({ name: f.name, base64 });
    await runPreview({ name: f.name, base64 });
  }

  async function runPreview(f: { name: string; base64: string }) {
    setBusy('preview');
    const r = await t.call('import.preview', { what, fileName: f.name, dataBase64: f.base64 });
    setBusy(null);
    if (!r.ok) { setProblem(problemOf(r.error)); return; }
    setPreview(r.value);
    setShow(r.value.add + r.value.change > 0 ? 'changes' : 'all');
  }

  async function apply() {
    if (!file || !preview) return;
    setBusy('apply');
    setProblem(null);
    const r = await t.call('import.apply', { what, fileName: file.name, dataBase64: file.base64 });
    setBusy(null);
    if (!r.ok) { setProblem(problemOf(r.error)); return; }
    setApplied(r.value);
    setPreview(null);
    setFile(null);
    if (fileInput.current) fileInput.current.value = '';
  }

  const canApply = !!preview && preview.errors.length === 0 && preview.add + preview.change > 0 && busy === null;

  return (
    <div className="st-page">
      <div className="toolbar" role="toolbar" aria-label="Загрузка списков">
        <label className="tb-field"><span>Список</span>
          <select value={what} onChange={(e) => reset(e.target.value as What)} aria-label="Какой список">
            {WHAT.map((w) => <option key={w.value} value={w.value}>{w.label}</option>)}
          </select>
        </label>
        <span className="tb-meta">{label.hint}</span>
      </div>
      <div className="st-body">
        <div className="st-grid">
          <section className="st-section" aria-labelledby="imp-load">
            <h2 id="imp-load" className="st-h">Загрузить: {label.label.toLowerCase()}</h2>
            <ol className="st-ol">
              <li>Скачайте шаблон и заполните его (столбцы можно переставлять, необязательные — удалять).</li>
              <li>Выберите файл: журнал покажет, что будет добавлено и изменено, и все ошибки.</li>
              <li>«Применить» — загружается всё сразу или ничего. Ничего не удаляется: кого нет в файле, остаётся в журнале.</li>
            </ol>
            <div className="st-steps">
              <div className="st-tools">
                <button type="button" className="btn" disabled={busy !== null} onClick={() => void download('template', 'xlsx')}>Шаблон XLSX</button>
                <button type="button" className="btn" disabled={busy !== null} onClick={() => void download('template', 'csv')}>Шаблон CSV</button>
              </div>
              <div className="st-file st-tools">
                <label className={`btn btn-primary${busy !== null ? ' is-disabled' : ''}`}>
                  Выбрать файл XLSX или CSV…
                  <input ref={fileInput} type="file" className="visually-hidden" aria-label="Файл XLSX или CSV" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    disabled={busy !== null} onChange={(e) => void choose(e.target.files?.[0])} />
                </label>
                <span className="st-file-name">{file ? file.name : 'файл не выбран'}</span>
              </div>
            </div>
          </section>
          <section className="st-section" aria-labelledby="imp-export">
            <h2 id="imp-export" className="st-h">Выгрузить: {label.label.toLowerCase()}</h2>
            <p className="st-lead">Тот же вид, что у шаблона: выгруженный файл, загруженный обратно, ничего не меняет.</p>
            <div className="st-tools">
              <button type="button" className="btn" disabled={busy !== null} onClick={() => void download('export', 'xlsx')}>Выгрузить XLSX</button>
              <button type="button" className="btn" disabled={busy !== null} onClick={() => void download('export', 'csv')}>Выгрузить CSV</button>
            </div>
          </section>
          <div className="st-wide" aria-live="polite">
            {busy === 'read' || busy === 'preview' ? <p className="st-lead">Проверяем файл…</p> : busy === 'apply' ? <p className="st-lead">Загружаем…</p> : null}
            {problem && <div role="alert"><NoticeLine level={problem.level} message={problem.message} requirement={problem.requirement} clause={problem.clause} /></div>}
            {applied && (
              <section className="st-card" aria-labelledby="imp-done">
                <h2 id="imp-done" className="st-h">Список загружен</h2>
                <p className="st-summary"><span>Добавлено: <b>{applied.added}</b></span><span>Изменено: <b>{applied.changed}</b></span><span>Без изменений: <b>{applied.unchanged}</b></span><span className="muted">Записей в журнале: {applied.ops}</span></p>
                {applied.warnings.map((w, i) => <NoticeLine key={i} level={w.level} message={w.message} requirement={w.requirement} clause={w.clause} />)}
              </section>
            )}
          </div>
          {preview && file && (
            <section className="st-section st-wide" aria-labelledby="imp-preview">
              <h2 id="imp-preview" className="st-h">Предпросмотр: {file.name}</h2>
              <p className="st-summary" role="status">
                <span>Строк: <b>{preview.rows}</b></span>
                <span className="st-tag-add">Добавить: <b>{preview.add}</b></span>
                <span className="st-tag-change">Изменить: <b>{preview.change}</b></span>
                <span className="st-tag-same">Без изменений: <b>{preview.same}</b></span>
                <span className={preview.errors.length ? 'st-over' : 'muted'}>Ошибок: <b>{preview.errors.length}</b></span>
              </p>
              {preview.ignoredColumns.length > 0 && <NoticeLine level="warn" message={`Столбцы не из шаблона не загружаются: ${preview.ignoredColumns.map((c) => `«${c}»`).join(', ')}`} />}
              {preview.errors.length > 0 ? <ErrorsTable errors={preview.errors} /> : null}
              <div className="st-actions-row">
                <button type="button" className="btn btn-primary" disabled={!canApply} onClick={() => void apply()}>Применить</button>
                <button type="button" className="btn" disabled={busy !== null} onClick={() => void runPreview(file)}>Проверить снова</button>
                {preview.errors.length > 0 && <span className="st-warn">Исправьте ошибки в файле и выберите его снова: пока в файле есть ошибки, ничего не загружается.</span>}
                {preview.errors.length === 0 && preview.add + preview.change === 0 && <span className="muted">Всё в файле уже есть в журнале: загружать нечего.</span>}
              </div>
              <ItemsTable items={preview.items} show={show} setShow={setShow} />
            </section>
          )}
        </div>
      </div>
    </div>
  );
}

function ErrorsTable({ errors }: { errors: Preview['errors'] }) {
  return (
    <div className="st-scroll">
      <table className="table st-table st-errors" aria-label="Ошибки в файле">
        <thead><tr><th scope="col" className="num">Строка</th><th scope="col">Столбец</th><th scope="col">Ошибка</th></tr></thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={i}>
              <td className="num">{e.row ?? '—'}</td>
              <td>{e.column ? `«${e.column}»` : 'весь файл'}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ItemsTable({ items, show, setShow }: { items: Item[]; show: 'changes' | 'all'; setShow: (s: 'changes' | 'all') => void }) {
  const rows = useMemo(() => (show === 'all' ? items : items.filter((i) => i.action !== 'same')), [items, show]);
  const columns = useMemo<EditColumn<Item>[]>(() => [
    { id: 'row', header: 'Строка', view: (i) => i.row, text: (i) => String(i.row), className: 'num' },
    { id: 'action', header: 'Действие', view: (i) => <span className={ACTION[i.action].cls}>{ACTION[i.action].label}</span>, text: (i) => ACTION[i.action].label },
    { id: 'what', header: 'Запись', view: (i) => i.what, text: (i) => i.what },
    {
      id: 'changes', header: 'Что меняется',
      view: (i) => (i.changes?.length ? <ul className="st-change-list">{i.changes.map((c, n) => <li key={n}>{c}</li>)}</ul> : ''),
      text: (i) => (i.changes ?? []).join(' '),
    },
  ], []);
  return (
    <EditTable caption="Строки файла" rows={rows} rowId={(i) => `${i.row}-${i.what}`} columns={columns} empty="Нет строк для показа"
      tools={(
        <label className="tb-field"><span>Показать</span>
          <select value={show} onChange={(e) => setShow(e.target.value as 'changes' | 'all')}>
            <option value="changes">что добавится и изменится</option>
            <option value="all">все строки</option>
          </select>
        </label>
      )} />
  );
}
