import { defineConfig } from 'drizzle-kit';

// The PostgreSQL twin of drizzle.config.ts: the same tables, converted by db/dialect/pg-tables.ts.
// Run it as `npm run db:generate:pg`, which lets Node load the TypeScript the schema module imports.
// drizzle-kit cannot set collation: create the database with byte-order sorting, as SQLite sorts,
// `CREATE DATABASE … TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/dialect/pg-schema.mjs',
  out: './db/migrations-pg',
});
