// The customer face's pages.
import { isCustomer, type FacePage } from '../../viewer';
import { CommunityPage } from '../shared/CommunityPage';
import { ConsentPage } from './ConsentPage';
import { CustomerHome } from './CustomerHome';
import { HeldRecordsPage } from './HeldRecordsPage';
import { MyCommunities } from './MyCommunities';
import { MyDataPage } from './MyDataPage';
import { PendingBadge } from './PendingBadge';

export const customerPages: FacePage[] = [
  { path: '/customer', nav: 'nav.customerHome', badge: PendingBadge, allowed: isCustomer, Page: CustomerHome },
  { path: '/customer/communities', nav: 'nav.communities', allowed: isCustomer, Page: MyCommunities },
  { path: '/customer/community', allowed: isCustomer, Page: CommunityPage },
  { path: '/customer/consent', nav: 'nav.consent', allowed: isCustomer, Page: ConsentPage },
  { path: '/customer/shops', nav: 'nav.heldRecords', allowed: isCustomer, Page: HeldRecordsPage },
  { path: '/customer/data', nav: 'nav.myData', allowed: isCustomer, Page: MyDataPage },
];
