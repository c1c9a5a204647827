// The customer's home (phone-first).
import { useI18n } from '../../i18n';
import { useViewer } from '../../viewer';

export function CustomerHome() {
  const { t } = useI18n();
  const viewer = useViewer();
  return (
    <>
      <h1>{t('customer.title')}</h1>
      <p className="lead">{t('hello', { name: viewer.displayName })}</p>
      <section className="card">
        <p>{t('customer.intro')}</p>
      </section>
    </>
  );
}
