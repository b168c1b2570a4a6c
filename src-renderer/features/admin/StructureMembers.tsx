/**
 * Who is in a group (п. 9.6): the members with «исключить», and a pupil picker filtered by class
 * for «добавить»; one `group.members` call saves both lists.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ClassRoster, SetupView } from '../../../src-shared/contract/admin';
import { listName } from '../../app/format';
import { useTransport } from '../../app/data';
import { Loading, NoticeLine } from '../../components/States';
import type { Problem, useChange } from './setup-shared/data';

type Pupil = { id: string; name: string; className: string; left: boolean };

interface Props {
  group: SetupView['groups'][number];
  classes: SetupView['classes'];
  change: ReturnType<typeof useChange>;
  onClose: () => void;
}

export function StructureMembers({ group, classes, change, onClose }: Props) {
  const t = useTransport();
  const [pupils, setPupils] = useState<Map<string, Pupil> | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [classId, setClassId] = useState(group.classId ?? classes[0]?.id ?? '');
  const [query, setQuery] = useState('');
  const [add, setAdd] = useState<Set<string>>(new Set());
  const [remove, setRemove] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ ok: true; text: string } | { ok: false; problem: Problem } | null>(null);

  // Every class's list once: the members' names and the picker come from it.
  useEffect(() => {
    let live = true;
    void Promise.all(classes.map((c) => t.call('class.roster', { classId: c.id }))).then((rs) => {
      if (!live) return;
      const m = new Map<string, Pupil>();
      for (const r of rs) {
        if (!r.ok) { setLoadProblem(r.error.message); continue; }
        const roster: ClassRoster = r.value;
        for (const st of roster.students) m.set(st.id, { id: st.id, name: listName(st), className: roster.class.name, left: st.left !== null });
      }
      setPupils(m);
    });
    return () => { live = false; };
  }, [t, classes]);

  const members = useMemo(() => new Set(group.memberIds), [group.memberIds]);
  const memberRows = useMemo(() => group.memberIds.map((id) => pupils?.get(id) ?? { id, name: id, className: '', left: false }).sort((a, b) => a.name.localeCompare(b.name, 'ru')), [group.memberIds, pupils]);
  const className = classes.find((c) => c.id === classId)?.name ?? '';
  const q = query.trim().toLowerCase();
  const candidates = useMemo(() => [...(pupils?.values() ?? [])]
    .filter((p) => !members.has(p.id) && !p.left && (q ? p.name.toLowerCase().includes(q) : p.className === className))
    .sort((a, b) => a.name.localeCompare(b.name, 'ru')), [pupils, members, className, q]);

  const toggle = (set: Set<string>, id: string, on: boolean) => { const n = new Set(set); if (on) n.add(id); else n.delete(id); return n; };

  async function save() {
    setBusy(true);
    const o = await change('group.members', { groupId: group.id, add: [...add], remove: [...remove] });
    setBusy(false);
    if (!o.ok) { setSaid({ ok: false, problem: o.problem }); return; }
    setSaid({ ok: true, text: `Состав группы сохранён: добавлено ${add.size}, исключено ${remove.size}` });
    setAdd(new Set());
    setRemove(new Set());
  }

  return (
    <section className="st-card" aria-labelledby="mem-title" onKeyDown={(e) => { if (e.key === 'Escape' && !busy) onClose(); }}>
      <h3 id="mem-title" className="st-h">Состав группы «{group.name}»</h3>
      {!pupils ? <Loading what="Загружаем списки классов" /> : (
        <div className="st-members">
          <div>
            <h3>В группе ({group.memberIds.length})</h3>
            {memberRows.length === 0 ? <p className="muted">В группе пока никого нет</p> : (
              <ul className="st-list" aria-label="Участники группы">
                {memberRows.map((p) => (
                  <li key={p.id} className={remove.has(p.id) ? 'is-change' : undefined}>
                    <label className="check"><input type="checkbox" checked={remove.has(p.id)} onChange={(e) => setRemove(toggle(remove, p.id, e.target.checked))} />
                      исключить — {p.name} <span className="muted">{p.className}</span></label>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h3>Добавить обучающихся</h3>
            <div className="st-tools">
              <label className="tb-field"><span>Класс</span>
                <select value={classId} onChange={(e) => { setClassId(e.target.value); setQuery(''); }}>
                  {classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                </select>
              </label>
              <input type="search" placeholder="или фамилия из любого класса" aria-label="Найти обучающегося по фамилии" value={query} onChange={(e) => setQuery(e.target.value)} />
            </div>
            {candidates.length === 0 ? <p className="muted">{q ? 'Никого не найдено' : `Все обучающиеся ${className} уже в группе`}</p> : (
              <ul className="st-list" aria-label="Кого добавить">
                {candidates.map((p) => (
                  <li key={p.id} className={add.has(p.id) ? 'is-change' : undefined}>
                    <label className="check"><input type="checkbox" checked={add.has(p.id)} onChange={(e) => setAdd(toggle(add, p.id, e.target.checked))} />
                      {p.name} <span className="muted">{p.className}</span></label>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      {loadProblem && <NoticeLine level="refuse" message={`Не все списки классов загрузились: ${loadProblem}`} />}
      {said && !said.ok && <div role="alert"><NoticeLine level={said.problem.level} message={said.problem.message} requirement={said.problem.requirement} clause={said.problem.clause} /></div>}
      {said?.ok && <p className="st-saved" role="status">{said.text}</p>}
      <div className="st-actions-row">
        <button type="button" className="btn btn-primary" disabled={busy || add.size + remove.size === 0} onClick={() => void save()}>
          {busy ? 'Сохраняем…' : `Сохранить состав${add.size + remove.size ? ` (+${add.size} / −${remove.size})` : ''}`}
        </button>
        <button type="button" className="btn" onClick={onClose} disabled={busy}>Закрыть</button>
      </div>
    </section>
  );
}
