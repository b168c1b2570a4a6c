/** The pieces every table of the contract shares: notices, change results, printed documents. */
import { z } from 'zod';

const str = z.string();

/** A warning or refusal that explains itself (R-… and п. …). */
export const Notice = z.object({
  level: z.enum(['warn', 'refuse']),
  code: str,
  message: str,
  requirement: str.optional(),
  clause: str.optional(),
});
export type Notice = z.infer<typeof Notice>;

/** What every change returns: how many ops were recorded, and the rules' warnings. */
export const ChangeResult = z.object({ ops: z.number().int(), warnings: z.array(Notice) });
export const CreatedResult = ChangeResult.extend({ id: str });

/** A printed document (R-WEEKLY-PAPER, R-ANNUAL-PRINT, R-SUMMARY, R-BREACH): PDF bytes in base64. */
export const PrintedPdf = z.object({ pdfBase64: str, pages: z.number().int() });
