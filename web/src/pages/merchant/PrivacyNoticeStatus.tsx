// Which version of the merchant's privacy notice customers currently see.
import { useI18n } from '../../i18n';
import type { PrivacyNotice } from '../../viewer';

export function PrivacyNoticeStatus({ notice }: { notice: PrivacyNotice | null }) {
  const { t, dateTime } = useI18n();
  return (
    <p className="privacy-status">
      {notice ? t('privacy.current', { version: notice.version, date: dateTime(notice.publishedAt) }) : t('privacy.none')}
    </p>
  );
}
