// Every mutation's writes are one synchronous transaction: a failure midway leaves no rows.
import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../db/ids.js';
import { accounts, merchants } from '../../db/tables/index.js';
import { inTransaction } from '../../db/tx.js';
import { createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();
const db = p.deps.db;
const counts = () => [db.select({ n: count() }).from(accounts).get()!.n, db.select({ n: count() }).from(merchants).get()!.n];

describe('inTransaction', () => {
  it('a failure after several writes rolls all of them back', () => {
    const before = counts();
    expect(() =>
      inTransaction(db, (tx) => {
        tx.insert(merchants).values({ id: newId(), name: '半途而废', category: 'tiles', city: '温州', createdAt: nowIso() }).run();
        tx.insert(accounts).values({ id: newId(), kind: 'MERCHANT', email: 'half@example.cn', passwordHash: 'x', displayName: 'x', createdAt: nowIso() }).run();
        throw new Error('crash midway');
      }),
    ).toThrow('crash midway');
    expect(counts()).toEqual(before);
  });

  it('an async callback is refused and its synchronous writes are rolled back', () => {
    const before = counts();
    expect(() =>
      inTransaction(db, async (tx) => {
        tx.insert(merchants).values({ id: newId(), name: '异步', category: 'tiles', city: '温州', createdAt: nowIso() }).run();
      }),
    ).toThrow(/synchronous/);
    expect(counts()).toEqual(before);
  });

  it('a successful callback commits every write', () => {
    const before = counts();
    inTransaction(db, (tx) => {
      tx.insert(merchants).values({ id: newId(), name: '成功', category: 'tiles', city: '温州', createdAt: nowIso() }).run();
    });
    expect(counts()).toEqual([before[0], before[1]! + 1]);
  });

  it('the database runs with the durability pragmas the design requires', () => {
    const c = db.$client;
    expect(c.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(c.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(c.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(c.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});
