/** docs/api.md, generated from the contract (src-shared/contract/methods.ts): `npm run docs:api`. */
import { z } from 'zod';
import { DEPRECATED_METHODS, METHOD_NAMES, methods, ERROR_CODES } from '../../src-shared/contract/methods';
import { PURPOSE } from '../../src-shared/contract/purpose';

export function apiDoc(): string {
  const lines = [
    '# API (contract)',
    '',
    'Generated from `src-shared/contract/methods.ts` by `npm run docs:api` — do not edit by hand (a test checks it is current).',
    '',
    'Every method is called the same way on every transport — Electron IPC (`window.ejournal.call`), HTTP',
    '(`POST /api/v1/rpc/:method`), and `ejournal call FILE --as LOGIN METHOD \'JSON\' [--now ISO]` — and answers',
    '`{ "ok": true, "value": … }` or `{ "ok": false, "error": { "code", "message", "requirement"?, "clause"?, "notices"? } }`.',
    `Error codes: ${ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.`,
    '',
    '| method | what |',
    '|---|---|',
    ...METHOD_NAMES.map((m) => `| [\`${m}\`](#${m.replace(/\./g, '')}) | ${PURPOSE[m] ?? ''}${replacedBy(m) ? ` **Устарел:** используйте \`${replacedBy(m)}\`.` : ''} |`),
    '',
  ];
  for (const m of METHOD_NAMES) {
    const spec = methods[m];
    lines.push(`## ${m}`, '', PURPOSE[m] ?? '', '', 'Input:', '', '```json', JSON.stringify(z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' }), null, 1), '```', '',
      'Output (`value`):', '', '```json', JSON.stringify(z.toJSONSchema(spec.output, { unrepresentable: 'any' }), null, 1), '```', '');
  }
  return lines.join('\n');
}

/** The method that replaces an old name kept for one release (DEPRECATED_METHODS). */
function replacedBy(m: string): string | undefined {
  return (DEPRECATED_METHODS as Record<string, string>)[m];
}
