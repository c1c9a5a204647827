import { describe, expect, it } from 'vitest';
import { addStaff, SESSION_FIELDS, signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();

const SIGN_UP = `mutation($input: SignUpMerchantInput!) { signUpMerchant(input: $input) { ${SESSION_FIELDS} } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { ${SESSION_FIELDS} } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { ${SESSION_FIELDS} } }`;
const VIEWER = `{ viewer { id displayName roles canViewContacts merchant { id name category city } } }`;

const validSignUp = (over: Record<string, unknown> = {}) => ({
  email: `new-${Math.random().toString(36).slice(2)}@example.cn`,
  password: 'a long enough password',
  displayName: '李四',
  merchantName: '雅居窗帘',
  category: 'curtains',
  city: '温州',
  ...over,
});

const rowCount = async (table: string) => (await p.sql<{ n: number }>(`select count(*) as n from ${table}`))[0]!.n;

describe('a merchant signs up and signs in', () => {
  it('signing up creates the owner, the merchant and a session whose token identifies the viewer', async () => {
    const m = await signUpMerchant(p, { merchantName: '舒适沙发馆', displayName: '王店长' });
    const r = await p.gql(VIEWER, {}, m.accessToken);
    expect(r.errors).toBeUndefined();
    expect(r.data.viewer).toMatchObject({ displayName: '王店长', roles: ['MERCHANT_OWNER'], canViewContacts: true, merchant: { name: '舒适沙发馆', city: '温州' } });
    expect(r.data.viewer.merchant.id).toBe(m.merchantId);
  });

  it('an anonymous request sees a null viewer', async () => {
    const r = await p.gql(VIEWER);
    expect(r.errors).toBeUndefined();
    expect(r.data.viewer).toBeNull();
  });

  it('the stored password is an argon2id hash, never the password', async () => {
    const m = await signUpMerchant(p);
    const [row] = await p.sql<{ h: string }>('select password_hash as h from accounts where email = ?', m.email);
    expect(row!.h.startsWith('$argon2id$')).toBe(true);
    expect(row!.h).not.toContain(m.password);
  });

  it('signs in with the right password, case-insensitively on the email', async () => {
    const m = await signUpMerchant(p);
    const r = await p.gql(SIGN_IN, { input: { login: m.email.toUpperCase(), password: m.password } });
    expect(r.errors).toBeUndefined();
    expect(r.data.signIn.viewer.merchant.id).toBe(m.merchantId);
  });

  it('a wrong password and an unknown email get the same answer', async () => {
    const m = await signUpMerchant(p);
    const wrong = await p.gql(SIGN_IN, { input: { login: m.email, password: 'not the password' } });
    const unknown = await p.gql(SIGN_IN, { input: { login: 'nobody@example.cn', password: 'not the password' } });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    expect(codeOf(unknown)).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0]!.message).toBe(unknown.errors![0]!.message);
    expect(wrong.data).toBeNull();
  });

  it('a registered email gets no code and no account: its owner gets a sign-in link, nothing is written', async () => {
    const m = await signUpMerchant(p);
    const before = [await rowCount('accounts'), await rowCount('merchants')];
    // The owner's own sign-up code was the last one to this address a moment ago.
    await p.deps.limits.codeResendPerTarget.delete(`email:${m.email}`);
    const sent = await p.gql(`mutation($e: String!) { sendSignUpCode(email: $e) { resendAfter } }`, { e: m.email });
    expect(sent.errors).toBeUndefined();
    expect(p.sent.at(-1)).toMatchObject({ to: m.email, kind: 'ACCOUNT_EXISTS' });
    const r = await p.gql(SIGN_UP, { input: validSignUp({ email: m.email, emailCode: '000000' }) });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.extensions!.field).toBe('emailCode');
    expect([await rowCount('accounts'), await rowCount('merchants')]).toEqual(before);
  });
});

describe('bad sign-up input is refused with BAD_USER_INPUT naming the field, and nothing is written', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['an empty display name', { displayName: '   ' }, 'displayName'],
    ['a merchant name over 100 characters', { merchantName: '沙'.repeat(101) }, 'merchantName'],
    ['a password under 8 characters', { password: 'short' }, 'password'],
    ['a password over 128 characters', { password: 'x'.repeat(129) }, 'password'],
    ['a malformed email', { email: 'not-an-email' }, 'email'],
  ];
  for (const [label, over, field] of cases) {
    it(label, async () => {
      const before = await rowCount('accounts');
      const r = await p.gql(SIGN_UP, { input: validSignUp(over) });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.extensions!.field).toBe(field);
      expect(await rowCount('accounts')).toBe(before);
    });
  }

  it('a name of exactly 100 Chinese characters is accepted', async () => {
    const input = validSignUp({ merchantName: '沙'.repeat(100) });
    await p.gql(`mutation($e: String!) { sendSignUpCode(email: $e) { resendAfter } }`, { e: input.email });
    const r = await p.gql(SIGN_UP, { input: { ...input, emailCode: p.lastCode(input.email as string) } });
    expect(r.errors).toBeUndefined();
  });

  it('an unknown input field is refused', async () => {
    const r = await p.gql(SIGN_UP, { input: { ...validSignUp(), isAdmin: true } });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });
});

describe('refresh tokens rotate, and reuse ends the session', () => {
  it('a refresh token gives a new pair once; presenting it again revokes the whole family', async () => {
    const m = await signUpMerchant(p);
    const first = await p.gql(REFRESH, { t: m.refreshToken });
    expect(first.errors).toBeUndefined();
    const next = first.data.refreshSession;
    expect(next.refreshToken).not.toBe(m.refreshToken);

    const replay = await p.gql(REFRESH, { t: m.refreshToken });
    expect(codeOf(replay)).toBe('UNAUTHENTICATED');
    // The thief's replay also ends the legitimate successor and its access token.
    expect(codeOf(await p.gql(REFRESH, { t: next.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await p.gql(VIEWER, {}, next.accessToken))).toBe('UNAUTHENTICATED');
  });

  it('only a hash of the refresh token is stored', async () => {
    const m = await signUpMerchant(p);
    const [hit] = await p.sql<{ n: number }>('select count(*) as n from refresh_tokens where token_hash = ?', m.refreshToken);
    expect(hit!.n).toBe(0);
  });

  it('an unknown refresh token is UNAUTHENTICATED', async () => {
    expect(codeOf(await p.gql(REFRESH, { t: 'made-up-token' }))).toBe('UNAUTHENTICATED');
  });

  it('signing out ends the session: its refresh and access tokens stop working', async () => {
    const m = await signUpMerchant(p);
    const out = await p.gql(`mutation($t: String!) { signOut(refreshToken: $t) }`, { t: m.refreshToken });
    expect(out.data.signOut).toBe(true);
    expect(codeOf(await p.gql(REFRESH, { t: m.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await p.gql(VIEWER, {}, m.accessToken))).toBe('UNAUTHENTICATED');
  });

  it('another device of the same account stays signed in', async () => {
    const m = await signUpMerchant(p);
    const other = await p.gql(SIGN_IN, { input: { login: m.email, password: m.password } });
    await p.gql(`mutation($t: String!) { signOut(refreshToken: $t) }`, { t: m.refreshToken });
    const r = await p.gql(VIEWER, {}, other.data.signIn.accessToken);
    expect(r.data.viewer.displayName).toBeTruthy();
  });
});

describe('staff accounts', () => {
  const ADD_STAFF = `mutation($input: AddStaffInput!) { addStaff(input: $input) { id displayName roles canViewContacts merchant { id } } }`;
  const staffInput = (over: Record<string, unknown> = {}) => ({
    email: `s-${Math.random().toString(36).slice(2)}@example.cn`,
    password: 'staff password',
    displayName: '小张',
    canViewContacts: false,
    ...over,
  });

  it('an owner adds staff who then sign in as MERCHANT_STAFF of the same merchant', async () => {
    const owner = await signUpMerchant(p);
    const r = await p.gql(ADD_STAFF, { input: staffInput() }, owner.accessToken);
    expect(r.errors).toBeUndefined();
    expect(r.data.addStaff).toMatchObject({ roles: ['MERCHANT_STAFF'], canViewContacts: false, merchant: { id: owner.merchantId } });
    const staff = await addStaff(p, owner, true);
    const v = await p.gql(VIEWER, {}, staff.accessToken);
    expect(v.data.viewer).toMatchObject({ roles: ['MERCHANT_STAFF'], canViewContacts: true, merchant: { id: owner.merchantId } });
  });

  it('staff cannot add staff', async () => {
    const owner = await signUpMerchant(p);
    const staff = await addStaff(p, owner, true);
    const before = await rowCount('accounts');
    const r = await p.gql(ADD_STAFF, { input: staffInput() }, staff.accessToken);
    expect(codeOf(r)).toBe('FORBIDDEN');
    expect(await rowCount('accounts')).toBe(before);
  });

  it('an anonymous caller cannot add staff', async () => {
    expect(codeOf(await p.gql(ADD_STAFF, { input: staffInput() }))).toBe('UNAUTHENTICATED');
  });
});

describe('privacy notices are versioned', () => {
  const PUBLISH = `mutation($text: String!) { publishPrivacyNotice(text: $text) { version text publishedAt } }`;

  it('each publication is a new version; the merchant shows the latest and earlier ones are kept', async () => {
    const owner = await signUpMerchant(p);
    const v1 = await p.gql(PUBLISH, { text: '第一版：我们只在您同意时分享联系方式。' }, owner.accessToken);
    const v2 = await p.gql(PUBLISH, { text: '第二版：保留期限最长一年。' }, owner.accessToken);
    expect(v1.data.publishPrivacyNotice.version).toBe(1);
    expect(v2.data.publishPrivacyNotice.version).toBe(2);
    const r = await p.gql(`{ viewer { merchant { privacyNotice { version text } } } }`, {}, owner.accessToken);
    expect(r.data.viewer.merchant.privacyNotice).toEqual({ version: 2, text: '第二版：保留期限最长一年。' });
    const [kept] = await p.sql('select text from privacy_notices where version = 1 and text like ?', '第一版%');
    expect(kept).toBeTruthy();
  });

  it('staff cannot publish a notice', async () => {
    const owner = await signUpMerchant(p);
    const staff = await addStaff(p, owner, true);
    expect(codeOf(await p.gql(PUBLISH, { text: 'x'.repeat(30) }, staff.accessToken))).toBe('FORBIDDEN');
  });
});

describe('managing staff', () => {
  const STAFF = `{ viewer { merchant { staff { accountId displayName role canViewContacts removed } } } }`;
  const staffId = async (owner: Awaited<ReturnType<typeof signUpMerchant>>) => {
    const r = await p.gql(STAFF, {}, owner.accessToken);
    return r.data.viewer.merchant.staff.find((s: { role: string }) => s.role === 'STAFF').accountId as string;
  };

  it('removing a staff member refuses their tokens at once and they cannot sign in again', async () => {
    const owner = await signUpMerchant(p);
    const staff = await addStaff(p, owner, true);
    const id = await staffId(owner);
    const r = await p.gql(`mutation($id: ID!) { removeStaff(accountId: $id) }`, { id }, owner.accessToken);
    expect(r.data.removeStaff).toBe(true);
    expect(codeOf(await p.gql(VIEWER, {}, staff.accessToken))).toBe('UNAUTHENTICATED');
    expect(codeOf(await p.gql(SIGN_IN, { input: { login: staff.email, password: staff.password } }))).toBe('UNAUTHENTICATED');
    const list = await p.gql(STAFF, {}, owner.accessToken);
    expect(list.data.viewer.merchant.staff.find((s: { accountId: string }) => s.accountId === id).removed).toBe(true);
  });

  it('withdrawing contact permission ends the tokens issued before the change', async () => {
    const owner = await signUpMerchant(p);
    const staff = await addStaff(p, owner, true);
    const id = await staffId(owner);
    await p.gql(`mutation($id: ID!) { setStaffContactAccess(accountId: $id, canViewContacts: false) }`, { id }, owner.accessToken);
    expect(codeOf(await p.gql(VIEWER, {}, staff.accessToken))).toBe('UNAUTHENTICATED');
    const again = await p.gql(SIGN_IN, { input: { login: staff.email, password: staff.password } });
    expect(again.data.signIn.viewer).toBeTruthy();
    const v = await p.gql(VIEWER, {}, again.data.signIn.accessToken);
    expect(v.data.viewer.canViewContacts).toBe(false);
  });

  it('only the owner sees and manages staff; another merchant\'s owner cannot touch them', async () => {
    const owner = await signUpMerchant(p);
    await addStaff(p, owner, false);
    const id = await staffId(owner);
    const staff = await addStaff(p, owner, false);
    expect(codeOf(await p.gql(STAFF, {}, staff.accessToken))).toBe('FORBIDDEN');
    const stranger = await signUpMerchant(p);
    expect(codeOf(await p.gql(`mutation($id: ID!) { removeStaff(accountId: $id) }`, { id }, stranger.accessToken))).toBe('NOT_FOUND');
  });
});
