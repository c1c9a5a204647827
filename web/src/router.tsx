// A small router on the History API: the current path and query, links and redirects.
import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

/** The path without a trailing slash ('/' stays '/'), and the query string. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const path = useSyncExternalStore(subscribe, () => location.pathname);
  const search = useSyncExternalStore(subscribe, () => location.search);
  return { path: path.length > 1 ? path.replace(/\/+$/, '') : path, query: new URLSearchParams(search) };
}

export function Link({ to, ...props }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    // Let the browser handle new-tab and new-window clicks.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={onClick} {...props} />;
}

export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

// A public page a signed-out visitor reads (a share channel's page) is shown again once they sign
// in: kept for this tab, since claiming an account passes through several pages.
const RETURN_KEY = 'arp.returnTo';

export function returnAfterSignIn(path: string): void {
  sessionStorage.setItem(RETURN_KEY, path);
}

/** The page to show once signed in, if one asked; only a path of this app. */
export function pathAfterSignIn(): string | null {
  const path = sessionStorage.getItem(RETURN_KEY);
  return path?.startsWith('/') && !path.startsWith('//') ? path : null;
}

/** Called by the page once it is shown to a signed-in viewer. */
export function forgetReturn(): void {
  sessionStorage.removeItem(RETURN_KEY);
}
