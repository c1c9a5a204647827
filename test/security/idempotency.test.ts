// Idempotency keys: a retried mutation returns the first result; a reused key with other input is a CONFLICT.
import { createHash } from 'node:crypto';
import { parse, print } from 'graphql';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { purgeExpiredKeys } from '../../db/commands/idempotency.js';
import { signUpMerchant } from '../factories.js';
import { createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, nextPhone } from '../story.js';

const p = await createTestPlatform();
const owner = await signUpMerchant(p);
const ADD = `mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id name } }`;
const send = (key: string, variables: Record<string, unknown>) =>
  request(p.app)
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('authorization', `Bearer ${owner.accessToken}`)
    .set('idempotency-key', key)
    .send({ query: ADD, variables });
const customers = async () => (await p.sql<{ n: number }>('select count(*) as n from customers'))[0]!.n;
/** The result kept under a key, opened. */
const kept = async (key: string) => {
  const [row] = await p.sql<{ account_id: string; key: string; response: string }>('select account_id, key, response from idempotency_keys where key = ?', key);
  return p.deps.vault.openSecret(row!.response, `idempotency:${row!.account_id}:${row!.key}`);
};

describe('Idempotency-Key', () => {
  it('a repeat returns the first result, without its personal information, and creates nothing more', async () => {
    const input = { i: { name: '褚先生', phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true } };
    const before = await customers();
    const first = await send('retry-key-0001', input);
    const second = await send('retry-key-0001', input);
    expect(first.body.data.addCustomer.name).toBe('褚先生');
    expect(second.body).toEqual({ data: { addCustomer: { id: first.body.data.addCustomer.id, name: null } } });
    expect(await customers()).toBe(before + 1);
    // The kept result is sealed, and even opened holds no personal information.
    expect(await kept('retry-key-0001')).not.toContain('褚先生');
  });

  it('a personal value the schema promises takes its parent with it, and the repeat says so', async () => {
    const c = await addCustomer(p, owner);
    const token = await claim(p, c.inviteCode);
    const EXPORT = `mutation { exportMyData }`;
    const exported = () => request(p.app).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${token}`).set('idempotency-key', 'export-key-0001').send({ query: EXPORT });
    expect((await exported()).body.data.exportMyData).toContain(c.phone);
    const again = await exported();
    expect(again.body.data).toBeNull();
    expect(again.body.errors[0].extensions.code).toBe('CONFLICT');
    expect(await kept('export-key-0001')).not.toContain(c.phone);
  });

  it('the same key with different input is a CONFLICT', async () => {
    await send('retry-key-0002', { i: { name: '卫女士', phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true } });
    const other = await send('retry-key-0002', { i: { name: '蒋女士', phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true } });
    expect(other.body.errors[0].extensions.code).toBe('CONFLICT');
  });

  it('a failed request releases its key, so the fixed retry runs', async () => {
    const bad = await send('retry-key-0003', { i: { name: '沈', phone: '12', consentSource: 'IN_STORE', consentGiven: true } });
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const input = { i: { name: '沈', phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true } };
    const fixed = await send('retry-key-0003', input);
    expect(fixed.body.errors).toBeUndefined();
  });

  it('a process that died with the key: work that never committed runs on a retry after the lease; work that committed is never run twice', async () => {
    const input = { i: { name: '韩女士', phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true } };
    const first = await send('crash-key-0001', input);
    expect(first.body.errors).toBeUndefined();
    // The mark was written by the mutation's own transaction.
    const [row] = await p.sql<{ committed_at: string | null }>('select committed_at from idempotency_keys where key = ?', 'crash-key-0001');
    expect(row!.committed_at).not.toBeNull();
    const before = await customers();
    // The process died after committing, before keeping the answer: a retry must not add her again.
    const longAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    await p.sql('update idempotency_keys set response = null, created_at = ? where key = ?', longAgo, 'crash-key-0001');
    const afterCommit = await send('crash-key-0001', input);
    expect(afterCommit.body.errors[0].extensions.code).toBe('CONFLICT');
    expect(afterCommit.body.errors[0].message).toMatch(/carried out/);
    expect(await customers()).toBe(before);
    // A claim whose work never committed, still within its lease: the first may still be running.
    await p.sql('update idempotency_keys set committed_at = null, created_at = ? where key = ?', new Date().toISOString(), 'crash-key-0001');
    const running = await send('crash-key-0001', input);
    expect(running.body.errors[0].message).toMatch(/still being processed/);
    // A claim past its lease whose work never committed: its process died first, so the retry runs.
    const fresh = { i: { ...input.i, phone: nextPhone() } };
    const requestHash = createHash('sha256').update(print(parse(ADD))).update('\u0000').update(JSON.stringify(fresh)).update('\u0000').update('').digest('hex');
    const [{ account_id: accountId }] = (await p.sql<{ account_id: string }>('select account_id from idempotency_keys where key = ?', 'crash-key-0001')) as [{ account_id: string }];
    await p.sql('insert into idempotency_keys (account_id, key, request_hash, created_at) values (?, ?, ?, ?)', accountId, 'crash-key-0002', requestHash, longAgo);
    const beforeRetry = await customers();
    const retried = await send('crash-key-0002', fresh);
    expect(retried.body.errors).toBeUndefined();
    expect(retried.body.data.addCustomer.name).toBe('韩女士');
    expect(await customers()).toBe(beforeRetry + 1);
  });

  it('keys are per caller: another account\'s key of the same name is independent', async () => {
    const otherOwner = await signUpMerchant(p);
    const input = { i: { name: '韩先生', phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true } };
    await send('shared-key-0001', input);
    const theirs = await request(p.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${otherOwner.accessToken}`)
      .set('idempotency-key', 'shared-key-0001')
      .send({ query: ADD, variables: input });
    expect(theirs.body.errors).toBeUndefined();
  });

  it('keys older than 24 hours are purged', async () => {
    await p.sql(`update idempotency_keys set created_at = '2000-01-01T00:00:00.000Z'`);
    expect(await purgeExpiredKeys(p.deps.db)).toBeGreaterThan(0);
  });
});
