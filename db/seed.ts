// Demo data for a first local start: only into an empty database.
import { hashPassword } from '../server/auth/passwords.js';
import type { Db } from './client.js';
import * as accounts from './commands/accounts.js';
import { hashRefreshToken, newRefreshToken } from '../server/auth/tokens.js';

export interface DemoLogin {
  role: string;
  login: string;
  password: string;
}

const DEMO_PASSWORD = 'demo-pass-2026';

export async function seedDemo(db: Db): Promise<DemoLogin[] | null> {
  const existing = db.$client.prepare('select count(*) as n from accounts').get() as { n: number };
  if (existing.n > 0) return null;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // Sign-up opens a session; the demo has no use for its refresh token.
  const token = () => {
    const t = newRefreshToken();
    return { refreshToken: t, refreshTokenHash: hashRefreshToken(t), refreshExpiresAt: new Date(Date.now() + 86_400_000).toISOString() };
  };
  const merchants = [
    { email: 'sofa@demo.cn', displayName: '王店长', merchantName: '舒适沙发馆', category: 'sofa', city: '温州' },
    { email: 'curtain@demo.cn', displayName: '李老板', merchantName: '雅居窗帘', category: 'curtains', city: '温州' },
    { email: 'light@demo.cn', displayName: '陈经理', merchantName: '明亮灯饰', category: 'lighting', city: '温州' },
  ];
  const created = merchants.map((m) => ({ ...m, ...accounts.signUpMerchant(db, { ...m, passwordHash }, token()) }));
  for (const m of created) {
    const merchantId = db.$client.prepare('select merchant_id as id from merchant_staff where account_id = ?').get(m.accountId) as { id: string };
    accounts.publishPrivacyNotice(db, merchantId.id, `${m.merchantName}只在您同意的范围内使用您的联系方式，用于上门测量和售后服务；您可以随时撤回同意。`);
  }
  accounts.addStaff(db, created[0]!.accountId, { email: 'staff@demo.cn', passwordHash, displayName: '小张（店员）', canViewContacts: false });
  return [
    ...created.map((m) => ({ role: `merchant owner (${m.category})`, login: m.email, password: DEMO_PASSWORD })),
    { role: 'staff (no contacts)', login: 'staff@demo.cn', password: DEMO_PASSWORD },
  ];
}
