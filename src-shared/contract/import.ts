/**
 * Import and export of the school's lists (R-IMPORT, п. 9.6): XLSX and CSV files of pupils with
 * parents, staff, classes and groups, the curriculum and teacher load. Preview first, then apply
 * all or nothing (src-main/admin/import).
 */
export const importMethods = {} as const;
