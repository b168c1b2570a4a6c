/**
 * R-BREACH (п. 10.4, приложение к Порядку): «Акт о нарушении конфиденциальности условий доступа в
 * личный кабинет электронного журнала успеваемости обучающихся», the appendix form filled from the
 * breach record, for the commission to sign. A4 portrait, 12 pt; the list of the account's
 * operations from the moment they are invalid follows the signatures as an attachment.
 */
import { formatDateRu, type LocalDate } from '../../src-shared/domain/values';
import type { BreachActData } from './breach-data';
import { drawBlocks, gap, paginate, tableRow, textBlock, type Block } from './flow';
import type { Pdf } from './pdf';

const PAGE = { left: 60, right: 40, top: 40, bottom: 46 };
const MONTHS_GEN = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

/** «05» октября 2026 года */
export function longDateRu(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `«${d}» ${MONTHS_GEN[Number(m) - 1]} ${y} года`;
}

export function drawBreachAct(pdf: Pdf, a: BreachActData, printedOn: LocalDate): Record<string, never> {
  const width = pdf.pageWidth - PAGE.left - PAGE.right;
  const school = a.school.fullName ?? a.school.name;
  const member = (m: BreachActData['commission'][number], i: number) => `${i + 1}. ${m ? `${m.full}, ${m.role}` : '_'.repeat(60)}`;
  const blocks: Block[] = [
    textBlock(pdf, [{ text: `Приложение к Порядку ведения электронного журнала успеваемости обучающихся и электронного дневника успеваемости обучающихся ${a.school.name}` }],
      width * 0.55, { size: 10, style: 'italic', after: 18 }),
    textBlock(pdf, [{ text: 'АКТ' }], width, { style: 'bold', size: 14, align: 'center', after: 2 }),
    textBlock(pdf, [{ text: 'о нарушении конфиденциальности условий доступа в личный кабинет электронного журнала успеваемости обучающихся' }], width, { style: 'bold', align: 'center', after: 6 }),
    textBlock(pdf, [{ text: school }], width, { size: 11, align: 'center', after: 16 }),
    textBlock(pdf, [{ text: 'Комиссия в составе:' }], width, { after: 4 }),
    ...a.commission.map((m, i) => textBlock(pdf, [{ text: member(m, i) }], width, { after: 2 })),
    gap(6),
    textBlock(pdf, [{ text: `в соответствии с п. 10 Порядка ведения электронного журнала успеваемости обучающихся и электронного дневника успеваемости ${a.school.name} составили настоящий Акт о нарушении конфиденциальности условий доступа в личный кабинет электронного журнала успеваемости обучающихся.` }], width, { after: 10 }),
    textBlock(pdf, [{ text: 'Сведения о нарушении' }], width, { style: 'bold', after: 4 }),
  ];
  const facts: [string, string][] = [
    ['Учётная запись', `${a.account.login}${a.account.owner ? ` — ${a.account.owner}` : ''} (${a.account.roles.join(', ')})`],
    ['Предполагаемое начало нарушения', a.suspectedFrom],
    ['Сообщение о нарушении поступило', a.reportedAt],
    ['Операции признаются недействительными начиная с', a.invalidFrom],
    ['Нарушение записано в электронный журнал', `${a.recorded.at}${a.recorded.by ? `, ${a.recorded.by}` : ''}`],
    ...(a.note ? [['Обстоятельства', a.note] as [string, string]] : []),
    ['Операций учётной записи с этого момента', a.ops.total === 0 ? 'нет' : `${a.ops.total}: ${a.ops.byKind.map((k) => `${k.label.toLowerCase()} — ${k.count}`).join('; ')}`],
    ['Операций с начала нарушения до сообщения', a.review.total === 0 ? 'нет' : `${a.review.total}: не отменены, на рассмотрение комиссии (приложение)`],
  ];
  for (const [k, v] of facts) blocks.push(tableRow(pdf, [190, width - 190], [[{ text: k }], [{ text: v }]], { size: 12 }));
  blocks.push(gap(10));
  blocks.push(textBlock(pdf, [{ text: `Все операции, произведённые с использованием учётной записи «${a.account.login}» начиная с ${a.invalidFrom}, признаются недействительными (п. 10.4 Порядка).` }], width, { after: 12 }));
  blocks.push(textBlock(pdf, [{ text: `Дата составления: ${longDateRu(a.date)}` }], width, { after: 14 }));
  blocks.push({ ...textBlock(pdf, [{ text: 'Подписи членов комиссии:' }], width, { after: 10 }), keepWithNext: true });
  a.commission.forEach((m, i) => blocks.push({
    height: 34,
    draw(p, x, y) {
      p.text(`${i + 1}.  ________________________   / ${m?.short ?? '________________________'} /`, x, y, 'regular', 12);
      p.text('подпись', x + 20, y + 14, 'italic', 8, { width: p.measure('________________________', 'regular', 12), align: 'center' });
    },
  }));
  if (a.ops.list.length) {
    blocks.push(gap(12));
    blocks.push({ ...textBlock(pdf, [{ text: `Приложение: операции учётной записи «${a.account.login}», признанные недействительными${a.ops.total > a.ops.list.length ? ` (первые ${a.ops.list.length} из ${a.ops.total})` : ''}` }], width, { style: 'bold', after: 4 }), keepWithNext: true });
    const head = tableRow(pdf, [30, 130, width - 160], [[{ text: '№' }], [{ text: 'Время (школы)' }], [{ text: 'Действие' }]], { style: 'bold', size: 10, fill: '#e6e6e6' });
    blocks.push({ ...head, keepWithNext: true });
    a.ops.list.forEach((o, i) => blocks.push({ ...tableRow(pdf, [30, 130, width - 160], [[{ text: String(i + 1) }], [{ text: o.at }], [{ text: o.label }]], { size: 11 }), header: head }));
  }
  if (a.review.list.length) {
    blocks.push(gap(12));
    blocks.push({ ...textBlock(pdf, [{ text: `Операции учётной записи «${a.account.login}» между предполагаемым началом нарушения и сообщением о нём — для рассмотрения комиссией (не признаны недействительными)${a.review.total > a.review.list.length ? ` (первые ${a.review.list.length} из ${a.review.total})` : ''}` }], width, { style: 'bold', after: 4 }), keepWithNext: true });
    const head = tableRow(pdf, [30, 130, width - 160], [[{ text: '№' }], [{ text: 'Время (школы)' }], [{ text: 'Действие' }]], { style: 'bold', size: 10, fill: '#e6e6e6' });
    blocks.push({ ...head, keepWithNext: true });
    a.review.list.forEach((o, i) => blocks.push({ ...tableRow(pdf, [30, 130, width - 160], [[{ text: String(i + 1) }], [{ text: o.at }], [{ text: o.label }]], { size: 11 }), header: head }));
  }
  const pages = paginate(blocks, pdf.pageHeight - PAGE.top - PAGE.bottom);
  pages.forEach((page, n) => {
    pdf.newPage();
    drawBlocks(pdf, page, PAGE.left, PAGE.top);
    const foot = pdf.pageHeight - PAGE.bottom + 16;
    pdf.text(`Сформирован в электронном журнале ${formatDateRu(printedOn)}`, PAGE.left, foot, 'regular', 8, { color: '#444444' });
    pdf.text(`Страница ${n + 1} из ${pages.length}`, PAGE.left, foot, 'regular', 9, { width, align: 'right' });
  });
  return {};
}
