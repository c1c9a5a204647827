// Structural rules that keep privacy in one place.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../schema/index.js';

const root = new URL('..', import.meta.url).pathname;
function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(join(root, path)).isDirectory() ? sources(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}
const appSources = ['server', 'schema', 'services', 'db', 'web/src', 'bench'].flatMap((d) => {
  try {
    return sources(d);
  } catch {
    return [];
  }
});

describe('guardrails', () => {
  it('no module but the vault imports the identity table', () => {
    const offenders = appSources.filter((file) => {
      if (file === 'db/vault.ts' || file === 'db/tables/customers.ts') return false;
      const text = readFileSync(join(root, file), 'utf8');
      return /\bcustomerIdentities\b|from\s+customer_identities|into\s+customer_identities/i.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('no server module but server/config.ts reads the environment', () => {
    // The benchmark harness is a tool around the server: it builds the server's environment.
    const offenders = appSources.filter((file) => !file.startsWith('bench/') && file !== 'server/config.ts' && /process\.env/.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders.map((f) => relative(root, join(root, f)))).toEqual([]);
  });

  it('every transaction is an inTransaction (drizzle\'s own on better-sqlite3 commits the part before an await)', () => {
    // db/tx.ts is inTransaction: on PostgreSQL it runs drizzle's transaction, which is atomic there.
    const offenders = appSources.filter((file) => file !== 'db/tx.ts' && /\.transaction\(/.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('every table-backed type declares auth scopes, which also guard node(id) lookups', () => {
    const tableBacked = Object.values(schema.getTypeMap()).filter(
      (t): t is GraphQLObjectType => t instanceof GraphQLObjectType && !!t.extensions?.pothosDrizzleTable,
    );
    expect(tableBacked.map((t) => t.name)).toContain('Customer');
    const unguarded = tableBacked.filter((t) => !(t.extensions.pothosOptions as { authScopes?: unknown }).authScopes).map((t) => t.name);
    expect(unguarded).toEqual([]);
  });
});
