// The signed-in session: tokens in localStorage, silent refresh with rotation, sign-out.
// Every GraphQL request goes through `authFetch`, which attaches the access token, refreshes it
// shortly before it expires, and when the server refuses the token refreshes once and retries.
import { useSyncExternalStore } from 'react';
import { stringifyDocument, type TypedDocumentNode } from '@urql/core';
import { graphql, type ResultOf } from './graphql';

/** What every session-issuing mutation answers with. */
export const TokenFields = graphql(`
  fragment TokenFields on Session @_unmask { accessToken refreshToken accessTokenExpiresAt }
`);

export type Tokens = ResultOf<typeof TokenFields>;

interface StoredSession extends Tokens {
  /** Names one signed-in period: kept across refreshes, new at every sign-in (also in another tab). */
  key: string;
  /** When to refresh proactively: a quarter of the token's life (at most a minute) before it expires. */
  refreshAt: number;
}

export interface SessionState {
  session: StoredSession | null;
  /** True when the session ended without the user signing out (a refresh was refused). */
  expired: boolean;
}

const STORAGE_KEY = 'arp.session';
const GRAPHQL_URL = '/graphql';

function readStored(): StoredSession | null {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as StoredSession | null;
    return value?.key && value.accessToken && value.refreshToken ? value : null;
  } catch {
    return null;
  }
}

let state: SessionState = { session: readStored(), expired: false };
const listeners = new Set<() => void>();

function setState(next: SessionState) {
  state = next;
  listeners.forEach((l) => l());
}

// Another tab signed in, refreshed or signed out.
window.addEventListener('storage', (event) => {
  if (event.key === STORAGE_KEY) setState({ session: readStored(), expired: false });
});

export const getSession = () => state.session;

export function useSessionState(): SessionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/** Stores a session issued by signIn, signUpMerchant or claimCustomerInvite (or, keeping its key, refreshSession). */
export function saveSession(tokens: Tokens, key: string = crypto.randomUUID()): StoredSession {
  const expiresAt = Date.parse(tokens.accessTokenExpiresAt);
  const margin = Math.min(60_000, Math.max(0, expiresAt - Date.now()) / 4);
  const session: StoredSession = {
    key,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshAt: expiresAt - margin,
  };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  setState({ session, expired: false });
  return session;
}

function endSession(expired: boolean) {
  localStorage.removeItem(STORAGE_KEY);
  setState({ session: null, expired });
}

const REFRESH = graphql(
  `
  mutation Refresh($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) { ...TokenFields }
  }
`,
  [TokenFields],
);

/** A bare request, outside urql: refreshing must not itself go through the refreshing fetch. */
async function post<Data, Variables>(document: TypedDocumentNode<Data, Variables>, variables: Variables): Promise<{ data?: Data | null }> {
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: stringifyDocument(document), variables }),
  });
  return (await response.json()) as { data?: Data | null };
}

let refreshing: Promise<StoredSession | null> | null = null;

/**
 * Exchanges the refresh token for new tokens, once at a time: the server ends the whole session
 * when a refresh token is presented twice, so concurrent requests (and other tabs, through a Web
 * Lock) share one refresh. Resolves to null when the server refuses it, which signs out; a
 * network failure rejects and keeps the session for a later try.
 */
function refresh(stale: StoredSession): Promise<StoredSession | null> {
  refreshing ??= withLock(async () => {
    const latest = readStored();
    if (!latest) {
      endSession(false);
      return null;
    }
    // Another tab already rotated the token while we waited for the lock.
    if (latest.refreshToken !== stale.refreshToken) {
      setState({ session: latest, expired: false });
      return latest;
    }
    const result = await post(REFRESH, { refreshToken: latest.refreshToken });
    if (result.data?.refreshSession) return saveSession(result.data.refreshSession, latest.key);
    endSession(true);
    return null;
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  return navigator.locks ? await navigator.locks.request('arp.session.refresh', work) : await work();
}

function withToken(init: RequestInit | undefined, session: StoredSession | null): RequestInit {
  const headers = new Headers(init?.headers);
  if (session) headers.set('authorization', `Bearer ${session.accessToken}`);
  else headers.delete('authorization');
  return { ...init, headers };
}

/**
 * New tokens now, for a caller that learnt the access token no longer works other than by an HTTP
 * 401 (a live stream that answered UNAUTHENTICATED). Null when signed out or the refresh was refused.
 */
export function renewSession(): Promise<StoredSession | null> {
  const session = state.session;
  return session ? refresh(session) : Promise.resolve(null);
}

/** The session, refreshed first when its access token is about to expire. */
async function currentSession(): Promise<StoredSession | null> {
  const session = state.session;
  return session && Date.now() >= session.refreshAt ? refresh(session) : session;
}

/** The access token for a request made outside fetch (an upload through XMLHttpRequest, which reports progress). */
export const accessToken = async (): Promise<string | null> => (await currentSession())?.accessToken ?? null;

export const authFetch: typeof fetch = async (input, init) => {
  const session = await currentSession();
  const response = await fetch(input, withToken(init, session));
  // HTTP 401 (UNAUTHENTICATED) means the server refused the token before running anything, so one
  // retry is safe. An UNAUTHENTICATED answer from a resolver (e.g. a wrong password) comes with 200.
  if (!session || response.status !== 401) return response;
  const renewed = await refresh(session);
  return renewed ? fetch(input, withToken(init, renewed)) : response;
};

const SIGN_OUT = graphql(`
  mutation SignOut($refreshToken: String!) {
    signOut(refreshToken: $refreshToken)
  }
`);

/** Ends the session on the server and forgets it here, even when the server cannot be reached. */
export async function signOut(): Promise<void> {
  const session = state.session;
  try {
    if (session) await post(SIGN_OUT, { refreshToken: session.refreshToken });
  } catch {
    // Unreachable server: the refresh token then simply expires; this device forgets it anyway.
  }
  endSession(false);
}
