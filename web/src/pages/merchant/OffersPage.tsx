// The communities this merchant is in, each opening its feed where new offers are posted (the
// merchant sees what they join), and the merchant's own offers, each opening its page (edit,
// withdraw, interests).
import { useQuery } from 'urql';
import { graphql } from '../../graphql';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { Loaded } from '../../ui/feedback';
import { PosterImage } from '../../ui/Poster';
import { Paged } from '../../ui/paged';

export const MY_OFFERS = graphql(`
  query MyOffers($first: Int, $after: String) {
    viewer { id merchant { id offers(first: $first, after: $after) { edges { node { id title category status startsAt endsAt communities { id name } poster { url thumbnailUrl width height } } } pageInfo { hasNextPage endCursor } } } }
  }
`);

const MY_COMMUNITIES = graphql(`
  query MyJoinedCommunities {
    viewer { id merchant { id joinedCommunities { id name merchantCount customerCount alliance { id name } } } }
  }
`);

const communitiesContext = { additionalTypenames: ['Community'] };

export const offersContext = { additionalTypenames: ['Offer'] };

export const offerLink = (id: string) => `/merchant/offer?id=${encodeURIComponent(id)}`;

export function OffersPage() {
  const { t, date, list } = useI18n();
  return (
    <>
      <h1>{t('offers.title')}</h1>
      <p className="lead">{t('offers.intro')}</p>
      <MyCommunities />
      <section className="card">
        <h2>{t('offers.mine')}</h2>
        <Paged query={MY_OFFERS} context={offersContext} connection={(d) => d.viewer?.merchant?.offers} keyOf={(o) => o.id} empty={t('offers.none')}>
          {(o) => (
            <>
              <Link to={offerLink(o.id)} className="item-title">
                {o.title}
              </Link>
              {o.poster && <PosterImage media={o.poster} size="thumb" alt={t('poster.alt', { title: o.title })} />}
              <p className="meta">
                <span className={`status ${o.status}`}>{t(`offerStatus.${o.status}`)}</span> · {o.category} ·{' '}
                {t('offer.runs', { from: date(o.startsAt), to: date(o.endsAt) })}
              </p>
              {o.communities.length > 0 && <p className="meta">{list(o.communities.map((c) => c.name))}</p>}
            </>
          )}
        </Paged>
      </section>
    </>
  );
}

function MyCommunities() {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: MY_COMMUNITIES, context: communitiesContext });
  return (
    <section className="card">
      <h2>{t('offers.communities')}</h2>
      <Loaded value={data?.viewer?.merchant?.joinedCommunities} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(communities) =>
          communities.length ? (
            <ul className="items">
              {communities.map((c) => (
                <li key={c.id} className="item">
                  <Link to={`/merchant/community?id=${encodeURIComponent(c.id)}`} className="item-title">
                    {c.name}
                  </Link>
                  <p className="meta">
                    {c.alliance.name} · {t('community.counts', { merchants: c.merchantCount, customers: c.customerCount })}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">{t('offers.communities.none')}</p>
          )
        }
      </Loaded>
    </section>
  );
}
