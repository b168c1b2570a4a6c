/**
 * Closing the school year and the archive (п. 12.1–12.2): the checklist, the closing itself, a
 * closed year read-only everywhere.
 */
export const yearMethods = {} as const;
