// One offer as every face shows it: what, by whom, when, its poster; anyone who sees it may report it.
// A customer also sees the A/B variant of the offer's campaign it is shown.
import type { ReactNode } from 'react';
import { graphql, type ResultOf } from '../../graphql';
import { useI18n } from '../../i18n';
import { ConfirmAction, useAction } from '../../ui/forms';
import { MediaFields, PosterImage } from '../../ui/Poster';

/** The offer fields OfferCard shows, for documents to select. */
export const OfferFields = graphql(
  `
  fragment OfferFields on Offer @_unmask {
    id title body category startsAt endsAt status merchant { id name category publicContact } poster { ...MediaFields }
  }
`,
  [MediaFields],
);

/**
 * The campaign variant fields, for customers' documents: reading them is what shows the customer a
 * variant. The community feed, a list too deep to spread fragments in, selects these and OfferFields inline.
 */
export const PresentationFields = graphql(
  `
  fragment PresentationFields on Offer @_unmask {
    campaignPresentation { id label title description poster { ...MediaFields } }
  }
`,
  [MediaFields],
);

/** An offer as OfferCard shows it; the variant only where a customer's document asked for it. */
export type OfferSummary = ResultOf<typeof OfferFields> & Partial<ResultOf<typeof PresentationFields>>;

/** The variant of the offer's campaign a customer is shown: its title, text and poster. */
type CampaignPresentation = NonNullable<OfferSummary['campaignPresentation']>;

const REPORT_OFFER = graphql(`
  mutation ReportOffer($offerId: ID!, $reason: String!) {
    reportOffer(offerId: $offerId, reason: $reason) { id status }
  }
`);

/** `thumbnail` false where the page shows the poster at full size itself. */
export function OfferCard({ offer, reportable = true, thumbnail = true, children }: { offer: OfferSummary; reportable?: boolean; thumbnail?: boolean; children?: ReactNode }) {
  const { t, date } = useI18n();
  return (
    <article className="offer" aria-label={offer.title}>
      <h3>{offer.title}</h3>
      {thumbnail && offer.poster && <PosterImage media={offer.poster} size="thumb" alt={t('poster.alt', { title: offer.title })} />}
      <p className="meta">
        {offer.merchant.name} · {offer.category} · {t('offer.runs', { from: date(offer.startsAt), to: date(offer.endsAt) })}
        {offer.status !== 'PUBLISHED' && <> · <span className={`status ${offer.status}`}>{t(`offerStatus.${offer.status}`)}</span></>}
      </p>
      {offer.body && <p className="body">{offer.body}</p>}
      {offer.campaignPresentation && <Presentation variant={offer.campaignPresentation} />}
      {children}
      {reportable && <ReportOffer offerId={offer.id} />}
    </article>
  );
}

function Presentation({ variant }: { variant: CampaignPresentation }) {
  const { t } = useI18n();
  return (
    <aside className="campaign-presentation disclosure" aria-label={variant.title}>
      <h4>{variant.title}</h4>
      {variant.poster && <PosterImage media={variant.poster} size="thumb" alt={t('poster.alt', { title: variant.title })} />}
      {variant.description && <p className="body">{variant.description}</p>}
    </aside>
  );
}

function ReportOffer({ offerId }: { offerId: string }) {
  const { t } = useI18n();
  const action = useAction(REPORT_OFFER);
  return (
    <ConfirmAction
      action={action}
      label={t('report.open')}
      question={t('report.question')}
      reasonLabel={t('report.reason')}
      confirmLabel={t('report.submit')}
      pendingLabel={t('report.pending')}
      onConfirm={(reason) => action.run({ offerId, reason })}
      success={() => t('report.done')}
      wording={{ CONFLICT: 'report.already' }}
    />
  );
}
