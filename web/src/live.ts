// Live updates: GraphQL subscriptions over Server-Sent Events (graphql-yoga), read with fetch so
// the request carries the access token (EventSource cannot send headers, and the server's CSRF
// guard refuses a bare GET). One stream per signed-in client; when it drops it reconnects with
// exponential backoff and jitter, through authFetch, which refreshes a token about to expire first.
// Each event invalidates urql's cached queries about referral requests, so every list and badge
// showing one fetches its new state.
import { useSubscription, type ExecutionResult, type SubscriptionForwarder } from 'urql';
import { graphql } from './graphql';
import { authFetch, renewSession } from './session';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/** The delay before reconnect attempt n (1, 2, …): doubling up to the cap, scaled by [0.5, 1) so clients spread out. */
export const retryDelay = (attempt: number, random = Math.random) => Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1)) * (0.5 + random() / 2);

interface ServerSentEvent {
  event: string;
  data: string;
}

/** The events of a text/event-stream body (yoga ends lines with \n); a comment (the keep-alive ping) yields an empty event name. */
async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const field = (name: string) => lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).replace(/^ /, ''));
        yield { event: field('event')[0] ?? '', data: field('data').join('\n') };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

type Outcome = 'dropped' | 'unauthenticated' | 'refused';

/**
 * urql's forwarder for subscriptions. The stream ends for good when the server refuses the
 * subscription itself (an error other than UNAUTHENTICATED, or a 4xx): retrying would not change
 * its answer. Signing out replaces the urql client, which unsubscribes.
 */
export const forwardSubscription: SubscriptionForwarder = (request) => ({
  subscribe(sink) {
    let stopped = false;
    let controller: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;

    const stream = async (): Promise<Outcome> => {
      controller = new AbortController();
      const response = await authFetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(request),
        signal: controller.signal,
      });
      if (response.status === 401) return 'unauthenticated';
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) return 'refused';
      if (!response.ok || !response.body) return 'dropped';
      for await (const { event, data } of serverSentEvents(response.body)) {
        // Open and answering (a ping or an event): the next drop starts the backoff afresh.
        attempt = 0;
        if (event === 'complete') break;
        if (event !== 'next') continue;
        const result = JSON.parse(data) as ExecutionResult;
        const first = result.errors?.[0];
        const code = first && 'extensions' in first ? first.extensions?.code : undefined;
        if (code === 'UNAUTHENTICATED') return 'unauthenticated';
        if (code) {
          sink.next(result);
          return 'refused';
        }
        sink.next(result);
      }
      return 'dropped';
    };

    const run = async () => {
      while (!stopped) {
        let outcome: Outcome;
        try {
          outcome = await stream();
        } catch {
          outcome = 'dropped';
        }
        if (stopped) return;
        if (outcome === 'refused') return sink.complete();
        // A token the server no longer takes: new tokens, or the session is over (signed out).
        if (outcome === 'unauthenticated' && !(await renewSession().catch(() => true))) return sink.complete();
        attempt += 1;
        await new Promise((resolve) => (timer = setTimeout(resolve, retryDelay(attempt))));
      }
    };
    void run();

    return {
      unsubscribe() {
        stopped = true;
        clearTimeout(timer);
        controller?.abort();
      },
    };
  },
});

const REFERRAL_UPDATED = graphql(`
  subscription ReferralUpdated {
    referralUpdated { id status }
  }
`);

// urql's document cache learns nothing from a subscription's data; it refetches the queries
// holding these types.
const liveContext = { additionalTypenames: ['ReferralRequest'] };

/** Keeps the viewer's referral requests live on every page while signed in. */
export function useLiveReferrals(): void {
  useSubscription({ query: REFERRAL_UPDATED, context: liveContext });
}

