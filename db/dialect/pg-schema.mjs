// The schema module drizzle.pg.config.ts names. drizzle-kit collects tables from a TypeScript
// module's named exports or a JavaScript module's default export; the tables are built in a loop,
// so they come as this module's default (with tsx loaded: npm run db:generate:pg).
export { pgTables as default } from './pg-tables.ts';
