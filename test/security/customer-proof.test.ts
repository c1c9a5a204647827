// Only the customer can give consent: a merchant, its staff or another customer holding an
// invite code, a session or a guess must never stand in for a code sent to the customer's phone.
// Each test performs the attack over HTTP.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createCodeSender } from '../../services/notify/codes.js';
import { addStaff, SESSION_FIELDS } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, nextPhone, ok, sendClaimCode, type Cast } from '../story.js';

// Address and lock-out limits are tested on their own platforms below: here they would only
// count this file's many deliberate failures from one address.
const p = await createTestPlatform({ INVITE_CLAIMS_PER_15_MIN: '1000', SIGN_IN_FAILURES_PER_15_MIN: '1000' });
let cast: Cast;
beforeAll(async () => {
  cast = await createCast(p);
}, 60_000);

const CLAIM = `mutation($i: ClaimCustomerInviteInput!) { claimCustomerInvite(input: $i) { ${SESSION_FIELDS} } }`;
const SEND = `mutation($i: SendPhoneCodeInput!) { sendPhoneCode(input: $i) { expiresAt resendAfter } }`;
const PROPOSE = `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`;
const RESPOND = `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`;
const CONTACT = `query($id: ID!) { referralRequest(id: $id) { status contact { phone } } }`;
const SIGN_IN = `mutation($l: String!, $pw: String!) { signIn(input: { login: $l, password: $pw }) { accessToken } }`;
const CORRECT = `mutation($i: CorrectMyDataInput!) { correctMyData(input: $i) { id } }`;

const rows = (sql: string, ...args: unknown[]) => p.sql<Record<string, unknown>>(sql, ...args);

/** The shop's unclaimed customer, and a referral the shop proposed to the lighting shop for them. */
async function unclaimedWithProposal() {
  const customer = await addCustomer(p, cast.sofa);
  const { proposeReferral } = await ok(
    p,
    PROPOSE,
    { i: { customerId: customer.id, toMerchantId: cast.light.merchantId, purpose: '灯具安装预约', fields: ['NAME', 'PHONE'], retentionDays: 30 } },
    cast.sofa.accessToken,
  );
  return { ...customer, referralId: proposeReferral.id as string };
}

describe('a merchant cannot accept a referral for its customer (finding 1)', () => {
  it('the invite code the merchant sees opens no account: the claim needs the code sent to the customer\'s phone', async () => {
    const victim = await unclaimedWithProposal();
    // The merchant asks for a code: it goes to the customer's phone, and the answer holds no code.
    const sentBefore = p.sent.length;
    const asked = await p.gql(SEND, { i: { purpose: 'CLAIM_INVITE', inviteCode: victim.inviteCode } }, cast.sofa.accessToken);
    expect(asked.errors).toBeUndefined();
    expect(JSON.stringify(asked.data)).not.toMatch(/\d{6}/);
    const sms = p.sent.slice(sentBefore);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ channel: 'SMS', to: victim.phone, kind: 'CODE', purpose: 'CLAIM_INVITE' });

    // Guessing is refused, and five wrong guesses burn the code.
    for (let i = 0; i < 5; i++) {
      const guess = await p.gql(CLAIM, { i: { code: victim.inviteCode, password: 'merchant chose this', phoneCode: String(100_000 + i) } });
      expect(codeOf(guess)).toBe('UNAUTHENTICATED');
      expect(guess.data).toBeNull();
    }
    const realCodeAfterGuesses = await p.gql(CLAIM, { i: { code: victim.inviteCode, password: 'merchant chose this', phoneCode: p.lastCode(victim.phone) } });
    expect(codeOf(realCodeAfterGuesses)).toBe('UNAUTHENTICATED');

    // Without an account nobody can answer for the customer, so the partner never reads the phone.
    const partner = await ok(p, CONTACT, { id: victim.referralId }, cast.light.accessToken);
    expect(partner.referralRequest).toEqual({ status: 'PENDING', contact: null });
    expect(await rows('select 1 from customers where id = ? and account_id is not null', Buffer.from(victim.id, 'base64').toString().split(':')[1])).toHaveLength(0);
  });

  it('the customer, reading the SMS on their phone, claims and answers the request themself', async () => {
    const customer = await unclaimedWithProposal();
    const token = await claim(p, customer.inviteCode, 'only I know this');
    expect((await ok(p, RESPOND, { i: { referralId: customer.referralId, accept: true, fields: ['PHONE'] } }, token)).respondToReferral.status).toBe('ACCEPTED');
    expect((await ok(p, CONTACT, { id: customer.referralId }, cast.light.accessToken)).referralRequest.contact.phone).toBe(customer.phone);
  });

  it('codes are kept only as keyed hashes, expire after ten minutes and work once', async () => {
    const customer = await addCustomer(p, cast.sofa);
    const sms = await sendClaimCode(p, customer.inviteCode);
    const stored = (await rows('select * from verification_codes order by created_at desc limit 1'))[0]!;
    expect(Object.values(stored)).not.toContain(sms.code);
    expect(JSON.stringify(stored)).not.toContain(sms.code);
    expect(JSON.stringify(stored)).not.toContain(customer.phone.slice(3));
    expect(Date.parse(String(stored.expires_at)) - Date.parse(String(stored.created_at))).toBe(10 * 60_000);

    await p.sql('update verification_codes set expires_at = ? where id = ?', new Date(Date.now() - 1000).toISOString(), stored.id);
    const expired = await p.gql(CLAIM, { i: { code: customer.inviteCode, password: 'a good password', phoneCode: sms.code } });
    expect(codeOf(expired)).toBe('UNAUTHENTICATED');

    const other = await addCustomer(p, cast.sofa);
    const fresh = await sendClaimCode(p, other.inviteCode);
    const first = await p.gql(CLAIM, { i: { code: other.inviteCode, password: 'a good password', phoneCode: fresh.code } });
    expect(first.errors).toBeUndefined();
    const again = await p.gql(CLAIM, { i: { code: other.inviteCode, password: 'a good password', phoneCode: fresh.code } });
    expect(codeOf(again)).toBe('UNAUTHENTICATED');
  });

  it('asking again within the resend interval is RATE_LIMITED, for a known invite and a made-up one alike', async () => {
    const customer = await addCustomer(p, cast.sofa);
    const answers = [];
    for (const inviteCode of [customer.inviteCode, 'MADEUP2345']) {
      const first = await p.gql(SEND, { i: { purpose: 'CLAIM_INVITE', inviteCode } });
      const second = await p.gql(SEND, { i: { purpose: 'CLAIM_INVITE', inviteCode } });
      answers.push([first.data.sendPhoneCode.resendAfter, codeOf(second), second.errors?.[0]?.extensions?.retryAfter]);
    }
    expect(answers[0]).toEqual([60, 'RATE_LIMITED', expect.any(Number)]);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('a phone gets only a few codes an hour, however many invites point at it', async () => {
    const strict = await createTestPlatform({ CODES_PER_TARGET_PER_HOUR: '2' });
    const strictCast = await createCast(strict);
    const phone = nextPhone();
    const shops = [strictCast.sofa, strictCast.curtain, strictCast.light];
    const codes = [];
    for (const shop of shops) {
      const c = await addCustomer(strict, shop, { phone });
      codes.push(codeOf(await strict.gql(SEND, { i: { purpose: 'CLAIM_INVITE', inviteCode: c.inviteCode } })));
    }
    expect(codes).toEqual([undefined, undefined, 'RATE_LIMITED']);
    expect(strict.sent.filter((m) => m.to === phone)).toHaveLength(2);
  });
});

describe('staff without contact permission cannot hand over or use invites (finding 2)', () => {
  it('only the owner and staff who may read contacts see the invite code', async () => {
    const customer = await addCustomer(p, cast.sofa);
    const INVITE = `query($id: ID!) { customer(id: $id) { inviteCode inviteUrl } }`;
    const seen = async (token: string) => (await ok(p, INVITE, { id: customer.id }, token)).customer;
    expect((await seen(cast.sofa.accessToken)).inviteCode).toBe(customer.inviteCode);
    expect((await seen(cast.sofaStaffWithContacts.accessToken)).inviteCode).toBe(customer.inviteCode);
    expect(await seen(cast.sofaStaffWithoutContacts.accessToken)).toEqual({ inviteCode: null, inviteUrl: null });
    const list = await ok(p, `query($m: ID!) { node(id: $m) { ... on Merchant { customers(first: 100) { edges { node { inviteCode } } } } } }`, { m: cast.sofa.merchantId }, cast.sofaStaffWithoutContacts.accessToken);
    expect(list.node.customers.edges.every((e: { node: { inviteCode: string | null } }) => e.node.inviteCode === null)).toBe(true);
  });

  it('a staff member who copied an invite code still cannot claim the account, before or after removal', async () => {
    const customer = await addCustomer(p, cast.sofa);
    const staff = await addStaff(p, cast.sofa, true);
    const code = (await ok(p, `query($id: ID!) { customer(id: $id) { inviteCode } }`, { id: customer.id }, staff.accessToken)).customer.inviteCode;
    await ok(p, SEND, { i: { purpose: 'CLAIM_INVITE', inviteCode: code } }, staff.accessToken);
    const attempt = await p.gql(CLAIM, { i: { code, password: 'staff picked this', phoneCode: '123456' } });
    expect(codeOf(attempt)).toBe('UNAUTHENTICATED');
    // The code went to the customer's phone, where the staff member cannot read it.
    expect(p.sent.at(-1)).toMatchObject({ to: customer.phone });
  });
});

describe('a phone number changes only with a code sent to the new phone (finding 3)', () => {
  it('a session alone cannot move the account to another phone; the old phone still signs in', async () => {
    const customer = await addCustomer(p, cast.sofa);
    const token = await claim(p, customer.inviteCode, 'victim password');
    const attacker = nextPhone();
    const noCode = await p.gql(CORRECT, { i: { phone: attacker } }, token);
    expect(codeOf(noCode)).toBe('BAD_USER_INPUT');
    expect(noCode.errors![0]!.extensions!.field).toBe('phoneCode');
    const guessed = await p.gql(CORRECT, { i: { phone: attacker, phoneCode: '654321' } }, token);
    expect(codeOf(guessed)).toBe('BAD_USER_INPUT');

    // A code sent to one phone does not move the account to another.
    const other = nextPhone();
    await ok(p, SEND, { i: { purpose: 'CHANGE_PHONE', phone: other } }, token);
    const mismatched = await p.gql(CORRECT, { i: { phone: attacker, phoneCode: p.lastCode(other) } }, token);
    expect(codeOf(mismatched)).toBe('BAD_USER_INPUT');

    expect((await p.gql(SIGN_IN, { l: customer.phone, pw: 'victim password' })).errors).toBeUndefined();
    expect(codeOf(await p.gql(SIGN_IN, { l: attacker, pw: 'victim password' }))).toBe('UNAUTHENTICATED');
  });

  it('with the code from the new phone the change is made and sign-in follows it', async () => {
    const customer = await addCustomer(p, cast.sofa);
    const token = await claim(p, customer.inviteCode, 'moving phones');
    const fresh = nextPhone();
    await ok(p, SEND, { i: { purpose: 'CHANGE_PHONE', phone: fresh } }, token);
    await ok(p, CORRECT, { i: { phone: fresh, phoneCode: p.lastCode(fresh) } }, token);
    expect((await p.gql(SIGN_IN, { l: fresh, pw: 'moving phones' })).errors).toBeUndefined();
    expect(codeOf(await p.gql(SIGN_IN, { l: customer.phone, pw: 'moving phones' }))).toBe('UNAUTHENTICATED');
  });

  it('only a signed-in customer can ask for a change-of-phone code', async () => {
    const anonymous = await p.gql(SEND, { i: { purpose: 'CHANGE_PHONE', phone: nextPhone() } });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    const merchant = await p.gql(SEND, { i: { purpose: 'CHANGE_PHONE', phone: nextPhone() } }, cast.sofa.accessToken);
    expect(codeOf(merchant)).toBe('UNAUTHENTICATED');
  });
});

describe('the claim is no oracle and no way around the sign-in lock-out (finding 4)', () => {
  it('without the SMS code a registered phone and a new one get the same answer', async () => {
    // The demo-like customer of the cast has an account; the lighting shop holds her phone too.
    const registered = await addCustomer(p, cast.light, { phone: cast.customerPhone });
    const unregistered = await addCustomer(p, cast.light);
    const answers = [];
    for (const c of [registered, unregistered]) {
      await p.gql(SEND, { i: { purpose: 'CLAIM_INVITE', inviteCode: c.inviteCode } }, cast.light.accessToken);
      const r = await p.gql(CLAIM, { i: { code: c.inviteCode, password: 'light shop guess', phoneCode: '000000' } });
      answers.push([codeOf(r), r.errors![0]!.message]);
    }
    expect(answers[0]).toEqual(answers[1]);
    const madeUp = await p.gql(CLAIM, { i: { code: 'NOSUCH2345', password: 'light shop guess', phoneCode: '000000' } });
    expect([codeOf(madeUp), madeUp.errors![0]!.message]).toEqual(answers[0]);
  });

  it('an account locked out by failed sign-ins cannot be entered through an invite claim', async () => {
    const strict = await createTestPlatform({ SIGN_IN_FAILURES_PER_15_MIN: '3' });
    const strictCast = await createCast(strict);
    for (let i = 0; i < 3; i++) await strict.gql(SIGN_IN, { l: strictCast.customerPhone, pw: `guess ${i}` });
    expect(codeOf(await strict.gql(SIGN_IN, { l: strictCast.customerPhone, pw: 'customer password' }))).toBe('RATE_LIMITED');
    const atLight = await addCustomer(strict, strictCast.light, { phone: strictCast.customerPhone });
    const sms = await sendClaimCode(strict, atLight.inviteCode);
    const r = await strict.gql(CLAIM, { i: { code: atLight.inviteCode, password: 'customer password', phoneCode: sms.code } });
    expect(codeOf(r)).toBe('RATE_LIMITED');
  });

  it('failed claims of a registered phone count towards its sign-in lock-out', async () => {
    const strict = await createTestPlatform({ SIGN_IN_FAILURES_PER_15_MIN: '3' });
    const strictCast = await createCast(strict);
    const atLight = await addCustomer(strict, strictCast.light, { phone: strictCast.customerPhone });
    await sendClaimCode(strict, atLight.inviteCode);
    for (let i = 0; i < 3; i++) await strict.gql(CLAIM, { i: { code: atLight.inviteCode, password: `guess number ${i}`, phoneCode: String(200_000 + i) } });
    expect(codeOf(await strict.gql(SIGN_IN, { l: strictCast.customerPhone, pw: 'customer password' }))).toBe('RATE_LIMITED');
  });
});

describe('sign-up reveals no registered email, and passwords follow one rule (finding 12)', () => {
  it('asking for a sign-up code answers the same for a registered email and a new one', async () => {
    const SEND_SIGN_UP = `mutation($e: String!) { sendSignUpCode(email: $e) { resendAfter } }`;
    const registered = await p.gql(SEND_SIGN_UP, { e: 'Curtain-Owner@Example.cn' });
    const owner = cast.curtain.email;
    await p.deps.limits.codeResendPerTarget.delete(`email:${owner}`);
    const known = await p.gql(SEND_SIGN_UP, { e: owner });
    expect(known.errors).toBeUndefined();
    expect(known.data).toEqual(registered.data);
    // The address owner is told there is an account (a sign-in link); no code exists to misuse.
    expect(p.sent.at(-1)).toMatchObject({ channel: 'EMAIL', to: owner, kind: 'ACCOUNT_EXISTS' });
    expect(p.sent.filter((m) => m.to === owner && m.kind === 'CODE').length).toBeLessThanOrEqual(1);
  });

  it('a password is the same password whether its accents arrive composed or decomposed, and spaces count', async () => {
    const email = `accent-${Date.now()}@example.cn`;
    const decomposed = ' Cafe\u0301 au lait 2026 ';
    await ok(p, `mutation($e: String!) { sendSignUpCode(email: $e) { resendAfter } }`, { e: email });
    const input = { email, password: decomposed, displayName: '周先生', merchantName: '周记地板', category: 'flooring', city: '温州', emailCode: p.lastCode(email) };
    await ok(p, `mutation($i: SignUpMerchantInput!) { signUpMerchant(input: $i) { accessToken } }`, { i: input });
    expect((await p.gql(SIGN_IN, { l: email, pw: decomposed.normalize('NFC') })).errors).toBeUndefined();
    expect((await p.gql(SIGN_IN, { l: email, pw: decomposed })).errors).toBeUndefined();
    expect(codeOf(await p.gql(SIGN_IN, { l: email, pw: decomposed.trim() }))).toBe('UNAUTHENTICATED');
  });
});

describe('delivery of codes', () => {
  it('the gateway receives a signed SMS with the phone and code; the logs hold neither', async () => {
    const SECRET = 'a gateway secret that is long enough!!';
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const gateway = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => gateway.once('listening', resolve));
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const env = { LOG_LEVEL: 'debug', NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/notify`, NOTIFY_WEBHOOK_SECRET: SECRET };
    const gp = await createTestPlatform(env, sink);
    // The real gateway sender this time, not the tests' capture.
    gp.deps.codes = createCodeSender(gp.deps.config);
    const delivered = async (n: number) => {
      for (let i = 0; i < 100 && received.length < n; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      return JSON.parse(received[n - 1]!.body);
    };
    try {
      const email = 'gateway-shop@example.cn';
      await ok(gp, `mutation($e: String!) { sendSignUpCode(email: $e) { resendAfter } }`, { e: email });
      const mail = await delivered(1);
      expect(mail).toMatchObject({ channel: 'EMAIL', event: 'VERIFICATION_CODE', purpose: 'SIGN_UP', to: email, code: expect.stringMatching(/^\d{6}$/) });
      const input = { email, password: 'gateway password', displayName: '吴老板', merchantName: '吴氏瓷砖', category: 'tiles', city: '温州', emailCode: mail.code };
      const { signUpMerchant } = await ok(gp, `mutation($i: SignUpMerchantInput!) { signUpMerchant(input: $i) { accessToken } }`, { i: input });
      const customer = await addCustomer(gp, { accessToken: signUpMerchant.accessToken } as Cast['sofa']);
      await ok(gp, SEND, { i: { purpose: 'CLAIM_INVITE', inviteCode: customer.inviteCode } });
      const sms = await delivered(2);
      expect(sms).toMatchObject({ channel: 'SMS', event: 'VERIFICATION_CODE', purpose: 'CLAIM_INVITE', to: customer.phone, code: expect.stringMatching(/^\d{6}$/) });
      expect(sms.text).toContain(sms.code);
      expect(received[1]!.headers['x-notify-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(received[1]!.body).digest('hex')}`);
      await ok(gp, CLAIM, { i: { code: customer.inviteCode, password: 'a phone password', phoneCode: sms.code } });
      const log = lines.join('');
      expect(log.length).toBeGreaterThan(0);
      for (const secret of [sms.code, mail.code, customer.phone, customer.phone.slice(3)]) expect(log).not.toContain(secret);
    } finally {
      gateway.close();
    }
  });

  it('in development without a gateway the code is printed to the console', async () => {
    const printed: string[] = [];
    const sender = createCodeSender(loadConfig({ NODE_ENV: 'development' }), (line) => printed.push(line));
    await sender.send({ id: 'x', channel: 'SMS', to: '+8613800000001', kind: 'CODE', purpose: 'CLAIM_INVITE', code: '428193', expiresAt: new Date().toISOString() });
    expect(printed.join('\n')).toMatch(/\+8613800000001.*428193/);
  });

  it('in production a missing gateway stops the server at start', () => {
    const env = { NODE_ENV: 'production', JWT_PRIVATE_KEY: 'x', JWT_PUBLIC_KEY: 'y', PII_KEY: 'z' };
    expect(() => loadConfig(env)).toThrow(/NOTIFY_WEBHOOK_URL/);
  });

  it('in production links sent by SMS and email are never built from a guessed or plain-http address', () => {
    const env = { NODE_ENV: 'production', JWT_PRIVATE_KEY: 'x', JWT_PUBLIC_KEY: 'y', PII_KEY: 'z', NOTIFY_WEBHOOK_URL: 'https://gateway.example/n', NOTIFY_WEBHOOK_SECRET: 's'.repeat(32) };
    expect(() => loadConfig(env)).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ ...env, PUBLIC_URL: 'http://shop.example' })).toThrow(/PUBLIC_URL/);
    expect(loadConfig({ ...env, PUBLIC_URL: 'https://shop.example' }).PUBLIC_URL).toBe('https://shop.example');
  });
});
