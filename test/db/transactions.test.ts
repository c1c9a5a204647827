// Every mutation's writes are one transaction that stays atomic across `await`: a failure midway
// leaves no rows, concurrent transactions take turns, and reads never see uncommitted writes.
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../db/ids.js';
import { accounts, merchants } from '../../db/tables/index.js';
import { inTransaction, writerOf } from '../../db/tx.js';
import { createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();
const db = p.deps.db;
const counts = async () => [(await db.select({ n: count() }).from(accounts))[0]!.n, (await db.select({ n: count() }).from(merchants))[0]!.n];
const merchant = (name: string) => ({ id: newId(), name, category: 'tiles', city: '温州', createdAt: nowIso() });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('inTransaction', () => {
  it('a failure after several writes, with awaits between them, rolls all of them back', async () => {
    const before = await counts();
    await expect(
      inTransaction(db, async (tx) => {
        await tx.insert(merchants).values(merchant('半途而废'));
        await tick();
        await tx.insert(accounts).values({ id: newId(), kind: 'MERCHANT', email: 'half@example.cn', passwordHash: 'x', displayName: 'x', createdAt: nowIso() });
        await tick();
        throw new Error('crash midway');
      }),
    ).rejects.toThrow('crash midway');
    expect(await counts()).toEqual(before);
  });

  it('a successful transaction commits every write', async () => {
    const before = await counts();
    await inTransaction(db, async (tx) => {
      await tx.insert(merchants).values(merchant('成功'));
    });
    expect(await counts()).toEqual([before[0], before[1]! + 1]);
  });

  it('a read outside the transaction does not see its writes before they commit', async () => {
    const id = newId();
    let seenDuring: unknown[] = ['not read'];
    await inTransaction(db, async (tx) => {
      await tx.insert(merchants).values({ ...merchant('未提交'), id });
      seenDuring = await db.select().from(merchants).where(eq(merchants.id, id));
    });
    expect(seenDuring).toEqual([]);
    expect(await db.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, id))).toEqual([{ id }]);
  });

  it('concurrent transactions take turns: read-then-write with awaits between loses no update', async () => {
    const id = newId();
    await inTransaction(db, async (tx) => {
      await tx.insert(merchants).values({ ...merchant('0'), id });
    });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        inTransaction(db, async (tx) => {
          const [row] = await tx.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, id));
          await tick();
          await tx.update(merchants).set({ name: String(Number(row!.name) + 1) }).where(eq(merchants.id, id));
        }),
      ),
    );
    expect((await db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, id)))[0]!.name).toBe('20');
  });

  it('a transaction that fails does not hold up the next one', async () => {
    const failed = inTransaction(db, async () => {
      throw new Error('first fails');
    });
    const next = inTransaction(db, async (tx) => {
      await tx.insert(merchants).values(merchant('下一个'));
      return 'done';
    });
    await expect(failed).rejects.toThrow('first fails');
    expect(await next).toBe('done');
  });

  it('a transaction started inside another is refused instead of waiting for itself forever', async () => {
    await expect(inTransaction(db, () => inTransaction(db, async () => 'never'))).rejects.toThrow(/already inside a transaction/);
    expect(writerOf(db).$client.inTransaction).toBe(false);
  });

  it('both connections run with the durability pragmas the design requires', () => {
    for (const c of [db.$client, writerOf(db).$client]) {
      expect(c.prepare('PRAGMA journal_mode').pluck().get()).toBe('wal');
      expect(c.prepare('PRAGMA synchronous').pluck().get()).toBe(2); // FULL
      expect(c.prepare('PRAGMA foreign_keys').pluck().get()).toBe(1);
      expect(c.prepare('PRAGMA busy_timeout').pluck().get()).toBe(5000);
    }
  });
});
