// One offer as every face shows it: what, by whom, when, its poster; anyone who sees it may report it.
import type { ReactNode } from 'react';
import { gql } from 'urql';
import type { MerchantCard, OfferStatus } from '../../domain';
import { useI18n } from '../../i18n';
import { ConfirmAction, useAction } from '../../ui/forms';
import { MEDIA_FIELDS, PosterImage, type Media } from '../../ui/Poster';

export interface OfferSummary {
  id: string;
  title: string;
  body: string;
  category: string;
  startsAt: string;
  endsAt: string;
  status: OfferStatus;
  merchant: MerchantCard;
  poster: Media | null;
}

/** The offer fields OfferCard shows, for documents to select. */
export const OFFER_FIELDS = `id title body category startsAt endsAt status merchant { id name category publicContact } poster { ${MEDIA_FIELDS} }`;

const REPORT_OFFER = gql<{ reportOffer: { id: string; status: string } }, { offerId: string; reason: string }>`
  mutation ReportOffer($offerId: ID!, $reason: String!) {
    reportOffer(offerId: $offerId, reason: $reason) { id status }
  }
`;

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
      {children}
      {reportable && <ReportOffer offerId={offer.id} />}
    </article>
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
