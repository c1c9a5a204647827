// The customer's invite link as a QR code to scan in the shop, and as text to send.
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { Loading } from '../../ui/feedback';

export function InviteQr({ url, code, name }: { url: string; code: string | null; name: string }) {
  const { t } = useI18n();
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void QRCode.toDataURL(url, { width: 240, margin: 1, errorCorrectionLevel: 'M' }).then((data) => current && setImage(data));
    return () => {
      current = false;
    };
  }, [url]);
  return (
    <figure className="invite-qr">
      {image ? <img src={image} width={240} height={240} alt={t('customers.qr.alt', { name })} /> : <Loading />}
      <figcaption>
        {t('customers.qr.caption')}
        {code && <span className="code">{t('customers.qr.code', { code })}</span>}
        <code className="share-link">{url}</code>
      </figcaption>
    </figure>
  );
}
