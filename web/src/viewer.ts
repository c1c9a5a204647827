// Who is signed in, as the server describes it, and which face of the app each role gets.
import { createContext, useContext, type ComponentType } from 'react';
import { graphql, type ResultOf } from './graphql';
import type { MessageKey } from './i18n';

export const VIEWER_QUERY = graphql(`
  query Viewer {
    viewer {
      id
      displayName
      roles
      canViewContacts
      merchant {
        id
        name
        category
        city
        publicContact
        privacyNotice {
          version
          text
          publishedAt
        }
      }
    }
  }
`);

export type Viewer = NonNullable<ResultOf<typeof VIEWER_QUERY>['viewer']>;
export type PrivacyNotice = NonNullable<NonNullable<Viewer['merchant']>['privacyNotice']>;

export const ViewerContext = createContext<Viewer | null>(null);

/** The signed-in viewer; only pages behind sign-in call this. */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer() outside a signed-in page');
  return viewer;
}

export const isMerchant = (v: Viewer) => v.roles.includes('MERCHANT_OWNER') || v.roles.includes('MERCHANT_STAFF');
export const isOwner = (v: Viewer) => v.roles.includes('MERCHANT_OWNER');
export const isCustomer = (v: Viewer) => v.roles.includes('CUSTOMER');
export const isAllianceAdmin = (v: Viewer) => v.roles.includes('ALLIANCE_ADMIN');

/**
 * A page behind sign-in: its path, the navigation label (none for detail pages opened by link)
 * and a badge beside it (a count of things waiting), and who may open it.
 */
export interface FacePage {
  path: string;
  nav?: MessageKey;
  badge?: ComponentType;
  allowed: (viewer: Viewer) => boolean;
  Page: ComponentType;
}
