// The app shell: the session decides between the public pages and the signed-in faces; the
// viewer's roles decide which face (merchant console, customer home, alliance admin) opens.
import { useEffect, useMemo, type ComponentType } from 'react';
import { Provider, useQuery } from 'urql';
import { createApiClient } from './client';
import { useI18n } from './i18n';
import { useLiveReferrals } from './live';
import { adminPages } from './pages/admin';
import { ClaimPage } from './pages/auth/ClaimPage';
import { SignInPage } from './pages/auth/SignInPage';
import { SignUpPage } from './pages/auth/SignUpPage';
import { customerPages } from './pages/customer';
import { merchantPages } from './pages/merchant';
import { SharedPage } from './pages/shared/SharedPage';
import { Link, pathAfterSignIn, Redirect, useLocation } from './router';
import { signOut, useSessionState } from './session';
import { recordShareVisit } from './shareVisit';
import { TopBar } from './TopBar';
import { LoadFailed, Loading, Notice } from './ui/feedback';
import { VIEWER_QUERY, ViewerContext, type Viewer } from './viewer';

const publicPages: Record<string, ComponentType> = {
  '/signin': () => <SignInPage audience="merchant" />,
  '/customer/signin': () => <SignInPage audience="customer" />,
  '/signup': SignUpPage,
  '/claim': ClaimPage,
};

const facePages = [...merchantPages, ...customerPages, ...adminPages];

/** A share channel's public page (/shared/<code>) opens for everyone, signed in or not. */
const sharedCode = (path: string) => /^\/shared\/([a-z0-9]{1,32})$/.exec(path)?.[1];

// The viewer shows the current privacy notice, which may be null before the first one is
// published, and roles that founding an alliance or a role change alter: tell urql's document
// cache that those mutations change this query.
const viewerContext = { additionalTypenames: ['PrivacyNotice', 'Alliance', 'AllianceMember'] };

export function App() {
  const { session, expired } = useSessionState();
  const sessionKey = session?.key ?? null;
  // A new client (an empty cache) whenever someone signs in or out, never on a token refresh.
  const client = useMemo(createApiClient, [sessionKey]);
  const { t } = useI18n();
  useEffect(() => {
    document.title = t('app.name');
  }, [t]);
  useEffect(() => recordShareVisit(client), [client]);
  return (
    <Provider value={client}>
      {sessionKey ? <SignedIn /> : <SignedOut expired={expired} />}
    </Provider>
  );
}

function SignedOut({ expired }: { expired: boolean }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const Page = publicPages[path];
  const code = sharedCode(path);
  return (
    <>
      <TopBar />
      <main className="page">
        {expired && <Notice kind="info">{t('error.UNAUTHENTICATED')}</Notice>}
        {Page ? <Page /> : code ? <SharedPage code={code} /> : <Redirect to={path.startsWith('/customer') ? '/customer/signin' : '/signin'} />}
      </main>
    </>
  );
}

function SignedIn() {
  const [{ data, error }, reexecute] = useQuery({ query: VIEWER_QUERY, context: viewerContext });
  useLiveReferrals();
  const viewer = data?.viewer;
  // A valid token always has a viewer; if the server says otherwise, the session is over.
  useEffect(() => {
    if (data && !data.viewer) void signOut();
  }, [data]);
  if (!viewer) {
    return (
      <>
        <TopBar />
        <main className="page">{error ? <LoadFailed error={error} retry={() => reexecute({ requestPolicy: 'network-only' })} /> : <Loading />}</main>
      </>
    );
  }
  return (
    <ViewerContext.Provider value={viewer}>
      <TopBar viewer={viewer} />
      <Face viewer={viewer} />
    </ViewerContext.Provider>
  );
}

function Face({ viewer }: { viewer: Viewer }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const pages = facePages.filter((p) => p.allowed(viewer));
  const page = pages.find((p) => p.path === path);
  const tabs = pages.flatMap(({ path, nav, badge }) => (nav ? [{ path, nav, Badge: badge }] : []));
  const home = pages[0]?.path ?? '/';
  // A signed-in customer may claim the invite of another shop: that adds the shop to their account.
  const Content = page?.Page ?? (path === '/claim' ? ClaimPage : undefined);
  const code = sharedCode(path);
  // Sign-in pages, the root and pages of another role lead to this viewer's home, or back to the
  // shared page the viewer signed in from.
  const known = path === '/' || path in publicPages || facePages.some((p) => p.path === path);
  return (
    <>
      {tabs.length > 1 && (
        <nav className="face-nav" aria-label={t('nav.label')}>
          {tabs.map(({ path, nav, Badge }) => (
            <Link key={path} to={path} aria-current={path === page?.path ? 'page' : undefined}>
              {t(nav)}
              {Badge && <Badge />}
            </Link>
          ))}
        </nav>
      )}
      <main className="page">
        {code ? <SharedPage code={code} /> : Content ? <Content /> : known ? <Redirect to={pathAfterSignIn() ?? home} /> : <NotFound home={home} />}
      </main>
    </>
  );
}

function NotFound({ home }: { home: string }) {
  const { t } = useI18n();
  return (
    <section className="card narrow">
      <h1>{t('notFound.title')}</h1>
      <Link to={home}>{t('notFound.back')}</Link>
    </section>
  );
}
