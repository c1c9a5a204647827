// One of the merchant's offers (/merchant/offer?id=…): its poster and share posters, edit or
// withdraw it, and the customers interested in it, by pseudonym and originating shop, each a
// referral request away.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type ResultOf } from '../../graphql';
import { CONTACT_FIELDS } from '../../domain';
import { useI18n } from '../../i18n';
import { useLocation } from '../../router';
import { Found } from '../../ui/feedback';
import { ConfirmAction, useAction } from '../../ui/forms';
import { Paged } from '../../ui/paged';
import { MediaFields, PosterImage } from '../../ui/Poster';
import { PosterUpload } from '../../ui/PosterUpload';
import { useViewer } from '../../viewer';
import { OfferFields, OfferCard } from '../shared/OfferCard';
import { OfferForm } from './OfferForm';
import { ReferralForm } from './ReferralForm';
import { ShareChannels } from './ShareChannels';

const OFFER = graphql(
  `
  query MyOffer($id: ID!) {
    offer(id: $id) { ...OfferFields communities { id name } }
  }
`,
  [OfferFields],
);

const InterestFields = graphql(`
  fragment InterestFields on Interest @_unmask { id createdAt note customer { pseudonym } originMerchant { id name } referral { id status } }
`);

type Interest = ResultOf<typeof InterestFields>;

const INTERESTS = graphql(
  `
  query OfferInterests($id: ID!, $first: Int, $after: String) {
    offer(id: $id) { id interests(first: $first, after: $after) { edges { node { ...InterestFields } } pageInfo { hasNextPage endCursor } } }
  }
`,
  [InterestFields],
);

const WITHDRAW = graphql(`
  mutation WithdrawOffer($offerId: ID!) {
    withdrawOffer(offerId: $offerId) { id status }
  }
`);

const REQUEST_REFERRAL = graphql(`
  mutation RequestReferral($input: RequestReferralInput!) {
    requestReferral(input: $input) { id status }
  }
`);

const SET_POSTER = graphql(
  `
  mutation SetOfferPoster($input: SetOfferPosterInput!) {
    setOfferPoster(input: $input) { id poster { ...MediaFields } }
  }
`,
  [MediaFields],
);

const interestsContext = { additionalTypenames: ['Interest', 'ReferralRequest'] };

export function OfferPage() {
  const { t } = useI18n();
  const id = useLocation().query.get('id') ?? '';
  const [{ data, error }, reexecute] = useQuery({ query: OFFER, variables: { id } });
  const withdraw = useAction(WITHDRAW);
  const setPoster = useAction(SET_POSTER);
  const me = useViewer().merchant?.id;
  return (
    <Found data={data} pick={(d) => d.offer} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(offer) => (
          <>
            <h1>{offer.title}</h1>
            <section className="card">
              <OfferCard offer={offer} reportable={false} thumbnail={false} />
              {offer.status !== 'WITHDRAWN' && (
                <ConfirmAction
                  action={withdraw}
                  label={t('offer.withdraw')}
                  question={t('offer.withdraw.question')}
                  confirmLabel={t('offer.withdraw.confirm')}
                  pendingLabel={t('saving')}
                  onConfirm={() => withdraw.run({ offerId: offer.id })}
                  success={() => t('offer.withdrawn')}
                />
              )}
            </section>
            {offer.merchant.id === me ? (
              <section className="card">
                <h2>{t('poster.title')}</h2>
                <PosterUpload
                  poster={offer.poster}
                  alt={t('poster.alt', { title: offer.title })}
                  action={setPoster}
                  attach={(mediaId) => setPoster.run({ input: { offerId: offer.id, mediaId } })}
                />
              </section>
            ) : (
              offer.poster && (
                <section className="card">
                  <PosterImage media={offer.poster} size="display" alt={t('poster.alt', { title: offer.title })} />
                </section>
              )
            )}
            {offer.merchant.id === me && offer.status === 'PUBLISHED' && <ShareChannels target={{ offerId: offer.id }} communities={offer.communities} />}
            <section className="card">
              <h2>{t('interests.title')}</h2>
              <p className="hint">{t('interests.intro')}</p>
              <Paged query={INTERESTS} variables={{ id }} context={interestsContext} connection={(d) => d.offer?.interests} keyOf={(i) => i.id} empty={t('interests.none')}>
                {(interest) => <InterestEntry interest={interest} />}
              </Paged>
            </section>
            {offer.status !== 'WITHDRAWN' && (
              <section className="card">
                <h2>{t('offer.edit.title')}</h2>
                <OfferForm offer={offer} />
              </section>
            )}
          </>
      )}
    </Found>
  );
}

function InterestEntry({ interest }: { interest: Interest }) {
  const { t, dateTime } = useI18n();
  const [open, setOpen] = useState(false);
  const action = useAction(REQUEST_REFERRAL);
  return (
    <>
      <p className="item-title">{interest.customer.pseudonym}</p>
      <p className="meta">
        {t('interests.via', { name: interest.originMerchant.name })} · {dateTime(interest.createdAt)}
      </p>
      {interest.note && <p>{interest.note}</p>}
      {interest.referral ? (
        <p className="meta">
          {t('interests.requested')} · <span className={`status ${interest.referral.status}`}>{t(`referralStatus.${interest.referral.status}`)}</span>
        </p>
      ) : open ? (
        <ReferralForm
          action={action}
          fields={CONTACT_FIELDS.filter((f) => f !== 'WECHAT')}
          onSubmit={(input) => action.run({ input: { interestId: interest.id, ...input } })}
        />
      ) : (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          {t('referral.request.open')}
        </button>
      )}
      {interest.referral && action.outcome && 'data' in action.outcome && (
        <p className="notice success" role="status">
          {t('referral.request.sent')}
        </p>
      )}
    </>
  );
}
