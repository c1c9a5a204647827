// The merchant's own offers, each opening its page (edit, withdraw, interests). New offers are
// posted from a community's page, where the merchant sees the feed they join.
import { gql } from 'urql';
import type { OfferStatus } from '../../domain';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { PAGE_INFO, Paged, type Connection } from '../../ui/paged';

interface MyOffer {
  id: string;
  title: string;
  category: string;
  status: OfferStatus;
  startsAt: string;
  endsAt: string;
  communities: { id: string; name: string }[];
}

export const MY_OFFERS = gql<{ viewer: { id: string; merchant: { id: string; offers: Connection<MyOffer> } | null } | null }>`
  query MyOffers($first: Int, $after: String) {
    viewer { id merchant { id offers(first: $first, after: $after) { edges { node { id title category status startsAt endsAt communities { id name } } } ${PAGE_INFO} } } }
  }
`;

export const offersContext = { additionalTypenames: ['Offer'] };

export const offerLink = (id: string) => `/merchant/offer?id=${encodeURIComponent(id)}`;

export function OffersPage() {
  const { t, date, list } = useI18n();
  return (
    <>
      <h1>{t('offers.title')}</h1>
      <p className="lead">{t('offers.intro')}</p>
      <section className="card">
        <Paged query={MY_OFFERS} context={offersContext} connection={(d) => d.viewer?.merchant?.offers} keyOf={(o) => o.id} empty={t('offers.none')}>
          {(o) => (
            <>
              <Link to={offerLink(o.id)} className="item-title">
                {o.title}
              </Link>
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
