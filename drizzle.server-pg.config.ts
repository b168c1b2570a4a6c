import { defineConfig } from 'drizzle-kit';

/** The server's op-log store on PostgreSQL: `npx drizzle-kit generate --config drizzle.server-pg.config.ts`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src-server/store/schema-pg.ts',
  out: './migrations/server/pg',
});
