// The communities the customer is in, and the open ones of their shops' alliances they could join.
import { useQuery } from 'urql';
import { graphql, type ResultOf } from '../../graphql';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { Loaded } from '../../ui/feedback';
import { JoinLeave } from '../shared/CommunityPage';

const CommunityFields = graphql(`
  fragment CommunityFields on Community @_unmask { id name description status viewerIsMember merchantCount alliance { id name } }
`);

type Community = ResultOf<typeof CommunityFields>;

const MY_COMMUNITIES = graphql(
  `
  query MyCommunities {
    viewer { id customer { id communities { ...CommunityFields } joinableCommunities { ...CommunityFields } } }
  }
`,
  [CommunityFields],
);

// Joining or leaving moves a community between the two lists, even when one of them is empty.
const context = { additionalTypenames: ['Community'] };

export function MyCommunities() {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: MY_COMMUNITIES, context });
  return (
    <>
      <h1>{t('customer.communities.title')}</h1>
      <p className="lead">{t('customer.communities.intro')}</p>
      <Loaded value={data?.viewer?.customer} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {({ communities, joinableCommunities }) => (
          <>
            <section className="card">
              <CommunityList communities={communities} empty={t('customer.communities.none')} />
            </section>
            <section className="card">
              <h2>{t('customer.communities.joinable')}</h2>
              <CommunityList communities={joinableCommunities} empty={t('customer.communities.joinable.none')} joinable />
            </section>
          </>
        )}
      </Loaded>
    </>
  );
}

function CommunityList({ communities, empty, joinable = false }: { communities: Community[]; empty: string; joinable?: boolean }) {
  const { t } = useI18n();
  if (!communities.length) return <p className="empty">{empty}</p>;
  return (
    <ul className="items">
      {communities.map((c) => (
        <li key={c.id} className="item">
          {joinable ? (
            <p className="item-title">{c.name}</p>
          ) : (
            <Link to={`/customer/community?id=${encodeURIComponent(c.id)}`} className="item-title">
              {c.name}
            </Link>
          )}
          <p className="meta">
            {c.alliance.name} · {t('community.merchantCount', { count: c.merchantCount })}
          </p>
          {c.description && <p>{c.description}</p>}
          {joinable && <JoinLeave community={c} />}
        </li>
      ))}
    </ul>
  );
}
