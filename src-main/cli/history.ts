/** `ejournal history FILE --student … --date … --subject …`: one cell's history (R-AUDIT) — who, when, from which device. */
import { MARK_COLUMNS, type MarkColumn } from '../../src-shared/domain/school';
import { cellHistory } from '../journal/queries';
import { UserError } from '../errors/user-error';
import { args, dateOption, intOption } from './args';
import type { Io } from './io';
import { withJournal } from './journal-file';
import { resolveClass, resolveStudent, resolveSubject } from './lookup';
import { KEY_OPTIONS } from '../auth/secrets';

export function runHistory(argv: string[], io: Io): number {
  const a = args(argv, { student: { type: 'string' }, date: { type: 'string' }, subject: { type: 'string' }, class: { type: 'string' }, lesson: { type: 'string' }, column: { type: 'string' }, json: { type: 'boolean' }, ...KEY_OPTIONS });
  if (a.positionals.length !== 1) throw new UserError('Укажите один файл журнала: ejournal history FILE --student … --date … --subject …');
  const v = a.values;
  if (!v.student || !v.date || !v.subject) throw new UserError('Нужны --student, --date и --subject');
  const date = dateOption(v.date as string, 'date')!;
  const column = (v.column as string | undefined) ?? 'main';
  if (!(MARK_COLUMNS as readonly string[]).includes(column)) throw new UserError(`--column: одно из ${MARK_COLUMNS.join(', ')}`);
  return withJournal(a.positionals[0], v, (j) => {
    const cls = v.class ? resolveClass(j, v.class as string) : undefined;
    const student = resolveStudent(j, v.student as string, cls?.id);
    const subject = resolveSubject(j, v.subject as string);
    const lessons = j.stmt(`SELECT l.id, l.number FROM lesson l JOIN course c ON c.id = l.course_id JOIN grp g ON g.id = c.group_id
      WHERE l.date = ? AND c.subject_id = ? AND ((g.kind = 'class' AND g.class_id = ?) OR EXISTS (SELECT 1 FROM group_member m WHERE m.group_id = g.id AND m.student_id = ?))
      ORDER BY l.number`).all(date, subject.id, student.classId, student.id) as { id: string; number: number }[];
    const wantedNo = v.lesson === undefined ? undefined : intOption(v.lesson as string, 'lesson', 0, 0, 12);
    const chosen = wantedNo === undefined ? lessons : lessons.filter((l) => l.number === wantedNo);
    if (chosen.length === 0) throw new UserError(`У ученика ${student.name} нет урока «${subject.name}» ${date}${wantedNo !== undefined ? ` (урок № ${wantedNo})` : ''}`);
    if (chosen.length > 1) throw new UserError(`${date} у ученика ${lessons.length} урока «${subject.name}» (№ ${lessons.map((l) => l.number).join(', ')}): укажите --lesson N`);
    const h = cellHistory(j, { lessonId: chosen[0]!.id, studentId: student.id, column: column as MarkColumn });
    if (v.json) {
      io.out(JSON.stringify({ student: student.name, subject: subject.name, date, lesson: chosen[0]!.number, column, history: h }));
      return 0;
    }
    io.out(`${student.name}, ${subject.name}, ${date}, урок № ${chosen[0]!.number}${column !== 'main' ? `, колонка ${column}` : ''}`);
    if (h.length === 0) io.out('  записей нет');
    for (const e of h) {
      io.out(`  ${e.at}  ${(e.previous ?? '—').padEnd(4)} → ${(e.value ?? '—').padEnd(4)} ${e.authorName ?? e.author} (устройство ${e.device}, операция ${e.seq})${e.note ? ` — ${e.note}` : ''}`);
    }
    return 0;
  });
}
