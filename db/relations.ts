import { defineRelations } from 'drizzle-orm';
import * as tables from './tables/index.js';

export const relations = defineRelations(tables, (r) => ({
  accounts: {
    staff: r.one.merchantStaff({ from: r.accounts.id, to: r.merchantStaff.accountId }),
  },
  merchants: {
    staff: r.many.merchantStaff({ from: r.merchants.id, to: r.merchantStaff.merchantId }),
    privacyNotices: r.many.privacyNotices({ from: r.merchants.id, to: r.privacyNotices.merchantId }),
  },
  merchantStaff: {
    account: r.one.accounts({ from: r.merchantStaff.accountId, to: r.accounts.id, optional: false }),
    merchant: r.one.merchants({ from: r.merchantStaff.merchantId, to: r.merchants.id, optional: false }),
  },
  privacyNotices: {
    merchant: r.one.merchants({ from: r.privacyNotices.merchantId, to: r.merchants.id, optional: false }),
  },
}));
