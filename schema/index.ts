// Imports every domain module (each registers its types on the builder) and builds the schema.
import { builder } from './builder.js';
import './merchant.js';
import './viewer.js';
import './customer.js';
import './consent.js';
import './referral.js';
import './rights.js';
import './held-records.js';
import './alliance.js';
import './community.js';
import './offer.js';
import './campaign.js';
import './variants.js';
import './media.js';
import './campaign-links.js';
import './sharing.js';
import './moderation.js';
import './alerts.js';
import './discovery.js';
import './insights.js';
import './notification.js';
import './subscription.js';

export const schema = builder.toSchema({ sortSchema: false });
