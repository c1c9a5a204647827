// Whether a customer record is the person's word or only the shop's: "confirmed" once she proved
// the phone is hers and said she is the shop's customer, "not confirmed" until then.
import { useI18n } from '../../i18n';

export function ConfirmedBadge({ confirmed, title }: { confirmed: boolean; title?: string }) {
  const { t } = useI18n();
  return (
    <span className={`status ${confirmed ? 'CONFIRMED' : 'UNCONFIRMED'}`} title={title}>
      {t(confirmed ? 'record.confirmed' : 'record.unconfirmed')}
    </span>
  );
}
