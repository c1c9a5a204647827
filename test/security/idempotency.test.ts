// Idempotency keys: a retried mutation creates nothing more and reads its result again with the
// caller's current rights; a reused key with other input is a CONFLICT; nothing personal or secret is kept.
import { createHash } from 'node:crypto';
import { parse, print } from 'graphql';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { purgeExpiredKeys } from '../../db/commands/idempotency.js';
import { localId } from '../../schema/policies/global-id.js';
import { signUpMerchant } from '../factories.js';
import { createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, nextPhone, ok, sendClaimCode } from '../story.js';

const p = await createTestPlatform();
const owner = await signUpMerchant(p);
const ADD = `mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id name } }`;
/** A request under an Idempotency-Key, as `token` (anonymous without one). */
const keyed = (key: string, query: string, variables: Record<string, unknown> = {}, token?: string) => {
  const req = request(p.app).post('/graphql').set('content-type', 'application/json').set('idempotency-key', key);
  return (token ? req.set('authorization', `Bearer ${token}`) : req).send({ query, variables });
};
const send = (key: string, variables: Record<string, unknown>) => keyed(key, ADD, variables, owner.accessToken);
const customers = async () => (await p.sql<{ n: number }>('select count(*) as n from customers'))[0]!.n;
/** The result kept under a key, opened. */
const kept = async (key: string) => {
  const [row] = await p.sql<{ account_id: string; key: string; response: string }>('select account_id, key, response from idempotency_keys where key = ?', key);
  return p.deps.vault.openSecret(row!.response, `idempotency:${row!.account_id}:${row!.key}`);
};
/** What the key's request hash is for a document and its variables (server/idempotency.ts). */
const requestHash = (query: string, variables: Record<string, unknown>) =>
  createHash('sha256').update(print(parse(query))).update('\u0000').update(JSON.stringify(variables)).update('\u0000').update('').digest('hex');
const customerInput = (name: string) => ({ i: { name, phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true } });

describe('Idempotency-Key', () => {
  it('a repeat creates nothing more and reads the result again: the kept result is its id only', async () => {
    const input = customerInput('褚先生');
    const before = await customers();
    const first = await send('retry-key-0001', input);
    const second = await send('retry-key-0001', input);
    expect(first.body.data.addCustomer.name).toBe('褚先生');
    // The owner may read the name, so the repeat reads it again (through the vault, logged).
    expect(second.body).toEqual(first.body);
    expect(await customers()).toBe(before + 1);
    expect(JSON.parse(await kept('retry-key-0001'))).toEqual({ roots: { addCustomer: { node: first.body.data.addCustomer.id } } });
  });

  it('aliases, fragments, directives and __typename at the root answer the same shape on a repeat', async () => {
    const query = `mutation($i: AddCustomerInput!, $no: Boolean!) {
      __typename
      ...Adding
      skipped: addCustomer(input: $i) @skip(if: $no) { id }
    }
    fragment Adding on Mutation { added: addCustomer(input: $i) { ...Card } }
    fragment Card on Customer { __typename tags who: name }`;
    const variables = { ...customerInput('柳女士'), no: true };
    const first = await keyed('shape-key-0001', query, variables, owner.accessToken);
    expect(first.body).toEqual({ data: { __typename: 'Mutation', added: { __typename: 'Customer', tags: [], who: '柳女士' } } });
    expect((await keyed('shape-key-0001', query, variables, owner.accessToken)).body).toEqual(first.body);
  });

  it('the operation chosen by name is the one kept: a query beside a mutation stays a query', async () => {
    const document = `query Me { viewer { id } } mutation Add($i: AddCustomerInput!) { addCustomer(input: $i) { id } }`;
    const variables = customerInput('萧女士');
    const post = (operationName: string) =>
      request(p.app).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${owner.accessToken}`).set('idempotency-key', `named-key-${operationName}`).send({ query: document, variables, operationName });
    expect((await post('Me')).body).toEqual({ data: { viewer: { id: owner.accountId } } });
    const added = await post('Add');
    expect((await post('Add')).body).toEqual(added.body);
    expect(JSON.parse(await kept('named-key-Add'))).toEqual({ roots: { addCustomer: { node: added.body.data.addCustomer.id } } });
  });

  it('staff who lost contact permission get no invite, URL or contact from a repeat of the customer they added', async () => {
    const email = `staff-${Date.now()}@example.cn`;
    const { addStaff } = await ok(p, `mutation($i: AddStaffInput!) { addStaff(input: $i) { id } }`, { i: { email, password: 'staff password 1', displayName: '店员', canViewContacts: true } }, owner.accessToken);
    const signIn = async () => (await ok(p, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, { i: { login: email, password: 'staff password 1' } })).signIn.accessToken as string;
    const ADD_FULL = `mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id name phone inviteCode inviteUrl } }`;
    const input = customerInput('魏先生');
    const first = await keyed('staff-key-0001', ADD_FULL, input, await signIn());
    expect(first.body.data.addCustomer).toMatchObject({ name: '魏先生', phone: input.i.phone, inviteCode: expect.any(String), inviteUrl: expect.stringContaining('/claim?code=') });

    await ok(p, `mutation($a: ID!) { setStaffContactAccess(accountId: $a, canViewContacts: false) }`, { a: addStaff.id }, owner.accessToken);
    // The change ended the staff member's sessions: signed in again, the same account repeats the request.
    const replay = await keyed('staff-key-0001', ADD_FULL, input, await signIn());
    expect(replay.body).toEqual({ data: { addCustomer: { id: first.body.data.addCustomer.id, name: null, phone: null, inviteCode: null, inviteUrl: null } } });
  });

  it('after an erasure, a repeat of a correction reads the display name again: not the erased one', async () => {
    const c = await addCustomer(p, owner);
    const token = await claim(p, c.inviteCode);
    const CORRECT = `mutation($i: CorrectMyDataInput!) { correctMyData(input: $i) { id displayName } }`;
    const input = { i: { name: '章新名' } };
    const first = await keyed('correct-key-0001', CORRECT, input, token);
    expect(first.body.data.correctMyData.displayName).toBe('章新名');

    await ok(p, `mutation($m: ID) { eraseMyData(merchantId: $m) { id } }`, { m: owner.merchantId }, token);
    const fresh = await ok(p, `{ viewer { customer { displayName } } }`, {}, token);
    const replay = await keyed('correct-key-0001', CORRECT, input, token);
    expect(replay.body).toEqual({ data: { correctMyData: { id: first.body.data.correctMyData.id, displayName: fresh.viewer.customer.displayName } } });
    expect(JSON.stringify(replay.body)).not.toContain('章新名');
  });

  it('a kept id is read with the caller\'s rights: one pointing at another shop\'s customer answers NOT_FOUND', async () => {
    const other = await signUpMerchant(p);
    const theirs = await addCustomer(p, other);
    // As if the key had kept another shop's customer: the read, not the kept id, decides.
    const variables = customerInput('卢女士');
    const accountId = localId('Account', owner.accountId);
    const sealed = p.deps.vault.sealSecret(JSON.stringify({ roots: { addCustomer: { node: theirs.id } } }), `idempotency:${accountId}:planted-key-0001`);
    const now = new Date().toISOString();
    await p.sql(
      'insert into idempotency_keys (account_id, key, request_hash, response, created_at, committed_at) values (?, ?, ?, ?, ?, ?)',
      accountId, 'planted-key-0001', requestHash(ADD, variables), sealed, now, now,
    );
    const replay = await send('planted-key-0001', variables);
    expect(replay.body.data).toBeNull();
    expect(replay.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(JSON.stringify(replay.body)).not.toContain(theirs.phone);
  });

  it('a result that is no identity (an export) is not kept: the repeat is a CONFLICT', async () => {
    const c = await addCustomer(p, owner);
    const token = await claim(p, c.inviteCode);
    const EXPORT = `mutation { exportMyData }`;
    expect((await keyed('export-key-0001', EXPORT, {}, token)).body.data.exportMyData).toContain(c.phone);
    const again = await keyed('export-key-0001', EXPORT, {}, token);
    expect(again.body.data).toBeNull();
    expect(again.body.errors[0].extensions.code).toBe('CONFLICT');
    expect(JSON.parse(await kept('export-key-0001'))).toEqual({ roots: {} });
  });

  it('no personal information, invite or token is ever in the table: not even sealed', async () => {
    const secrets: string[] = [];
    const keep = (...values: string[]) => secrets.push(...values);
    // A shop's customer with every contact field and an invite.
    const ADD_FULL = `mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id name phone address wechat inviteCode inviteUrl } }`;
    const added = (await keyed('secret-key-0001', ADD_FULL, { i: { ...customerInput('欧阳秋').i, address: '温州市瓯海区娄桥街道 9 号', wechat: 'ouyang_qiu' } }, owner.accessToken)).body.data.addCustomer;
    keep(added.name, added.phone, added.phone.slice(3), added.address, added.wechat, added.inviteCode, added.inviteUrl);
    // Her claim (tokens), a correction (a new name) and her export.
    const sms = await sendClaimCode(p, added.inviteCode);
    const CLAIM = `mutation($i: ClaimCustomerInviteInput!) { claimCustomerInvite(input: $i) { accessToken refreshToken viewer { customer { id displayName } } } }`;
    const claimed = (await keyed('secret-key-0002', CLAIM, { i: { code: added.inviteCode, password: 'customer password', phoneCode: sms.code } })).body.data.claimCustomerInvite;
    keep(claimed.accessToken, claimed.refreshToken, sms.code);
    const corrected = (await keyed('secret-key-0003', `mutation { correctMyData(input: { name: "欧阳新" }) { displayName } }`, {}, claimed.accessToken)).body.data.correctMyData;
    keep(corrected.displayName);
    expect((await keyed('secret-key-0004', `mutation { exportMyData }`, {}, claimed.accessToken)).body.data.exportMyData).toContain(added.phone);
    // A merchant's sign-in and refresh (tokens, the staff name).
    const SESSION = 'accessToken refreshToken viewer { displayName }';
    const signedIn = (await keyed('secret-key-0005', `mutation($i: SignInInput!) { signIn(input: $i) { ${SESSION} } }`, { i: { login: owner.email, password: owner.password } })).body.data.signIn;
    const refreshed = (await keyed('secret-key-0006', `mutation($r: String!) { refreshSession(refreshToken: $r) { ${SESSION} } }`, { r: signedIn.refreshToken })).body.data.refreshSession;
    keep(signedIn.accessToken, signedIn.refreshToken, refreshed.accessToken, refreshed.refreshToken, signedIn.viewer.displayName);
    expect(secrets.every((v) => typeof v === 'string' && v.length >= 2)).toBe(true);

    const rows = await p.sql<{ account_id: string; key: string; response: string | null }>("select * from idempotency_keys where key like 'secret-key-%'");
    expect(rows.map((r) => r.key).sort()).toEqual(['secret-key-0001', 'secret-key-0002', 'secret-key-0003', 'secret-key-0004', 'secret-key-0005', 'secret-key-0006']);
    const stored = JSON.stringify(rows) + rows.map((r) => p.deps.vault.openSecret(r.response!, `idempotency:${r.account_id}:${r.key}`)).join('\n');
    expect(secrets.filter((secret) => stored.includes(secret))).toEqual([]);

    // A session cannot be read again: its repeat says so, and hands out no token.
    const again = await keyed('secret-key-0005', `mutation($i: SignInInput!) { signIn(input: $i) { ${SESSION} } }`, { i: { login: owner.email, password: owner.password } });
    expect(again.body.data).toBeNull();
    expect(again.body.errors[0].extensions.code).toBe('CONFLICT');
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
    // Told to come back when the lease ends (at least a minute after the claim): by then the first has answered or died.
    expect(running.body.errors[0].extensions.retryAfter).toBeGreaterThan(55);
    expect(running.body.errors[0].extensions.retryAfter).toBeLessThanOrEqual(60);
    // A claim past its lease whose work never committed: its process died first, so the retry runs.
    const fresh = { i: { ...input.i, phone: nextPhone() } };
    const [{ account_id: accountId }] = (await p.sql<{ account_id: string }>('select account_id from idempotency_keys where key = ?', 'crash-key-0001')) as [{ account_id: string }];
    await p.sql('insert into idempotency_keys (account_id, key, request_hash, created_at) values (?, ?, ?, ?)', accountId, 'crash-key-0002', requestHash(ADD, fresh), longAgo);
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
