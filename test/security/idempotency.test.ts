// Idempotency keys: a retried mutation returns the first result; a reused key with other input is a CONFLICT.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { purgeExpiredKeys } from '../../db/commands/idempotency.js';
import { signUpMerchant } from '../factories.js';
import { createTestPlatform } from '../fixtures.js';
import { nextPhone } from '../story.js';

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
const customers = () => (p.deps.db.$client.prepare('select count(*) as n from customers').get() as { n: number }).n;

describe('Idempotency-Key', () => {
  it('a repeat returns the first result and creates nothing more', async () => {
    const input = { i: { name: '褚先生', phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true } };
    const before = customers();
    const first = await send('retry-key-0001', input);
    const second = await send('retry-key-0001', input);
    expect(first.body.errors).toBeUndefined();
    expect(second.body).toEqual(first.body);
    expect(customers()).toBe(before + 1);
    // The kept result holds the new customer's data only in sealed form.
    const raw = JSON.stringify(p.deps.db.$client.prepare('select response from idempotency_keys').all());
    expect(raw).not.toContain('褚先生');
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
    p.deps.db.$client.prepare(`update idempotency_keys set created_at = '2000-01-01T00:00:00.000Z'`).run();
    expect(purgeExpiredKeys(p.deps.db)).toBeGreaterThan(0);
  });
});
