// The communities the customer is in. The API lists only joined ones: a customer finds another
// community of their shops' alliances through the link a shop shares (see CommunityPage).
import { gql, useQuery } from 'urql';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { Loaded } from '../../ui/feedback';

interface Community {
  id: string;
  name: string;
  description: string;
  merchantCount: number;
  alliance: { id: string; name: string };
}

const MY_COMMUNITIES = gql<{ viewer: { id: string; customer: { id: string; communities: Community[] } | null } | null }>`
  query MyCommunities {
    viewer { id customer { id communities { id name description merchantCount alliance { id name } } } }
  }
`;

const context = { additionalTypenames: ['Community'] };

export function MyCommunities() {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: MY_COMMUNITIES, context });
  return (
    <>
      <h1>{t('customer.communities.title')}</h1>
      <p className="lead">{t('customer.communities.intro')}</p>
      <section className="card">
        <Loaded value={data?.viewer?.customer?.communities} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
          {(communities) =>
            communities.length ? (
              <ul className="items">
                {communities.map((c) => (
                  <li key={c.id} className="item">
                    <Link to={`/customer/community?id=${encodeURIComponent(c.id)}`} className="item-title">
                      {c.name}
                    </Link>
                    <p className="meta">
                      {c.alliance.name} · {t('community.merchantCount', { count: c.merchantCount })}
                    </p>
                    {c.description && <p>{c.description}</p>}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">{t('customer.communities.none')}</p>
            )
          }
        </Loaded>
      </section>
    </>
  );
}
