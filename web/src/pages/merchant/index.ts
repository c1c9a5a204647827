// The merchant console's pages (owner and staff).
import { isMerchant, isOwner, type FacePage } from '../../viewer';
import { CommunityPage } from '../shared/CommunityPage';
import { AccessLogPage } from './AccessLogPage';
import { AlliancePage } from './AlliancePage';
import { AlliancesPage } from './AlliancesPage';
import { CampaignPage } from './CampaignPage';
import { CampaignsPage } from './CampaignsPage';
import { CustomersPage } from './CustomersPage';
import { InsightsPage } from './InsightsPage';
import { MerchantHome } from './MerchantHome';
import { OfferPage } from './OfferPage';
import { OffersPage } from './OffersPage';
import { PrivacyNoticePage } from './PrivacyNoticePage';
import { ReferralsPage } from './ReferralsPage';
import { StaffPage } from './StaffPage';

export const merchantPages: FacePage[] = [
  { path: '/merchant', nav: 'nav.merchantHome', allowed: isMerchant, Page: MerchantHome },
  { path: '/merchant/alliances', nav: 'nav.alliances', allowed: isMerchant, Page: AlliancesPage },
  { path: '/merchant/alliance', allowed: isMerchant, Page: AlliancePage },
  { path: '/merchant/community', allowed: isMerchant, Page: CommunityPage },
  { path: '/merchant/offers', nav: 'nav.offers', allowed: isMerchant, Page: OffersPage },
  { path: '/merchant/offer', allowed: isMerchant, Page: OfferPage },
  { path: '/merchant/campaigns', nav: 'nav.campaigns', allowed: isMerchant, Page: CampaignsPage },
  { path: '/merchant/campaign', allowed: isMerchant, Page: CampaignPage },
  { path: '/merchant/customers', nav: 'nav.customers', allowed: isMerchant, Page: CustomersPage },
  { path: '/merchant/referrals', nav: 'nav.referrals', allowed: isMerchant, Page: ReferralsPage },
  { path: '/merchant/insights', nav: 'nav.insights', allowed: isMerchant, Page: InsightsPage },
  { path: '/merchant/access-log', nav: 'nav.accessLog', allowed: isMerchant, Page: AccessLogPage },
  { path: '/merchant/staff', nav: 'nav.staff', allowed: isOwner, Page: StaffPage },
  { path: '/merchant/privacy', nav: 'nav.privacy', allowed: isOwner, Page: PrivacyNoticePage },
];
