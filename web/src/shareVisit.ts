// A visit that came through a share poster: a scan (GET /s/<code>) opens the channel's public page
// /shared/<code>, and older links open a page with ?ch=<code>. Each is counted once per browser
// tab, whoever opens it, signed in or not.
import { type Client } from 'urql';
import { graphql } from './graphql';

const RECORD_VISIT = graphql(`
  mutation RecordShareVisit($code: String!) {
    recordShareVisit(code: $code)
  }
`);

/**
 * Taken out of the address as the app starts, before a sign-in redirect drops the query, so that
 * the address copied on does not carry it.
 */
let pending: string | null = (() => {
  const url = new URL(location.href);
  const code = url.searchParams.get('ch');
  if (!code) return null;
  url.searchParams.delete('ch');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return code;
})();

// The codes this tab has counted: a reload, or coming back after signing in, is the same visit.
const COUNTED_KEY = 'arp.shareVisits';
const counted = new Set<string>(
  (() => {
    try {
      return JSON.parse(sessionStorage.getItem(COUNTED_KEY) ?? '[]') as string[];
    } catch {
      return [];
    }
  })(),
);

/**
 * Counts a visit through a channel: the shared page's own code, or without one the ?ch= the app
 * was opened with. A code already counted in this tab is not counted again.
 */
export function recordShareVisit(client: Client, code?: string): void {
  const visited = code ?? pending;
  if (!code) pending = null;
  if (!visited || counted.has(visited)) return;
  counted.add(visited);
  try {
    sessionStorage.setItem(COUNTED_KEY, JSON.stringify([...counted]));
  } catch {
    // Storage may be off (a private window): the visit still counts, once for this page load.
  }
  // A visit that cannot be counted (offline, over the limit) is not the visitor's problem.
  void client.mutation(RECORD_VISIT, { code: visited }).toPromise();
}
