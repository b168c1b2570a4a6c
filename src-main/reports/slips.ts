/**
 * Slips with one-time passwords (R-ACCOUNTS, п. 9.6): for families without e-mail, the class
 * teacher cuts the A4 sheet and hands each family its slip. Eight slips a page (2 × 4), each with
 * the school, the person, the login, the one-time password in a large monospaced-looking line and
 * what to do with it. The passwords exist only in this document: the journal keeps verifiers.
 */
import { formatDateRu, type LocalDate } from '../../src-shared/domain/values';
import type { Pdf } from './pdf';

export interface Slip {
  /** «Иванова Мария Петровна» */
  name: string;
  /** «родитель (законный представитель): Иванов Иван, 5А» */
  who: string;
  login: string;
  password: string;
}

export interface SlipsData {
  school: string;
  className: string;
  /** Where the diary opens (the server's address), when known. */
  address: string | null;
  slips: Slip[];
}

const COLS = 2;
const ROWS = 4;
const MARGIN = 28;

export function drawSlips(pdf: Pdf, d: SlipsData, printedOn: LocalDate): Record<string, never> {
  const w = (pdf.pageWidth - 2 * MARGIN) / COLS;
  const h = (pdf.pageHeight - 2 * MARGIN) / ROWS;
  d.slips.forEach((s, i) => {
    const k = i % (COLS * ROWS);
    if (k === 0) {
      pdf.newPage();
      pdf.text(`${d.school} · ${d.className} · разовые пароли, выданы ${formatDateRu(printedOn)} · разрежьте по линиям`, MARGIN, 12, 'italic', 8);
    }
    const x = MARGIN + (k % COLS) * w;
    const y = MARGIN + Math.floor(k / COLS) * h;
    pdf.rect(x, y, w, h, 0.4);
    const inner = w - 24;
    let at = y + 12;
    at += pdf.lines(pdf.wrap('Электронный дневник', inner, 'bold', 11), x + 12, at, 'bold', 11);
    at += pdf.lines(pdf.wrap(d.school, inner, 'regular', 8), x + 12, at, 'regular', 8) + 4;
    at += pdf.lines(pdf.wrap(s.name, inner, 'bold', 10), x + 12, at, 'bold', 10);
    at += pdf.lines(pdf.wrap(s.who, inner, 'regular', 8), x + 12, at, 'regular', 8) + 6;
    pdf.text('Логин:', x + 12, at, 'regular', 9);
    pdf.text(s.login, x + 70, at - 1, 'bold', 11);
    at += 16;
    pdf.text('Разовый пароль:', x + 12, at, 'regular', 9);
    pdf.text(s.password, x + 12, at + 12, 'bold', 14);
    at += 34;
    const how = `${d.address ? `Откройте ${d.address}, в` : 'В'}ойдите с этим логином и разовым паролем и сразу придумайте свой пароль (не короче 8 символов). Разовый пароль действует только для первого входа. Никому не сообщайте свой пароль (п. 10.1–10.2 Порядка).`;
    pdf.lines(pdf.wrap(how, inner, 'italic', 7.5), x + 12, at, 'italic', 7.5);
  });
  if (d.slips.length === 0) {
    pdf.newPage();
    pdf.text(`${d.school} · ${d.className}`, MARGIN, MARGIN, 'bold', 12);
    pdf.text('Всем выбранным уже выданы пароли: разовых паролей нет. Чтобы выдать новые, отметьте «выдать заново».', MARGIN, MARGIN + 20, 'regular', 10);
  }
  return {};
}
