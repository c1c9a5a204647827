// One alliance as a member sees it (/merchant/alliance?id=…): its communities to join or leave
// and open, and its members.
import { useQuery } from 'urql';
import { graphql, type Item, type ResultOf } from '../../graphql';
import { useI18n } from '../../i18n';
import { Link, useLocation } from '../../router';
import { Found, Notice } from '../../ui/feedback';
import { Paged } from '../../ui/paged';
import { JoinLeave } from '../shared/CommunityPage';

export const ALLIANCE = graphql(`
  query Alliance($id: ID!) {
    alliance(id: $id) { id name city description viewerRole }
  }
`);

export const COMMUNITIES = graphql(`
  query AllianceCommunities($id: ID!, $first: Int, $after: String) {
    alliance(id: $id) { id communities(first: $first, after: $after) { edges { node { id name description status viewerIsMember merchantCount customerCount } } pageInfo { hasNextPage endCursor } } }
  }
`);

export type CommunityRow = Item<NonNullable<ResultOf<typeof COMMUNITIES>['alliance']>['communities']['edges']>['node'];

/** A merchant's membership of an alliance, for documents to select. */
export const MemberFields = graphql(`
  fragment MemberFields on AllianceMember @_unmask { role status joinedAt appliedAt message merchant { id name category city } }
`);

export type Member = ResultOf<typeof MemberFields>;

export const MEMBERS = graphql(
  `
  query AllianceMembers($id: ID!, $first: Int, $after: String) {
    alliance(id: $id) { id members(first: $first, after: $after) { totalCount edges { node { ...MemberFields } } pageInfo { hasNextPage endCursor } } }
  }
`,
  [MemberFields],
);

export const communitiesContext = { additionalTypenames: ['Community'] };

export function AlliancePage() {
  const { t } = useI18n();
  const id = useLocation().query.get('id') ?? '';
  const [{ data, error }, reexecute] = useQuery({ query: ALLIANCE, variables: { id } });
  return (
    <Found data={data} pick={(d) => d.alliance} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(alliance) => (
          <>
            <p className="eyebrow">{alliance.city}</p>
            <h1>{alliance.name}</h1>
            {alliance.description && <p className="lead">{alliance.description}</p>}
            {!alliance.viewerRole ? (
              <Notice kind="info">{t('alliance.notMember')}</Notice>
            ) : (
              <>
                <section className="card">
                  <h2>{t('alliance.communities')}</h2>
                  <Paged
                    query={COMMUNITIES}
                    variables={{ id }}
                    context={communitiesContext}
                    connection={(d) => d.alliance?.communities}
                    keyOf={(c) => c.id}
                    empty={t('alliance.communities.none')}
                  >
                    {(c) => (
                      <>
                        <Link to={`/merchant/community?id=${encodeURIComponent(c.id)}`} className="item-title">
                          {c.name}
                        </Link>
                        <p className="meta">{t('community.counts', { merchants: c.merchantCount, customers: c.customerCount })}</p>
                        {c.description && <p>{c.description}</p>}
                        <JoinLeave community={c} />
                      </>
                    )}
                  </Paged>
                </section>
                <section className="card">
                  <h2>{t('alliance.members')}</h2>
                  <Paged query={MEMBERS} variables={{ id }} connection={(d) => d.alliance?.members} keyOf={(m) => m.merchant.id} empty={t('alliance.members.none')}>
                    {(m) => (
                      <>
                        <p className="item-title">{m.merchant.name}</p>
                        <p className="meta">
                          {m.merchant.category} · {m.merchant.city} · {t(`allianceRole.${m.role}`)}
                          {m.status !== 'APPROVED' && <> · {t(`membershipStatus.${m.status}`)}</>}
                        </p>
                      </>
                    )}
                  </Paged>
                </section>
              </>
            )}
          </>
      )}
    </Found>
  );
}
