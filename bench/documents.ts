// The GraphQL documents the scenarios send.
export const FEED = `query Feed($community: ID!) {
  community(id: $community) {
    offers(first: 20) {
      edges { cursor node { id title category endsAt status merchant { id name } communities { id name } campaign { id title } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
export const PENDING = `query Pending {
  viewer { customer { referralRequests(status: PENDING, first: 20) {
    edges { node { id status purpose requestedFields retentionDays expiresAt requester { id name } offer { id title } } }
  } } }
}`;
export const VIEWER = 'query Viewer { viewer { id displayName } }';
export const REQUEST = `mutation Request($input: RequestReferralInput!) { requestReferral(input: $input) { id status } }`;
export const RESPOND = `mutation Respond($input: RespondToReferralInput!) { respondToReferral(input: $input) { id status } }`;

export const gqlBody = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });
