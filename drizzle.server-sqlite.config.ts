import { defineConfig } from 'drizzle-kit';

/** The server's op-log store on SQLite: `npx drizzle-kit generate --config drizzle.server-sqlite.config.ts`. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './src-server/store/schema-sqlite.ts',
  out: './migrations/server/sqlite',
});
