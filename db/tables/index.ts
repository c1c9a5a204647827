export * from './accounts.js';
export * from './alliances.js';
export * from './campaigns.js';
export * from './offers.js';
export * from './moderation.js';
export * from './customers.js';
export * from './referrals.js';
export * from './purchases.js';
