// The number of referral requests waiting for the customer's answer, beside "My account" in the
// navigation. Live: a new request or a withdrawal elsewhere refetches it (see live.ts).
import { useQuery } from 'urql';
import { graphql } from '../../graphql';
import { useI18n } from '../../i18n';

const SHOWN_MAX = 99;

const PENDING = graphql(`
  query PendingRequestCount($first: Int!) {
    viewer { id customer { id referralRequests(status: PENDING, first: $first) { edges { node { id } } pageInfo { hasNextPage } } } }
  }
`);

// The count changes with any request, also while there is none.
const context = { additionalTypenames: ['ReferralRequest'] };

export function PendingBadge() {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: PENDING, variables: { first: SHOWN_MAX }, context });
  const requests = data?.viewer?.customer?.referralRequests;
  if (!requests?.edges.length) return null;
  const count = requests.pageInfo.hasNextPage ? `${SHOWN_MAX}+` : String(requests.edges.length);
  return (
    <span className="badge" aria-label={t('referral.pendingBadge', { count })}>
      {count}
    </span>
  );
}
