/**
 * Setting a school up (R-SETUP, R-ACCOUNTS, п. 9.1, 9.4, 9.6, 10): accounts, the school year,
 * classes and groups, subjects, curriculum and teacher load, the pupils' register.
 */
export const adminMethods = {} as const;
