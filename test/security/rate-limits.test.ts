// Guessing and flooding: sign-in failures, invite claims and referral requests are rate limited.
import { describe, expect, it } from 'vitest';
import { signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';

const SIGN_IN = `mutation($l: String!, $p: String!) { signIn(input: { login: $l, password: $p }) { accessToken } }`;

describe('sign-in', () => {
  it('after 5 failures an account is RATE_LIMITED with retryAfter, even with the right password; others are unaffected', async () => {
    const p = await createTestPlatform();
    const victim = await signUpMerchant(p);
    const bystander = await signUpMerchant(p);
    for (let i = 0; i < 5; i++) expect(codeOf(await p.gql(SIGN_IN, { l: victim.email, p: `guess ${i} wrong` }))).toBe('UNAUTHENTICATED');
    const locked = await p.gql(SIGN_IN, { l: victim.email, p: victim.password });
    expect(codeOf(locked)).toBe('RATE_LIMITED');
    const retryAfter = locked.errors![0]!.extensions!.retryAfter as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect((await p.gql(SIGN_IN, { l: bystander.email, p: bystander.password })).errors).toBeUndefined();
  });

  it('one address trying many logins is stopped too', async () => {
    const p = await createTestPlatform({ SIGN_IN_FAILURES_PER_15_MIN: '2' });
    for (let i = 0; i < 8; i++) await p.gql(SIGN_IN, { l: `nobody${i}@example.cn`, p: 'wrong password' });
    const someone = await signUpMerchant(p);
    expect(codeOf(await p.gql(SIGN_IN, { l: someone.email, p: someone.password }))).toBe('RATE_LIMITED');
  });

  it('a successful sign-in clears the account\'s failures', async () => {
    const p = await createTestPlatform();
    const m = await signUpMerchant(p);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) await p.gql(SIGN_IN, { l: m.email, p: 'wrong password' });
      expect((await p.gql(SIGN_IN, { l: m.email, p: m.password })).errors).toBeUndefined();
    }
  });

  it('aliases do not multiply attempts: a failed sign-in stops the document, and each one counts', async () => {
    const p = await createTestPlatform();
    const m = await signUpMerchant(p);
    const aliases = Array.from({ length: 7 }, (_, i) => `a${i}: signIn(input: { login: "${m.email}", password: "wrong ${i}" }) { accessToken }`).join(' ');
    for (let i = 0; i < 5; i++) {
      const r = await p.gql(`mutation { ${aliases} }`);
      expect(r.errors!.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
    expect(codeOf(await p.gql(`mutation { ${aliases} }`))).toBe('RATE_LIMITED');
  });
});

describe('invite claims', () => {
  it('an address guessing invite codes is RATE_LIMITED', async () => {
    const p = await createTestPlatform({ INVITE_CLAIMS_PER_15_MIN: '3' });
    const CLAIM = `mutation($c: String!) { claimCustomerInvite(input: { code: $c, password: "long password", phoneCode: "123456" }) { accessToken } }`;
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(codeOf(await p.gql(CLAIM, { c: `GUESS${i}AAAA` })));
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  });
});

describe('referral requests', () => {
  it('a merchant sending more referral requests in a day than allowed is RATE_LIMITED', async () => {
    const { createCast, addCustomer } = await import('../story.js');
    const p = await createTestPlatform({ REFERRAL_REQUESTS_PER_DAY: '2' });
    const cast = await createCast(p);
    const PROPOSE = `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`;
    const codes = [];
    for (let i = 0; i < 3; i++) {
      const c = await addCustomer(p, cast.sofa, { name: `客户${i}` });
      const r = await p.gql(PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, purpose: '介绍', fields: ['PHONE'], retentionDays: 7 } }, cast.sofa.accessToken);
      codes.push(codeOf(r) ?? 'OK');
    }
    expect(codes).toEqual(['OK', 'OK', 'RATE_LIMITED']);
  }, 60_000);
});
