// Property-based: every mutation's text inputs fed with a hostile catalogue (and random Unicode)
// answer either BAD_USER_INPUT or store a value that reads back exactly (NFC, trimmed); never a
// 5xx, never an unmasked message.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type GqlResult } from '../fixtures.js';
import { createCast, nextPhone, type Cast } from '../story.js';

const catalogue = [
  '',
  ' ',
  'a',
  'x'.repeat(99),
  'x'.repeat(100),
  'x'.repeat(101),
  'x'.repeat(1_000_000),
  'nul\u0000byte',
  'bidi\u202Eevil\u202C',
  'isolate\u2066x\u2069',
  'zero\u200Bwidth\u200D',
  'lone\uD800surrogate',
  'e' + '\u0301'.repeat(500),
  'Cafe\u0301',
  '👨‍👩‍👧‍👦🏳️‍🌈',
  '沙发窗帘灯具',
  "' OR '1'='1",
  "'; ATTACH DATABASE '/tmp/x.db' AS x; --",
  '<script>alert(1)</script>',
  '=HYPERLINK("http://evil","click")',
  '100% _off_ \\%',
];
const hostile = fc.oneof(
  fc.constantFrom(...catalogue),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.tuple(fc.constantFrom(...catalogue), fc.string({ unit: 'grapheme', maxLength: 10 })).map(([a, b]) => `${a}${b}`),
);

const p = await createTestPlatform();
let cast: Cast;
beforeAll(async () => {
  cast = await createCast(p);
}, 60_000);

/** One text input of one mutation: how to send a value, and where the stored value comes back. */
interface Target {
  name: string;
  send: (value: string) => Promise<GqlResult>;
  readBack: (r: GqlResult) => unknown;
}

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const targets = (): Target[] => {
  const offer = (field: 'title' | 'body' | 'category') => (value: string) =>
    p.gql(`mutation($i: PostOfferInput!) { postOffer(input: $i) { title body category } }`, {
      i: { title: '标题', body: '内容', category: 'sofa', startsAt: future(-1), endsAt: future(10), communityIds: [cast.communityId], [field]: value },
    }, cast.light.accessToken);
  const customer = (field: 'name' | 'address' | 'wechat') => (value: string) =>
    p.gql(`mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id name address wechat } }`, {
      i: { name: '客户', phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true, [field]: value },
    }, cast.sofa.accessToken);
  const alliance = (field: 'name' | 'city' | 'description') => (value: string) =>
    p.gql(`mutation($i: CreateAllianceInput!) { createAlliance(input: $i) { name city description } }`, {
      i: { name: '联盟', city: '温州', description: '说明', [field]: value },
    }, cast.light.accessToken);
  return [
    { name: 'postOffer.title', send: offer('title'), readBack: (r) => r.data?.postOffer?.title },
    { name: 'postOffer.body', send: offer('body'), readBack: (r) => r.data?.postOffer?.body },
    { name: 'postOffer.category', send: offer('category'), readBack: (r) => r.data?.postOffer?.category },
    { name: 'addCustomer.name', send: customer('name'), readBack: (r) => r.data?.addCustomer?.name },
    { name: 'addCustomer.address', send: customer('address'), readBack: (r) => r.data?.addCustomer?.address },
    { name: 'addCustomer.wechat', send: customer('wechat'), readBack: (r) => r.data?.addCustomer?.wechat },
    { name: 'createAlliance.name', send: alliance('name'), readBack: (r) => r.data?.createAlliance?.name },
    { name: 'createAlliance.description', send: alliance('description'), readBack: (r) => r.data?.createAlliance?.description },
    {
      name: 'publishPrivacyNotice.text',
      send: (text) => p.gql(`mutation($t: String!) { publishPrivacyNotice(text: $t) { text } }`, { t: text }, cast.light.accessToken),
      readBack: (r) => r.data?.publishPrivacyNotice?.text,
    },
    {
      name: 'signUpMerchant.merchantName',
      send: async (value) => {
        const email = `fuzz-${Math.random().toString(36).slice(2)}@example.cn`;
        await p.gql(`mutation($e: String!) { sendSignUpCode(email: $e) { resendAfter } }`, { e: email });
        return p.gql(`mutation($i: SignUpMerchantInput!) { signUpMerchant(input: $i) { viewer { merchant { name } } } }`, {
          i: { email, password: 'long enough pw', displayName: '张三', merchantName: value, category: 'sofa', city: '温州', emailCode: p.lastCode(email) },
        });
      },
      readBack: (r) => r.data?.signUpMerchant?.viewer?.merchant?.name,
    },
    {
      name: 'signIn.login',
      send: (value) => p.gql(`mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, { i: { login: value, password: 'whatever pw' } }),
      readBack: () => undefined,
    },
    {
      name: 'addCustomer.phone',
      send: (value) =>
        p.gql(`mutation($i: AddCustomerInput!) { addCustomer(input: $i) { phone } }`, {
          i: { name: '客户', phone: value, consentSource: 'IN_STORE', consentGiven: true },
        }, cast.sofa.accessToken),
      readBack: () => undefined,
    },
  ];
};

const EXPECTED_CODES = new Set(['BAD_USER_INPUT', 'CONFLICT', 'UNAUTHENTICATED', 'RATE_LIMITED', 'GRAPHQL_VALIDATION_FAILED']);

describe('hostile text inputs', () => {
  it('are refused with BAD_USER_INPUT or stored exactly (NFC, trimmed), never a 5xx or an unmasked message', async () => {
    for (const target of targets()) {
      await fc.assert(
        fc.asyncProperty(hostile, async (value) => {
          const r = await target.send(value);
          expect(r.status, `${target.name}: HTTP ${r.status}`).toBeLessThan(500);
          const text = JSON.stringify(r.body);
          expect(text).not.toMatch(/SqliteError|SQLITE_|\bat .+\.(ts|js):\d+|INTERNAL_SERVER_ERROR/);
          if (r.errors) {
            const codes = r.errors.map((e) => e.extensions?.code);
            expect(codes.every((c) => EXPECTED_CODES.has(String(c))), `${target.name}: ${codes}`).toBe(true);
          } else {
            const stored = target.readBack(r);
            if (stored !== undefined) expect(stored, target.name).toBe(value.normalize('NFC').trim());
          }
        }),
        { numRuns: 25, seed: 20261122 },
      );
    }
  }, 120_000);

  it('phones: full-width digits and a tel: prefix normalise; too many digits are refused', async () => {
    const add = (phone: string) =>
      p.gql(`mutation($i: AddCustomerInput!) { addCustomer(input: $i) { phone } }`, { i: { name: '客户', phone, consentSource: 'IN_STORE', consentGiven: true } }, cast.sofa.accessToken);
    expect((await add('１３９００１３９０１２')).data.addCustomer.phone).toBe('+8613900139012');
    expect((await add('tel:+86-139-0013-9013')).data.addCustomer.phone).toBe('+8613900139013');
    expect((await add('1390013901412345')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
