/** Reading PDFs back the way a person's tools do: poppler's pdftotext, pdfinfo, pdffonts. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PDF given as bytes is written to a temporary file first. */
export function pdfFile(pdf: string | Uint8Array): string {
  if (typeof pdf === 'string') return pdf;
  const file = join(mkdtempSync(join(tmpdir(), 'ejournal-pdf-')), 'doc.pdf');
  writeFileSync(file, pdf);
  return file;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/**
 * The text of every page, pages split on form feeds: `layout` keeps the page's columns side by
 * side; `raw` gives the text in drawing order (a table cell's wrapped lines stay together).
 */
export function pdfPages(pdf: string | Uint8Array, mode: 'layout' | 'raw' = 'layout'): string[] {
  const pages = run('pdftotext', [`-${mode}`, pdfFile(pdf), '-']).split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

export function pdfPageCount(pdf: string | Uint8Array): number {
  return Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [pdfFile(pdf)]))?.[1]);
}

/** Rows of `pdffonts`: name, type, embedded. */
export function pdfFonts(pdf: string | Uint8Array): { name: string; embedded: boolean }[] {
  return run('pdffonts', [pdfFile(pdf)]).split('\n').slice(2).filter((l) => l.trim()).map((l) => {
    const cols = l.trim().split(/\s+/);
    // name type… encoding emb sub uni object ID
    return { name: cols[0]!, embedded: cols.at(-5) === 'yes' };
  });
}

/** Every word of a page with its box, in points from the top-left corner. */
export function pdfWords(pdf: string | Uint8Array, page: number): { text: string; xMin: number; xMax: number; yMin: number; yMax: number }[] {
  const html = run('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdfFile(pdf), '-']);
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]),
    text: m[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'),
  }));
}
