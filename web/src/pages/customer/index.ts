// The customer face's pages.
import { isCustomer, type FacePage } from '../../viewer';
import { CustomerHome } from './CustomerHome';

export const customerPages: FacePage[] = [{ path: '/customer', nav: 'nav.customerHome', allowed: isCustomer, Page: CustomerHome }];
