// A customer's data export is one snapshot: on PostgreSQL every statement it runs goes through the
// connection of its one transaction, none through the pool outside it, so a change committed
// meanwhile shows everywhere in the export or nowhere.
import type pg from 'pg';
import { expect, it } from 'vitest';
import { createTestPlatform } from '../fixtures.js';
import { createCast, ok } from '../story.js';

const p = await createTestPlatform({}, undefined, 'pg');
const pool = p.deps.db.$client as unknown as pg.Pool;

it("a customer's export reads every table inside its one transaction", async () => {
  const cast = await createCast(p);
  // Who the customer is comes from the remembered viewer, not from reads of the export's.
  await ok(p, `{ viewer { id } }`, {}, cast.customerToken);
  // Statements outside a transaction go through pool.query; a transaction's go through its own client.
  const outside: string[] = [];
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => {
    const [first] = args as [{ text?: string } | string];
    outside.push(typeof first === 'string' ? first : (first.text ?? ''));
    return query(...args);
  }) as typeof pool.query;
  const inside = p.statements.length;
  try {
    const { exportMyData } = await ok(p, `mutation { exportMyData }`, {}, cast.customerToken);
    expect(Object.keys(JSON.parse(exportMyData))).toEqual(expect.arrayContaining(['records', 'referralRequests', 'grants', 'accessLog', 'notifications']));
  } finally {
    pool.query = query as typeof pool.query;
  }
  const exportReads = (statements: string[]) => statements.filter((s) => /from "(customers|referral_requests|contact_grants|access_log|notifications|purchases)"/.test(s));
  expect(exportReads(p.statements.slice(inside)).length).toBeGreaterThan(5);
  expect(exportReads(outside)).toEqual([]);
});
