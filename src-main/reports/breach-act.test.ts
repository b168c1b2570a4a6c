/** R-BREACH (п. 10.3, 10.4, приложение): the act filled from a breach record. */
import { describe, expect, it } from 'vitest';
import { P, printSchool } from '../../test/support/print-school';
import { pdfFonts, pdfPages } from '../../test/support/poppler';
import { asBase64, printBreachAct } from './print';

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('«Акт о нарушении конфиденциальности» (R-BREACH, п. 10.4, приложение)', () => {
  const { j } = printSchool();
  const r = asBase64((sink) => printBreachAct(j, { breachId: P.breach }, { createdAt: '2026-10-05T09:10:00Z' }, sink));
  const pdf = Buffer.from(r.pdfBase64, 'base64');
  const text = flat(pdfPages(pdf, 'raw').join('\n'));

  it('follows the appendix form: title, commission, the reference to п. 10, the date and the signatures', () => {
    expect(text).toContain('АКТ о нарушении конфиденциальности условий доступа в личный кабинет электронного журнала успеваемости обучающихся');
    expect(text).toMatch(/Комиссия в составе: 1\. Лаптандер Галина Ивановна, директор 2\. Смирнов Олег, ответственный за техническую поддержку электронного журнала 3\. _+/);
    expect(text).toContain('в соответствии с п. 10 Порядка ведения электронного журнала');
    expect(text).toContain('Дата составления: «05» октября 2026 года');
    expect(text).toMatch(/Подписи членов комиссии: 1\. _+ \/ Лаптандер Г\. И\. \/ подпись 2\. _+ \/ Смирнов О\. \/ подпись 3\./);
  });

  it('is filled from the breach record: the account, its owner, the moments in school time, and the operations declared invalid', () => {
    expect(text).toContain('Учётная запись teacher — Иванова Мария Петровна (Классный руководитель, Учитель)');
    // п. 10.4: invalid from the moment the director received the report, not from the suspected onset.
    expect(text).toContain('Предполагаемое начало нарушения 05.10.2026 13:00');
    expect(text).toContain('Сообщение о нарушении поступило 05.10.2026 13:30');
    expect(text).toContain('Операции признаются недействительными начиная с 05.10.2026 13:30');
    expect(text).toContain('Обстоятельства Пароль записан на листке, оставленном в учительской');
    expect(text).toMatch(/Операций учётной записи с этого момента 2: [^.]*выставление отметок — 1/);
    expect(text).toMatch(/Все операции, произведённые с использованием учётной записи «teacher» начиная с 05\.10\.2026 13:30, признаются недействительными \(п\. 10\.4 Порядка\)/);
    expect(text).toMatch(/1 05\.10\.2026 15:00 Выставление отметок/);
  });

  it('embeds its fonts', () => {
    for (const f of pdfFonts(pdf)) expect(f.embedded, f.name).toBe(true);
  });
});
