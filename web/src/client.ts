// The urql client: one per signed-in (or signed-out) period, so no cached answer outlives a session.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { forwardSubscription } from './live';
import { authFetch } from './session';

export function createApiClient(): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, subscriptionExchange({ forwardSubscription }), fetchExchange],
    fetch: authFetch,
    // POST only: GET requests would put variables (logins, codes) into URLs and server logs.
    preferGetMethod: false,
    // Other people change what a page shows (a customer answers, an admin approves): show the
    // cached answer at once and refresh it from the server whenever a page opens.
    requestPolicy: 'cache-and-network',
  });
}
