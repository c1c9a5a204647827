// Test data created through the public API.
import type { TestPlatform } from './fixtures.js';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const SESSION_FIELDS = 'accessToken refreshToken accessTokenExpiresAt viewer { id displayName roles merchant { id name } }';

export interface MerchantSession {
  accessToken: string;
  refreshToken: string;
  email: string;
  password: string;
  merchantId: string;
  accountId: string;
}

export async function signUpMerchant(p: TestPlatform, overrides: Partial<Record<string, string>> = {}): Promise<MerchantSession> {
  const input = {
    email: `owner-${unique()}@example.cn`,
    password: 'correct horse battery',
    displayName: '张三',
    merchantName: '温州好沙发',
    category: 'sofa',
    city: '温州',
    ...overrides,
  };
  const r = await p.gql(`mutation($input: SignUpMerchantInput!) { signUpMerchant(input: $input) { ${SESSION_FIELDS} } }`, { input });
  if (r.errors) throw new Error(`signUpMerchant failed: ${JSON.stringify(r.errors)}`);
  const s = r.data.signUpMerchant;
  return {
    accessToken: s.accessToken,
    refreshToken: s.refreshToken,
    email: input.email,
    password: input.password,
    merchantId: s.viewer.merchant.id,
    accountId: s.viewer.id,
  };
}

export async function addStaff(p: TestPlatform, owner: MerchantSession, canViewContacts: boolean) {
  const input = { email: `staff-${unique()}@example.cn`, password: 'staff password 1', displayName: '店员', canViewContacts };
  const r = await p.gql(`mutation($input: AddStaffInput!) { addStaff(input: $input) { id } }`, { input }, owner.accessToken);
  if (r.errors) throw new Error(`addStaff failed: ${JSON.stringify(r.errors)}`);
  const signIn = await p.gql(`mutation($input: SignInInput!) { signIn(input: $input) { ${SESSION_FIELDS} } }`, {
    input: { login: input.email, password: input.password },
  });
  return { ...input, accessToken: signIn.data.signIn.accessToken as string };
}
