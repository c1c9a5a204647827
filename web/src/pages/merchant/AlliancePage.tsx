// One alliance as a member sees it (/merchant/alliance?id=…): its communities to join or leave
// and open, and its members.
import { gql, useQuery } from 'urql';
import type { AllianceRole, MembershipStatus } from '../../domain';
import { useI18n } from '../../i18n';
import { Link, useLocation } from '../../router';
import { Found, Notice } from '../../ui/feedback';
import { PAGE_INFO, Paged, type Connection } from '../../ui/paged';
import { JoinLeave } from '../shared/CommunityPage';

interface Alliance {
  id: string;
  name: string;
  city: string;
  description: string;
  viewerRole: AllianceRole | null;
}

export const ALLIANCE = gql<{ alliance: Alliance | null }, { id: string }>`
  query Alliance($id: ID!) {
    alliance(id: $id) { id name city description viewerRole }
  }
`;

export interface CommunityRow {
  id: string;
  name: string;
  description: string;
  status: 'OPEN' | 'ARCHIVED';
  viewerIsMember: boolean;
  merchantCount: number;
  customerCount: number;
}

export const COMMUNITIES = gql<{ alliance: { id: string; communities: Connection<CommunityRow> } | null }>`
  query AllianceCommunities($id: ID!, $first: Int, $after: String) {
    alliance(id: $id) { id communities(first: $first, after: $after) { edges { node { id name description status viewerIsMember merchantCount customerCount } } ${PAGE_INFO} } }
  }
`;

export interface Member {
  role: AllianceRole;
  status: MembershipStatus;
  joinedAt: string | null;
  appliedAt: string;
  message: string | null;
  merchant: { id: string; name: string; category: string; city: string };
}

export const MEMBER_FIELDS = 'role status joinedAt appliedAt message merchant { id name category city }';

export const MEMBERS = gql<{ alliance: { id: string; members: Connection<Member> & { totalCount: number } } | null }>`
  query AllianceMembers($id: ID!, $first: Int, $after: String) {
    alliance(id: $id) { id members(first: $first, after: $after) { totalCount edges { node { ${MEMBER_FIELDS} } } ${PAGE_INFO} } }
  }
`;

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
