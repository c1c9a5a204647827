// A community (/customer/community?id=…, /merchant/community?id=…): what it is, joining and
// leaving, and its feed. Customers show interest in offers; member merchants post into it and
// share the community's link with their customers.
import { useQuery } from 'urql';
import { graphql, type NodeOf, type ResultOf } from '../../graphql';
import { useI18n } from '../../i18n';
import { useLocation } from '../../router';
import { Found, Notice } from '../../ui/feedback';
import { ActionButton, useAction } from '../../ui/forms';
import { Paged } from '../../ui/paged';
import { isCustomer, useViewer } from '../../viewer';
import { OfferForm } from '../merchant/OfferForm';
import { OfferCard } from './OfferCard';

const COMMUNITY = graphql(`
  query Community($id: ID!) {
    community(id: $id) { id name description rules status customerCount merchantCount postLimitPerDay viewerIsMember alliance { id name } }
  }
`);

type Community = NonNullable<ResultOf<typeof COMMUNITY>['community']>;

const FEED = graphql(`
  query CommunityFeed($id: ID!, $first: Int, $after: String) {
    community(id: $id) { id offers(first: $first, after: $after) { edges { node { id title body category startsAt endsAt status merchant { id name category publicContact } poster { url thumbnailUrl width height } viewerInterested } } pageInfo { hasNextPage endCursor } } }
  }
`);

// Customers only: reading a campaign's variant shows it to them (and counts them as reached), and
// merchants keep the plain feed, which the server answers fastest.
const CUSTOMER_FEED = graphql(`
  query CustomerCommunityFeed($id: ID!, $first: Int, $after: String) {
    community(id: $id) { id offers(first: $first, after: $after) { edges { node { id title body category startsAt endsAt status merchant { id name category publicContact } poster { url thumbnailUrl width height } viewerInterested campaignPresentation { id label title description poster { url thumbnailUrl width height } } } } pageInfo { hasNextPage endCursor } } }
  }
`);

type FeedOffer = NodeOf<NonNullable<ResultOf<typeof FEED>['community']>['offers']>;

const JOIN = graphql(`
  mutation JoinCommunity($communityId: ID!) {
    joinCommunity(communityId: $communityId) { id viewerIsMember customerCount merchantCount }
  }
`);

const LEAVE = graphql(`
  mutation LeaveCommunity($communityId: ID!) {
    leaveCommunity(communityId: $communityId) { id viewerIsMember customerCount merchantCount }
  }
`);

const EXPRESS_INTEREST = graphql(`
  mutation ExpressInterest($offerId: ID!) {
    expressInterest(offerId: $offerId) { id offer { id viewerInterested } }
  }
`);

// A new offer or a join changes the feed even while it is still empty.
const feedContext = { additionalTypenames: ['Offer', 'Community'] };

export function CommunityPage() {
  const { query } = useLocation();
  const id = query.get('id') ?? '';
  const [{ data, error }, reexecute] = useQuery({ query: COMMUNITY, variables: { id } });
  return (
    <Found data={data} pick={(d) => d.community} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(community) => <CommunityView community={community} />}
    </Found>
  );
}

function CommunityView({ community }: { community: Community }) {
  const { t } = useI18n();
  const viewer = useViewer();
  const customer = isCustomer(viewer);
  const shareUrl = `${location.origin}/customer/community?id=${encodeURIComponent(community.id)}`;
  return (
    <>
      <p className="eyebrow">{community.alliance.name}</p>
      <h1>{community.name}</h1>
      {community.description && <p className="lead">{community.description}</p>}
      <section className="card">
        <dl className="facts">
          <dt>{t('community.members')}</dt>
          <dd>{t('community.counts', { merchants: community.merchantCount, customers: community.customerCount })}</dd>
          {!customer && (
            <>
              <dt>{t('community.postLimit')}</dt>
              <dd>{t('community.postLimit.value', { count: community.postLimitPerDay })}</dd>
            </>
          )}
          {community.rules && (
            <>
              <dt>{t('community.rules')}</dt>
              <dd className="notice-text">{community.rules}</dd>
            </>
          )}
        </dl>
        <JoinLeave community={community} />
      </section>
      {!customer && community.viewerIsMember && (
        <>
          <section className="card">
            <h2>{t('community.share')}</h2>
            <p>{t('community.share.intro')}</p>
            <p className="share-link">
              <code>{shareUrl}</code>
            </p>
          </section>
          <section className="card">
            <h2>{t('offer.post.title')}</h2>
            <OfferForm communityIds={[community.id]} />
          </section>
        </>
      )}
      <section className="card">
        <h2>{t('community.feed')}</h2>
        {community.viewerIsMember ? (
          <Paged
            query={customer ? CUSTOMER_FEED : FEED}
            variables={{ id: community.id }}
            context={feedContext}
            connection={(d) => d.community?.offers}
            keyOf={(o) => o.id}
            empty={t('community.feed.empty')}
          >
            {(offer) => (
              <OfferCard offer={offer} reportable={offer.merchant.id !== viewer.merchant?.id}>
                {customer && <Interest offer={offer} />}
              </OfferCard>
            )}
          </Paged>
        ) : (
          <p className="empty">{t('community.feed.joinFirst')}</p>
        )}
      </section>
    </>
  );
}

/** Joining or leaving a community, for the viewer's merchant or the customer themselves. */
export function JoinLeave({ community }: { community: Pick<Community, 'id' | 'status' | 'viewerIsMember'> }) {
  const { t } = useI18n();
  const join = useAction(JOIN);
  const leave = useAction(LEAVE);
  if (community.status === 'ARCHIVED') return <Notice kind="info">{t('community.archived')}</Notice>;
  return community.viewerIsMember ? (
    <div className="row">
      <span className="member-badge">{t('community.youAreMember')}</span>
      <ActionButton action={leave} label={t('community.leave')} pendingLabel={t('community.leaving')} onClick={() => void leave.run({ communityId: community.id })} success={() => t('community.left')} />
    </div>
  ) : (
    <ActionButton
      kind="primary"
      action={join}
      label={t('community.join')}
      pendingLabel={t('community.joining')}
      onClick={() => void join.run({ communityId: community.id })}
      success={() => t('community.joined')}
    />
  );
}

function Interest({ offer }: { offer: FeedOffer }) {
  const { t } = useI18n();
  const action = useAction(EXPRESS_INTEREST);
  if (offer.viewerInterested) return <p className="member-badge">{t('interest.done')}</p>;
  return (
    <ActionButton
      kind="primary"
      action={action}
      label={t('interest.submit')}
      pendingLabel={t('interest.pending')}
      onClick={() => void action.run({ offerId: offer.id })}
      wording={{ CONFLICT: 'interest.already' }}
    />
  );
}
