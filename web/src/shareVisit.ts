// A visit that came through a share poster: the page address carries ?ch=<code> (GET /s/<code>
// sends scanners there). It is counted once, whoever opens it, signed in or not.
import { gql, type Client } from 'urql';

const RECORD_VISIT = gql<{ recordShareVisit: boolean }, { code: string }>`
  mutation RecordShareVisit($code: String!) {
    recordShareVisit(code: $code)
  }
`;

/**
 * Taken out of the address as the app starts, before a sign-in redirect drops the query, so that
 * a reload, or the address copied on, does not count again.
 */
let pending: string | null = (() => {
  const url = new URL(location.href);
  const code = url.searchParams.get('ch');
  if (!code) return null;
  url.searchParams.delete('ch');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return code;
})();

/** Counts the visit the app was opened for, if any; later calls do nothing. */
export function recordShareVisit(client: Client): void {
  if (!pending) return;
  const code = pending;
  pending = null;
  // A visit that cannot be counted (offline, over the limit) is not the visitor's problem.
  void client.mutation(RECORD_VISIT, { code }).toPromise();
}
