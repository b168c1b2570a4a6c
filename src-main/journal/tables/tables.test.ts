/**
 * Every read of tables/ runs against the tiny school and gives rows of the shape it documents. A
 * column renamed in schema.ts fails the typecheck of these modules; this test catches what the
 * types cannot — a statement SQLite refuses, a join that loses rows, a flag that stops being boolean.
 */
import { describe, expect, it } from 'vitest';
import { submit } from '../../commands/execute';
import { draft } from '../log';
import { T, tinySchool } from '../../../test/support/tiny-school';
import * as accounts from './accounts';
import * as families from './families';
import * as lessons from './lessons';
import * as marks from './marks';
import * as oplog from './oplog';
import * as people from './people';
import * as structure from './structure';

const modules = { accounts, families, lessons, marks, oplog, people, structure };
const [s1, s2] = T.students;
const [l1, l2] = T.lessons;

function school() {
  const { j, admin } = tinySchool();
  submit(admin, draft('mark.set', { lessonId: l1, marks: [{ studentId: s1, value: '5' }, { studentId: s2, value: '4' }] }));
  submit(admin, draft('attendance.set', { lessonId: l2, entries: [{ studentId: s1, absent: true }] }));
  return j;
}

/** The keys a row has (a row of the shape documented by its function's return type). */
const keys = (row: unknown) => Object.keys(row as object).sort();

describe('the typed reads of src-main/journal/tables', () => {
  const j = school();
  const year = T.year;
  const cases: Record<string, () => void> = {
    'accounts.accountRoles': () => expect((JSON.parse(accounts.accountRoles(j, T.teacherAcc)!) as string[]).sort()).toEqual(['class_teacher', 'teacher']),
    'accounts.accountActor': () => expect(accounts.accountActor(j, T.parent)).toEqual({ id: T.parent, personKind: 'parent', personId: 'p-1', roles: '["parent"]', blocked: false }),
    'accounts.accountByLogin': () => expect(accounts.accountByLogin(j, 'teacher')).toEqual({ id: T.teacherAcc, verifier: null, blocked: false }),
    'accounts.accountVerifier': () => expect([accounts.accountVerifier(j, T.admin), accounts.accountVerifier(j, 'nobody')]).toEqual([null, undefined]),
    'accounts.sessionAccount': () => expect(keys(accounts.sessionAccount(j, T.admin))).toEqual(['id', 'kind', 'login', 'personId', 'roles', 'verifier']),
    'accounts.staffAccount': () => expect([accounts.staffAccount(j, T.teacherAcc)?.staffId, accounts.staffAccount(j, T.parent)]).toEqual([T.teacher, undefined]),
    'accounts.accountPersonName': () => expect([accounts.accountPersonName(j, T.teacherAcc), accounts.accountPersonName(j, T.parent)]).toEqual(['Иванова Мария', 'Петрова Елена']),
    'families.lastDiaryAcks': () => expect(families.lastDiaryAcks(j, T.cls)).toEqual([]),
    'families.messageRecipient': () => expect(families.messageRecipient(j, 'none')).toBeUndefined(),
    'families.announcementPoster': () => expect(families.announcementPoster(j, 'none')).toBeUndefined(),
    'lessons.lessonCourseId': () => expect(lessons.lessonCourseId(j, l1)).toBe(T.course),
    'lessons.substitutionOf': () => expect(lessons.substitutionOf(j, l1)).toBeUndefined(),
    'lessons.courseLessons': () => {
      const rows = lessons.courseLessons.all(j, T.course, '2026-09-01', '2026-09-30');
      expect(rows.map((r) => r.id)).toEqual([...T.lessons]);
      expect(keys(rows[0])).toEqual(['date', 'homework', 'id', 'kind', 'movedFrom', 'number', 'status', 'substituteId', 'topic', 'workType']);
    },
    'lessons.studentWeekLessons': () => {
      const rows = lessons.studentWeekLessons.all(j, { sid: s1, cid: T.cls, from: '2026-09-07', to: '2026-09-13' });
      expect(rows.map((r) => [r.lessonId, r.absent, r.substituted])).toEqual([[l1, 0, 0], [l2, 1, 0]]);
    },
    'lessons.lessonPage': () => expect(lessons.lessonPage(j, l1)).toMatchObject({ id: l1, courseId: T.course, grade: 5, subjectCode: 'russian', groupName: '5А', bs: '09:20', be: '10:00', sl: null }),
    'lessons.individualHomeworkOf': () => expect(lessons.individualHomeworkOf(j, l1)).toEqual([]),
    'lessons.lessonForRules': () => expect(lessons.lessonForRules(j, l1)).toMatchObject({ id: l1, courseId: T.course, groupId: T.group, yearId: year, grade: 5, hoursPerWeek: 5, topic: null }),
    'lessons.nextLesson': () => expect(lessons.nextLesson(j, T.course, '2026-09-10', 2)).toEqual({ date: '2026-09-11', number: 1 }),
    'lessons.courseLessonsUpTo': () => expect(lessons.courseLessonsUpTo(j, T.course, '2026-09-11', 1).map((l) => l.id)).toEqual([l1, l2]),
    'lessons.lessonIdsUpTo': () => expect(j.db.select().from(lessons.lessonIdsUpTo(j.db).as('u')).all({ courseId: T.course, date: '2026-09-10', number: 2 })).toEqual([{ id: l1 }]),
    'lessons.ktpUsage': () => expect(lessons.ktpUsage(j, T.course)).toEqual([]),
    'lessons.ktpOf': () => expect(lessons.ktpOf(j, year, T.subject, 5)).toEqual([]),
    'lessons.heldLessonCount': () => expect([lessons.heldLessonCount(j, T.course, '2026-09-01', '2026-09-30'), lessons.heldLessonCount(j, T.course, '2026-09-01', '2026-09-10', true)]).toEqual([3, 1]),
    'lessons.lastLessonNumber': () => expect([lessons.lastLessonNumber(j, T.group, '2026-09-16'), lessons.lastLessonNumber(j, T.group, '2026-09-17')]).toEqual([3, null]),
    'lessons.lessonPlace': () => expect(lessons.lessonPlace(j, l1)).toEqual({ date: '2026-09-10', number: 2, subject: 'Русский язык', grp: '5А' }),
    'lessons.attendanceLessons': () => expect(lessons.attendanceLessons(j, [T.course], '2026-09-07', '2026-09-12').map((l) => keys(l))).toEqual(Array(2).fill(['courseId', 'date', 'id', 'number', 'subjectName', 'subjectShort'])),
    'lessons.lessonCount': () => expect(lessons.lessonCount(j)).toBe(3),
    'marks.courseMarks': () => expect(marks.courseMarks.all(j, T.course, '2026-09-01', '2026-09-30')).toEqual(expect.arrayContaining([{ lessonId: l1, studentId: s1, column: 'main', value: '5', workType: 'lesson', comment: null }])),
    'marks.courseAbsences': () => expect(marks.courseAbsences.all(j, T.course, '2026-09-01', '2026-09-30')).toEqual([{ lessonId: l2, studentId: s1, reason: null }]),
    'marks.subjectPeriodMarks': () => expect(marks.subjectPeriodMarks.all(j, T.subject, year)).toEqual([]),
    'marks.studentMarksOfLessons': () => expect(marks.studentMarksOfLessons.all(j, JSON.stringify([l1, l2]), s1)).toEqual([{ lessonId: l1, value: '5', column: 'main', workType: 'lesson', comment: null }]),
    'marks.studentPeriodMarks': () => expect(marks.studentPeriodMarks.all(j, s1)).toEqual([]),
    'marks.absentStudentIds': () => expect(marks.absentStudentIds(j, l2)).toEqual([s1]),
    'marks.lessonMarkCells': () => expect(marks.lessonMarkCells(j, l1).sort((a, b) => a.studentId.localeCompare(b.studentId))).toEqual([{ studentId: s1, column: 'main' }, { studentId: s2, column: 'main' }]),
    'marks.markedUpTo': () => expect(marks.markedUpTo(j, T.course, '2026-09-16', 3)).toHaveLength(2),
    'marks.absentUpTo': () => expect(marks.absentUpTo(j, T.course, '2026-09-10', 2)).toEqual([]),
    'marks.courseMarkValues': () => expect(marks.courseMarkValues(j, T.course, '2026-09-01', '2026-09-30')).toHaveLength(2),
    'marks.courseAbsenceReasons': () => expect(marks.courseAbsenceReasons(j, T.course, '2026-09-01', '2026-09-30')).toEqual([{ sid: s1, reason: null }]),
    'marks.coursesAbsences': () => expect([marks.coursesAbsences(j, [T.course], '2026-09-01', '2026-09-30'), marks.coursesAbsences(j, [], '2026-09-01', '2026-09-30')]).toEqual([[{ lessonId: l2, studentId: s1, reason: null }], []]),
    'marks.termMarks': () => expect(marks.termMarks(j, year, T.subject, T.period1)).toEqual([]),
    'marks.studentCourseMarks': () => expect(marks.studentCourseMarks(j, T.course, s1, '2026-09-01', '2026-09-30')).toEqual([{ value: '5', workType: 'lesson', date: '2026-09-10', lessonId: l1, column: 'main' }]),
    'marks.studentAttendance': () => expect(marks.studentAttendance(j, T.course, s1, '2026-09-01', '2026-09-11', 99).map((r) => [r.lessonId, r.absent])).toEqual([[l1, 0], [l2, 1]]),
    'marks.attestationDecision': () => expect(marks.attestationDecision(j, s1, T.subject, year, T.period1)).toBeUndefined(),
    'marks.periodMarkValue': () => expect(marks.periodMarkValue(j, s1, T.subject, year, T.period1)).toBeUndefined(),
    'marks.correctionRequester': () => expect(marks.correctionRequester(j, 'none')).toBeUndefined(),
    'marks.markCorrectionsOfLesson': () => expect(marks.markCorrectionsOfLesson(j, l1)).toEqual([]),
    'marks.periodMarkDecisions': () => expect(marks.periodMarkDecisions(j, s1, T.subject, T.period1)).toEqual([]),
    'marks.corrections': () => expect([marks.corrections(j), marks.corrections(j, T.teacherAcc)]).toEqual([[], []]),
    'marks.markCount': () => expect(marks.markCount(j)).toBe(2),
    'marks.absenceCount': () => expect(marks.absenceCount(j)).toBe(1),
    'oplog.opsOfScope': () => {
      const ops = oplog.opsOfScope(j, l1, ['c-none']);
      expect(ops.map((o) => o.kind)).toContain('mark.set');
      expect(keys(ops[0])).toEqual(['author', 'device', 'hlc', 'kind', 'payload', 'seq']);
    },
    'oplog.opCount': () => expect(oplog.opCount(j)).toBeGreaterThan(30),
    'people.studentClassId': () => expect([people.studentClassId(j, s1), people.studentClassId(j, 'nobody')]).toEqual([T.cls, undefined]),
    'people.childIdsOfParent': () => expect(people.childIdsOfParent(j, 'p-1')).toEqual([s1]),
    'people.studentsInClass': () => {
      const rows = people.studentsInClass(j, T.cls);
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatchObject({ homeSchooling: false, individualPlan: false, medicalGroup: 'main', peExemptUntil: null, classId: T.cls });
    },
    'people.studentsInGroup': () => expect(people.studentsInGroup(j, T.group)).toEqual([]),
    'people.studentWithClass': () => expect(people.studentWithClass(j, s1)).toEqual({ id: s1, lastName: 'Петров', firstName: 'Пётр', middleName: 'Ильич', classId: T.cls, className: '5А' }),
    'people.childrenOfParent': () => expect(people.childrenOfParent(j, 'p-1')).toEqual([{ id: s1, lastName: 'Петров', firstName: 'Пётр', middleName: 'Ильич', className: '5А' }]),
    'people.personName': () => expect(people.personName(j, 'staff', T.teacher)).toEqual({ lastName: 'Иванова', firstName: 'Мария', middleName: 'Петровна' }),
    'people.namesInClass': () => expect(people.namesInClass(j, T.otherCls)).toEqual([{ id: T.otherStudent, lastName: 'Худи', firstName: 'Нина', middleName: null }]),
    'people.studentForRules': () => expect(people.studentForRules(j, s1)).toEqual({ id: s1, medicalGroup: 'main', peExemptUntil: null, homeSchooling: false }),
    'people.studentGrade': () => expect(people.studentGrade(j, T.otherStudent)).toBe(6),
    'people.activeStudentCount': () => expect(people.activeStudentCount(j)).toBe(4),
    'structure.schoolTimeZone': () => expect(structure.schoolTimeZone(j)).toBe('Asia/Yekaterinburg'),
    'structure.schoolNameAndZone': () => expect(structure.schoolNameAndZone(j)).toEqual({ name: 'МБОУ «Тестовая СОШ»', timeZone: 'Asia/Yekaterinburg' }),
    'structure.settingValue': () => expect(structure.settingValue(j, 'rules')).toBeUndefined(),
    'structure.yearAt': () => expect([structure.yearAt(j, '2026-10-01')?.id, structure.yearAt(j, '2030-01-01')?.id]).toEqual([year, year]),
    'structure.periodById': () => expect(structure.periodById(j, T.period1)).toEqual({ id: T.period1, yearId: year, scheme: 'trimesters', number: 1, name: 'I триместр', starts: '2026-09-01', ends: '2026-11-30' }),
    'structure.periodsOfYear': () => expect(structure.periodsOfYear(j, year).map((p) => p.id)).toEqual([T.period1]),
    'structure.periodsOfScheme': () => expect(structure.periodsOfScheme(j, year, 'trimesters')).toEqual([{ id: T.period1, name: 'I триместр', starts: '2026-09-01', ends: '2026-11-30' }]),
    'structure.levelSchemesOfYear': () => expect(structure.levelSchemesOfYear(j, year)).toEqual([{ level: 'OOO', scheme: 'trimesters' }]),
    'structure.levelScheme': () => expect(structure.levelScheme(j, year, 'OOO')).toBe('trimesters'),
    'structure.holidaysOfYear': () => expect(structure.holidaysOfYear(j, year)).toEqual([]),
    'structure.bellOf': () => expect(structure.bellOf(j, year, 2)).toEqual({ starts: '09:20', ends: '10:00' }),
    'structure.subjectById': () => expect(structure.subjectById(j, T.subject)).toEqual({ id: T.subject, name: 'Русский язык', short: 'Рус. яз.', code: 'russian' }),
    'structure.classById': () => expect(structure.classById(j, T.cls)).toEqual({ id: T.cls, yearId: year, name: '5А', grade: 5, classTeacherId: T.teacher }),
    'structure.classesOfYear': () => expect(structure.classesOfYear(j, year).map((c) => c.name)).toEqual(['5А', '6А']),
    'structure.classIdsLedBy': () => expect(structure.classIdsLedBy(j, T.teacher, year)).toEqual([T.cls]),
    'structure.classTeacherOf': () => expect([structure.classTeacherOf(j, T.cls), structure.classTeacherOf(j, T.otherCls)]).toEqual([T.teacher, null]),
    'structure.classGrade': () => expect([structure.classGrade(j, T.otherCls), structure.classGrade(j, null)]).toEqual([6, undefined]),
    'structure.classCount': () => expect(structure.classCount(j)).toBe(2),
    'structure.groupKind': () => expect(structure.groupKind(j, T.group)).toEqual({ kind: 'class', classId: T.cls }),
    'structure.classesOfGroup': () => expect(structure.classesOfGroup(j, T.group)).toEqual([T.cls]),
    'structure.studentInGroup': () => expect([structure.studentInGroup(j, s1, T.group), structure.studentInGroup(j, T.otherStudent, T.group)]).toEqual([true, false]),
    'structure.groupHasClass': () => expect([structure.groupHasClass(j, T.group, T.cls), structure.groupHasClass(j, T.group, T.otherCls)]).toEqual([true, false]),
    'structure.courseGroupAndTeacher': () => expect(structure.courseGroupAndTeacher(j, T.course)).toEqual({ groupId: T.group, teacherId: T.teacher }),
    'structure.courseHeader': () => expect(structure.courseHeader(j, T.course)).toMatchObject({ id: T.course, groupName: '5А', subjectCode: 'russian', tl: 'Иванова', grade: 5, hoursPerWeek: 5 }),
    'structure.coursesOfYear': () => expect(structure.coursesOfYear(j, year)).toMatchObject([{ id: T.course, groupKind: 'class', classId: T.cls, grade: 5, tf: 'Мария' }]),
    'structure.courseKtpKey': () => expect(structure.courseKtpKey(j, T.course)).toEqual({ subjectId: T.subject, yearId: year, code: 'russian', grade: 5 }),
    'structure.coursesOfClass': () => expect([structure.coursesOfClass(j, year, T.cls).map((c) => c.courseId), structure.coursesOfClass(j, year, T.otherCls)]).toEqual([[T.course], []]),
    'structure.teachesSubject': () => expect([structure.teachesSubject(j, T.teacher, year, T.subject, s1), structure.teachesSubject(j, T.teacher, year, T.subject, T.otherStudent)]).toEqual([true, false]),
    'structure.studentCourse': () => expect(structure.studentCourse(j, year, T.subject, s1)).toEqual({ id: T.course, hoursPerWeek: 5, groupId: T.group }),
    'structure.courseWithClassGrade': () => expect(structure.courseWithClassGrade(j, T.course)).toEqual({ id: T.course, groupId: T.group, subjectId: T.subject, yearId: year, hoursPerWeek: 5, grade: 5 }),
  };

  it('has a case for every exported read (functions and typed statements)', () => {
    const exported = Object.entries(modules).flatMap(([name, m]) => Object.entries(m)
      .filter(([, v]) => typeof v === 'function' || (typeof v === 'object' && v !== null && 'all' in v))
      .map(([k]) => `${name}.${k}`));
    expect(exported.filter((e) => !(e in cases))).toEqual([]);
  });

  for (const [name, run] of Object.entries(cases)) it(name, run);
});
