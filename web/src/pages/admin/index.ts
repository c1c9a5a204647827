// The alliance admin section's pages.
import { isAllianceAdmin, type FacePage } from '../../viewer';
import { AdminAlliancePage } from './AdminAlliancePage';
import { AdminHome } from './AdminHome';

export const adminPages: FacePage[] = [
  { path: '/admin', nav: 'nav.admin', allowed: isAllianceAdmin, Page: AdminHome },
  { path: '/admin/alliance', allowed: isAllianceAdmin, Page: AdminAlliancePage },
];
