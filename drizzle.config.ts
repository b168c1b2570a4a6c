import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src-main/journal/schema.ts',
  out: './migrations/journal',
});
