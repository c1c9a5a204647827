// Referrals: the requests this merchant sent (status, and once granted the contact card, read on
// demand because every read is logged and shown to the customer) and the referrals of its own
// customers to partners.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type NodeOf, type ResultOf } from '../../graphql';
import { CONTACT_FIELDS, type ContactField } from '../../domain';
import { useI18n } from '../../i18n';
import { Found } from '../../ui/feedback';
import { ConfirmAction, useAction } from '../../ui/forms';
import { Paged } from '../../ui/paged';

const SENT = graphql(`
  query ReferralsSent($first: Int, $after: String) {
    viewer { id merchant { id referralsSent(first: $first, after: $after) { edges { node { id status purpose requestedFields grantedFields retentionDays createdAt decidedAt customer { pseudonym } requester { id name } origin { id name } offer { id title } } } pageInfo { hasNextPage endCursor } } } }
  }
`);

type Referral = NodeOf<NonNullable<NonNullable<ResultOf<typeof SENT>['viewer']>['merchant']>['referralsSent']>;

const OF_MY_CUSTOMERS = graphql(`
  query ReferralsOfMyCustomers($first: Int, $after: String) {
    viewer { id merchant { id referralsOfMyCustomers(first: $first, after: $after) { edges { node { id status purpose requestedFields grantedFields retentionDays createdAt decidedAt customer { pseudonym } requester { id name } origin { id name } offer { id title } } } pageInfo { hasNextPage endCursor } } } }
  }
`);

const CONTACT = graphql(`
  query ReferralContact($id: ID!) {
    referralRequest(id: $id) { id status contact { name phone address wechat validUntil } }
  }
`);

const WITHDRAW = graphql(`
  mutation WithdrawReferral($referralId: ID!) {
    withdrawReferral(referralId: $referralId) { id status }
  }
`);

const context = { additionalTypenames: ['ReferralRequest'] };

export function ReferralsPage() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('referrals.title')}</h1>
      <p className="lead">{t('referrals.intro')}</p>
      <section className="card">
        <h2>{t('referrals.sent')}</h2>
        <Paged query={SENT} context={context} connection={(d) => d.viewer?.merchant?.referralsSent} keyOf={(r) => r.id} empty={t('referrals.sent.none')}>
          {(r) => <ReferralEntry referral={r} sent />}
        </Paged>
      </section>
      <section className="card">
        <h2>{t('referrals.ofMyCustomers')}</h2>
        <Paged query={OF_MY_CUSTOMERS} context={context} connection={(d) => d.viewer?.merchant?.referralsOfMyCustomers} keyOf={(r) => r.id} empty={t('referrals.ofMyCustomers.none')}>
          {(r) => <ReferralEntry referral={r} sent={false} />}
        </Paged>
      </section>
    </>
  );
}

function ReferralEntry({ referral: r, sent }: { referral: Referral; sent: boolean }) {
  const { t, dateTime, list } = useI18n();
  const withdraw = useAction(WITHDRAW);
  const fieldNames = (fields: ContactField[]) => list(fields.map((f) => t(`contactField.${f}`)));
  return (
    <article aria-label={r.customer.pseudonym}>
      <p className="item-title">
        {r.customer.pseudonym} · <span className={`status ${r.status}`}>{t(`referralStatus.${r.status}`)}</span>
      </p>
      <p className="meta">
        {sent ? t('referrals.via', { name: r.origin.name }) : t('referrals.to', { name: r.requester.name })} · {dateTime(r.createdAt)}
        {r.offer && <> · {r.offer.title}</>}
      </p>
      <p className="meta">
        {r.purpose} · {t('referrals.asked', { fields: fieldNames(r.requestedFields), days: r.retentionDays })}
      </p>
      {r.status === 'ACCEPTED' && <p className="meta">{t('referrals.granted', { fields: fieldNames(r.grantedFields) })}</p>}
      {sent && r.status === 'ACCEPTED' && <ContactCard referralId={r.id} />}
      {r.status === 'PENDING' && (
        <ConfirmAction
          action={withdraw}
          label={t('referrals.withdraw')}
          question={t('referrals.withdraw.question')}
          confirmLabel={t('referrals.withdraw.confirm')}
          pendingLabel={t('saving')}
          onConfirm={() => withdraw.run({ referralId: r.id })}
          wording={{ FORBIDDEN: 'referrals.withdraw.notYours' }}
        />
      )}
    </article>
  );
}

/** The granted contact, fetched only when asked for: each read lands in the customer's log. */
function ContactCard({ referralId }: { referralId: string }) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  if (!shown) {
    return (
      <div className="action">
        <button type="button" className="button" onClick={() => setShown(true)}>
          {t('contact.show')}
        </button>
        <p className="hint">{t('contact.logged')}</p>
      </div>
    );
  }
  return <ShownContact referralId={referralId} />;
}

function ShownContact({ referralId }: { referralId: string }) {
  const { t, dateTime } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: CONTACT, variables: { id: referralId }, requestPolicy: 'network-only' });
  return (
    <Found data={data} pick={(d) => d.referralRequest?.contact} missing="contact.gone" error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(contact) => (
          <dl className="facts contact-card" aria-label={t('contact.title')}>
            {CONTACT_FIELDS.map((f) => {
              const value = contact[f.toLowerCase() as Lowercase<ContactField>];
              return (
                <div key={f} className="fact">
                  <dt>{t(`contactField.${f}`)}</dt>
                  <dd>{value ?? <span className="muted">{t('contact.notShared')}</span>}</dd>
                </div>
              );
            })}
            <div className="fact">
              <dt>{t('contact.validUntil')}</dt>
              <dd>{dateTime(contact.validUntil)}</dd>
            </div>
          </dl>
      )}
    </Found>
  );
}
