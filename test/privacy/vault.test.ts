// The vault: encryption at rest, the blind index, and who may read which field (with the log).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addCustomer } from '../../db/commands/customers.js';
import type { Reader } from '../../db/vault.js';
import { open, seal, derivePiiKeys } from '../../db/vault/crypto.js';
import { signUpMerchant } from '../factories.js';
import { createTestPlatform, onPostgres } from '../fixtures.js';

const p = await createTestPlatform();
const { db, vault } = p.deps;
const shop = await signUpMerchant(p);
const other = await signUpMerchant(p);
const merchantIdOf = async (accountGlobalId: string) => {
  const accountId = Buffer.from(accountGlobalId, 'base64').toString().split(':')[1]!;
  return (await p.sql<{ m: string }>('select merchant_id as m from merchant_staff where account_id = ?', accountId))[0]!.m;
};
const shopId = await merchantIdOf(shop.accountId);
const otherId = await merchantIdOf(other.accountId);
const shopAccountId = Buffer.from(shop.accountId, 'base64').toString().split(':')[1]!;
const reader = (over: Partial<Reader>): Reader => ({ accountId: shopAccountId, displayName: '读者', kind: 'MERCHANT', merchantId: shopId, canViewContacts: true, ...over });
const logCount = async () => (await p.sql<{ n: number }>('select count(*) as n from access_log'))[0]!.n;

const people = [
  { name: '钱多多', phone: '+8613912345678', address: '温州市瓯海区娄桥街道 88 号', wechat: 'qian_duoduo_88' },
  { name: '孙悟空', phone: '+8613811112222', address: '花果山水帘洞 1 号', wechat: 'sun_wukong_72' },
];
const ids: string[] = [];
for (const person of people) ids.push((await addCustomer(db, vault, shopId, { ...person, tags: [], consentSource: 'IN_STORE' }, { perDay: 100 })).customerId);

/** On PostgreSQL, where there is no database file to read: how many rows of any table hold `value` anywhere. */
async function rowsHolding(value: string) {
  const tables = await p.sql<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`);
  expect(tables.length).toBeGreaterThan(0);
  let n = 0;
  for (const { name } of tables) n += (await p.sql<{ n: number }>(`select count(*) as n from "${name}" as r where strpos(r::text, ?) > 0`, value))[0]!.n;
  return n;
}

describe('personal information at rest', () => {
  it('the database file and its WAL hold none of the customers\' names, phones, addresses or WeChat IDs', async () => {
    if (onPostgres) {
      // No database file to read: the values are stored sealed, and no row of any table holds them in the clear.
      const sealed = await p.sql<{ n: number }>(
        `select count(*) as n from customer_identities where customer_id in (?, ?) and name_sealed is not null and phone_sealed is not null and address_sealed is not null and wechat_sealed is not null`,
        ...ids,
      );
      expect(sealed[0]!.n).toBe(people.length);
      // The search below finds what is stored: the customers' own ids are there.
      expect(await rowsHolding(ids[0]!)).toBeGreaterThan(0);
      for (const person of people) {
        for (const value of Object.values(person)) {
          expect(await rowsHolding(value), `found ${value.slice(0, 3)}…`).toBe(0);
        }
        // The national number without +86 must not appear either.
        expect(await rowsHolding(person.phone.slice(3))).toBe(0);
      }
      return;
    }
    await p.sql('pragma wal_checkpoint(PASSIVE)');
    const files = readdirSync(p.dir).filter((f) => f.startsWith('test.db'));
    expect(files.length).toBeGreaterThan(0);
    const raw = Buffer.concat(files.map((f) => readFileSync(join(p.dir, f))));
    for (const person of people) {
      for (const value of Object.values(person)) {
        expect(raw.includes(Buffer.from(value, 'utf8')), `found ${value.slice(0, 3)}…`).toBe(false);
      }
      // The national number without +86 must not appear either.
      expect(raw.includes(Buffer.from(person.phone.slice(3)))).toBe(false);
    }
  });

  it('a sealed value opens only with its own row and field, and not with another key', () => {
    const keys = derivePiiKeys(Buffer.alloc(32, 7));
    const sealed = seal(keys, '13912345678', 'c1:PHONE');
    expect(open(keys, sealed, 'c1:PHONE')).toBe('13912345678');
    expect(() => open(keys, sealed, 'c2:PHONE')).toThrow();
    expect(() => open(derivePiiKeys(Buffer.alloc(32, 8)), sealed, 'c1:PHONE')).toThrow();
    // A fresh IV each time: equal plaintexts do not produce equal ciphertexts.
    expect(seal(keys, 'same', 'a')).not.toBe(seal(keys, 'same', 'a'));
  });

  it('the blind index finds a customer by phone without storing the phone', async () => {
    expect((await vault.customersWithPhone(db, people[0]!.phone, shopId)).map((r) => r.customerId)).toEqual([ids[0]]);
    expect(await vault.customersWithPhone(db, people[0]!.phone, otherId)).toEqual([]);
  });
});

describe('who may read', () => {
  const wanted = new Map(ids.map((id) => [id, ['NAME', 'PHONE'] as const]));

  it('the originating merchant\'s account with contact permission reads the fields, and each read is logged', async () => {
    const before = await logCount();
    const read = await vault.readOwn(reader({}), wanted);
    expect(read.get(ids[0]!)).toEqual({ NAME: '钱多多', PHONE: '+8613912345678' });
    expect(await logCount()).toBe(before + 2);
    const [last] = await p.sql<{ kind: string; fields: string; m: string }>('select kind, fields, merchant_id as m from access_log order by id desc limit 1');
    expect(last).toEqual({ kind: 'OWN_RECORD', fields: '["NAME","PHONE"]', m: shopId });
  });

  it('staff without contact permission read nothing and nothing is logged', async () => {
    const before = await logCount();
    expect((await vault.readOwn(reader({ canViewContacts: false }), wanted)).size).toBe(0);
    expect(await logCount()).toBe(before);
  });

  it('another merchant reads nothing of the shop\'s customers, even with contact permission', async () => {
    const before = await logCount();
    expect((await vault.readOwn(reader({ merchantId: otherId }), wanted)).size).toBe(0);
    expect(await logCount()).toBe(before);
  });

  it('a customer account cannot read records through the merchant path', async () => {
    expect((await vault.readOwn(reader({ kind: 'CUSTOMER', merchantId: null }), wanted)).size).toBe(0);
  });

  it('nobody reads a grant that does not exist', async () => {
    expect((await vault.readGranted(reader({ merchantId: otherId }), ['no-such-referral'])).size).toBe(0);
  });
});
