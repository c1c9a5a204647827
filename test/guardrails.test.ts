// Structural rules that keep privacy in one place.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getNamedType, GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { builder } from '../schema/builder.js';
import { schema } from '../schema/index.js';
import { fieldsCheckingRules } from '../schema/rules.js';

/** Object types that are parts of another object (its settings, a card, a figure), shown only through it. */
const PARTS = [
  'CustomerRef',
  'ConsentSettings',
  'ContactCard',
  'Media',
  'CampaignStats',
  'CampaignVariantFunnel',
  'CampaignVariantComparison',
  'CampaignVariantResults',
  'TwoProportionTest',
  'ShareStat',
  'RfmSegment',
  'ReferralAttribution',
  'InsightBucket',
  'AllianceInsights',
];

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

  // What a type shows is decided by its rule, checked where objects are produced (schema/rules.ts).
  const objectTypes = Object.values(schema.getTypeMap()).filter(
    (t): t is GraphQLObjectType => t instanceof GraphQLObjectType && !t.name.startsWith('__') && !['Query', 'Mutation', 'Subscription', 'PageInfo'].includes(t.name),
  );
  const ruleOfType = (t: GraphQLObjectType) => (t.extensions.pothosOptions as { rule?: unknown } | undefined)?.rule;
  const ruled = new Set(objectTypes.filter(ruleOfType).map((t) => t.name));

  it('every node type and every type that is not a part of another object declares a rule', () => {
    // A part is only ever reached through a field of an object whose rule was checked.
    const parts = new Set(PARTS);
    const unruled = objectTypes
      .filter((t) => !ruleOfType(t) && !/(Connection|Edge)$/.test(t.name) && !parts.has(t.name))
      .map((t) => t.name);
    expect(ruled).toContain('Customer');
    expect(unruled).toEqual([]);
    const nodesWithoutRule = objectTypes.filter((t) => t.getInterfaces().some((i) => i.name === 'Node') && !ruleOfType(t)).map((t) => t.name);
    expect(nodesWithoutRule).toEqual([]);
  });

  it('every field that answers a ruled type checks the rule on what it answers', () => {
    const checked = fieldsCheckingRules(builder);
    const unchecked = Object.values(schema.getTypeMap())
      .filter((t): t is GraphQLObjectType => t instanceof GraphQLObjectType && !t.name.startsWith('__'))
      .flatMap((t) => Object.values(t.getFields()).map((f) => ({ coordinate: `${t.name}.${f.name}`, type: getNamedType(f.type).name })))
      .filter((f) => ruled.has(f.type) && !checked.has(f.coordinate))
      .map((f) => f.coordinate);
    expect(checked.size).toBeGreaterThan(50);
    expect(unchecked).toEqual([]);
  });

  it('no type is authorized in isTypeOf, which compiled execution does not call', () => {
    expect(objectTypes.filter((t) => t.isTypeOf).map((t) => t.name)).toEqual([]);
  });
});
