// The merchant console's pages (owner and staff).
import { isMerchant, isOwner, type FacePage } from '../../viewer';
import { MerchantHome } from './MerchantHome';
import { PrivacyNoticePage } from './PrivacyNoticePage';
import { StaffPage } from './StaffPage';

export const merchantPages: FacePage[] = [
  { path: '/merchant', nav: 'nav.merchantHome', allowed: isMerchant, Page: MerchantHome },
  { path: '/merchant/staff', nav: 'nav.staff', allowed: isOwner, Page: StaffPage },
  { path: '/merchant/privacy', nav: 'nav.privacy', allowed: isOwner, Page: PrivacyNoticePage },
];
