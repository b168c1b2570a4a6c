/**
 * R-BREACH (п. 10.3, 10.4, приложение): what the «Акт о нарушении конфиденциальности» is filled
 * with — the breach record (op `breach.record`, table `breach`), the account and its owner, the
 * commission (the director, the person responsible for technical support, a third member by hand)
 * and the operations of that account from the moment they are invalid.
 */
import { ROLE_LABELS, ROLES, type Role } from '../../src-shared/domain/school';
import type { OpKind } from '../../src-shared/ops/kinds';
import { hlcInstant } from '../../src-shared/ops/envelope';
import { localDateOf, formatLocalRu } from '../../src-shared/rules/local-time';
import type { Journal } from '../journal/open';
import { JournalError } from '../journal/errors';
import { fullName } from '../journal/queries';
import { director, schoolInfo, staffName } from './school-data';

/** What each operation did, in the act's words. */
export const OP_KIND_LABELS: Record<OpKind, string> = {
  'school.set': 'Сведения о школе', 'setting.set': 'Настройка', 'year.set': 'Учебный год', 'levelScheme.set': 'Учебные периоды уровня',
  'period.set': 'Учебный период', 'period.remove': 'Удаление учебного периода', 'holiday.set': 'Каникулы', 'holiday.remove': 'Удаление каникул',
  'bell.set': 'Расписание звонков', 'subject.set': 'Предмет', 'staff.set': 'Сведения о работнике', 'student.set': 'Сведения об обучающемся',
  'parent.set': 'Сведения о родителе', 'parent.link': 'Связь родителя с обучающимся', 'parent.unlink': 'Удаление связи родителя с обучающимся',
  'class.set': 'Класс', 'group.set': 'Группа', 'group.members': 'Состав группы', 'course.set': 'Учебный план и нагрузка', 'course.remove': 'Удаление предмета учебного плана',
  'slot.set': 'Расписание уроков', 'slot.remove': 'Удаление урока из расписания', 'ktp.set': 'КТП', 'ktp.remove': 'Удаление темы КТП',
  'account.set': 'Учётная запись', 'account.password': 'Смена пароля', 'account.reset': 'Выдача разового пароля', 'account.block': 'Блокировка учётной записи', 'breach.record': 'Запись о нарушении конфиденциальности',
  'lesson.create': 'Создание урока', 'lesson.move': 'Перенос урока', 'lesson.remove': 'Удаление незаполненного урока', 'lesson.update': 'Тема, домашнее задание, вид урока',
  'substitution.set': 'Замена учителя', 'substitution.remove': 'Отмена замены', 'homework.individual': 'Индивидуальное домашнее задание',
  'mark.set': 'Выставление отметок', 'mark.annul': 'Удаление отметок', 'attendance.set': 'Отметка об отсутствии', 'absence.reason': 'Причина отсутствия',
  'periodMark.set': 'Итоговые отметки', 'periodMark.annul': 'Удаление итоговых отметок', 'attestation.decision': 'Решение об аттестации',
  'correction.request': 'Запрос на исправление', 'correction.decide': 'Решение по исправлению', 'consent.set': 'Согласие родителя',
  'diary.ack': 'Ознакомление с дневником', 'announcement.post': 'Объявление', 'announcement.annul': 'Отмена объявления',
  'message.send': 'Сообщение', 'message.read': 'Прочтение сообщения',
};

export interface BreachActData {
  school: { name: string; fullName: string | null };
  account: { login: string; owner: string | null; roles: string[] };
  /** School-local «05.10.2026 13:00»: the moment the report was received (п. 10.4) — ops from it on are void. */
  invalidFrom: string;
  /** The suspected onset the director wrote down: ops between it and the report are listed for review, not voided. */
  suspectedFrom: string;
  reportedAt: string;
  recorded: { at: string; by: string | null };
  note: string | null;
  /** The act's date: the school-local day the breach was recorded. */
  date: string;
  commission: ({ full: string; short: string; role: string } | null)[];
  ops: { total: number; byKind: { label: string; count: number }[]; list: { at: string; label: string }[] };
  /** Ops between the suspected onset and the report: they stand; the commission reviews them. */
  review: { total: number; list: { at: string; label: string }[] };
}

const LIST_LIMIT = 60;

export function breachData(j: Journal, breachId: string): BreachActData {
  const b = j.stmt(`SELECT b.id, b.account_id AS accountId, b.from_at AS fromAt, b.reported_at AS reportedAt, b.note, b.recorded_by AS recordedBy, b.recorded_at AS recordedAt,
      a.login, a.roles FROM breach b JOIN account a ON a.id = b.account_id WHERE b.id = ?`).get(breachId) as
    { id: string; accountId: string; fromAt: string; reportedAt: string; note: string | null; recordedBy: string; recordedAt: string; login: string; roles: string } | undefined;
  if (!b) throw new JournalError('not_found', `Запись о нарушении конфиденциальности «${breachId}» не найдена`);
  const school = schoolInfo(j);
  const tz = school.timezone;
  // п. 10.4: void from the moment the report was received; the ops between the suspected onset and it are for review.
  const from = new Date(b.reportedAt).toISOString();
  const onset = new Date(Math.min(Date.parse(b.fromAt), Date.parse(b.reportedAt))).toISOString();
  const ops = (j.stmt('SELECT kind, hlc FROM op_log WHERE author = ? AND hlc >= ? ORDER BY hlc, pos').all(b.accountId, from) as { kind: OpKind; hlc: string }[]);
  const review = (j.stmt('SELECT kind, hlc FROM op_log WHERE author = ? AND hlc >= ? AND hlc < ? ORDER BY hlc, pos').all(b.accountId, onset, from) as { kind: OpKind; hlc: string }[]);
  const listed = (o: { kind: OpKind; hlc: string }) => ({ at: formatLocalRu(hlcInstant(o.hlc), tz), label: OP_KIND_LABELS[o.kind] ?? o.kind });
  const counts = new Map<string, number>();
  for (const o of ops) {
    const label = OP_KIND_LABELS[o.kind] ?? o.kind;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const adminId = j.stmt(`SELECT a.person_id FROM account a WHERE a.person_kind = 'staff' AND EXISTS (SELECT 1 FROM json_each(a.roles) r WHERE r.value = 'admin')
    ORDER BY a.person_id LIMIT 1`).pluck().get() as string | undefined;
  const dir = director(j);
  const admin = staffName(j, adminId ?? null);
  return {
    school: { name: school.name, fullName: school.fullName },
    account: { login: b.login, owner: personName(j, b.accountId), roles: (JSON.parse(b.roles) as Role[]).sort((x, y) => ROLES.indexOf(x) - ROLES.indexOf(y)).map((r) => ROLE_LABELS[r] ?? r) },
    invalidFrom: formatLocalRu(from, tz),
    suspectedFrom: formatLocalRu(onset, tz),
    reportedAt: formatLocalRu(b.reportedAt, tz),
    recorded: { at: formatLocalRu(b.recordedAt, tz), by: personName(j, b.recordedBy) },
    note: b.note,
    date: localDateOf(b.recordedAt, tz),
    commission: [
      dir ? { ...dir, role: 'директор' } : null,
      admin ? { ...admin, role: 'ответственный за техническую поддержку электронного журнала' } : null,
      null,
    ],
    ops: {
      total: ops.length,
      byKind: [...counts].map(([label, count]) => ({ label, count })).sort((x, y) => y.count - x.count || x.label.localeCompare(y.label, 'ru')),
      list: ops.slice(0, LIST_LIMIT).map(listed),
    },
    review: { total: review.length, list: review.slice(0, LIST_LIMIT).map(listed) },
  };
}

/** «Фамилия Имя Отчество» of the person an account belongs to. */
function personName(j: Journal, accountId: string): string | null {
  const p = j.stmt(`SELECT coalesce(st.last_name, pa.last_name, s.last_name) AS lastName, coalesce(st.first_name, pa.first_name, s.first_name) AS firstName,
      coalesce(st.middle_name, pa.middle_name, s.middle_name) AS middleName
    FROM account a LEFT JOIN staff st ON a.person_kind = 'staff' AND st.id = a.person_id LEFT JOIN parent pa ON a.person_kind = 'parent' AND pa.id = a.person_id
    LEFT JOIN student s ON a.person_kind = 'student' AND s.id = a.person_id WHERE a.id = ?`).get(accountId) as { lastName: string | null; firstName: string | null; middleName: string | null } | undefined;
  return p?.lastName && p.firstName ? fullName({ lastName: p.lastName, firstName: p.firstName, middleName: p.middleName }) : null;
}
