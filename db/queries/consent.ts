// A customer's consent settings as they stand: the latest version, or the defaults before any.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db.js';
import { consentVersions, type ConsentSettingsData } from '../tables/index.js';
import type { Tx } from '../tx.js';

export const DEFAULT_CONSENT: ConsentSettingsData = {
  allowReferrals: true,
  channels: ['IN_APP'],
  // Empty means no category restriction.
  categories: [],
  // A customer who tolerates one message a week must not get more than four or five a month.
  maxRequestsPerWeek: 2,
  maxRequestsPerMonth: 4,
  blockedMerchantIds: [],
};

type Q = Db | Tx;

export async function latestConsent(q: Q, subjectId: string) {
  const [row] = await q.select().from(consentVersions).where(eq(consentVersions.subjectId, subjectId)).orderBy(desc(consentVersions.version)).limit(1);
  return row;
}

