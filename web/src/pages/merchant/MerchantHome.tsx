// The merchant console's home: the business card and what this account may do.
import { useI18n } from '../../i18n';
import { useViewer } from '../../viewer';
import { PrivacyNoticeStatus } from './PrivacyNoticeStatus';

export function MerchantHome() {
  const { t } = useI18n();
  const viewer = useViewer();
  const merchant = viewer.merchant!;
  const role = viewer.roles.includes('MERCHANT_OWNER') ? 'MERCHANT_OWNER' : 'MERCHANT_STAFF';
  return (
    <>
      <h1>{t('merchant.title')}</h1>
      <p className="lead">{t('hello', { name: viewer.displayName })}</p>
      <section className="card merchant-card" aria-labelledby="merchant-name">
        <p className="eyebrow">{t('merchant.card.title')}</p>
        <h2 id="merchant-name">{merchant.name}</h2>
        <dl className="facts">
          <dt>{t('merchant.card.category')}</dt>
          <dd>{merchant.category}</dd>
          <dt>{t('merchant.card.city')}</dt>
          <dd>{merchant.city}</dd>
          <dt>{t('merchant.card.publicContact')}</dt>
          <dd>{merchant.publicContact ?? t('merchant.card.notSet')}</dd>
          <dt>{t('merchant.card.yourRole')}</dt>
          <dd>{t(`role.${role}`)}</dd>
        </dl>
        <p>{t(viewer.canViewContacts ? 'merchant.contacts.yes' : 'merchant.contacts.no')}</p>
      </section>
      <section className="card">
        <h2>{t('privacy.title')}</h2>
        <PrivacyNoticeStatus notice={merchant.privacyNotice} />
      </section>
    </>
  );
}
