// Every read of customers' personal information by this merchant's accounts: who, whose
// (pseudonym unless it is the merchant's own customer), which fields, on which grounds.
import { gql } from 'urql';
import type { AccessKind, ContactField } from '../../domain';
import { useI18n } from '../../i18n';
import { PAGE_INFO, Paged, type Connection } from '../../ui/paged';

interface Access {
  id: string;
  at: string;
  actor: string;
  kind: AccessKind;
  fields: ContactField[];
  customer: { pseudonym: string };
}

const ACCESS_LOG = gql<{ viewer: { id: string; merchant: { id: string; accessLog: Connection<Access> } | null } | null }>`
  query MerchantAccessLog($first: Int, $after: String) {
    viewer { id merchant { id accessLog(first: $first, after: $after) { edges { node { id at actor kind fields customer { pseudonym } } } ${PAGE_INFO} } } }
  }
`;

const context = { additionalTypenames: ['AccessLogEntry'] };

export function AccessLogPage() {
  const { t, dateTime, list } = useI18n();
  return (
    <>
      <h1>{t('accessLog.merchant.title')}</h1>
      <p className="lead">{t('accessLog.merchant.intro')}</p>
      <section className="card">
        <Paged query={ACCESS_LOG} context={context} connection={(d) => d.viewer?.merchant?.accessLog} keyOf={(e) => e.id} empty={t('accessLog.none')}>
          {(e) => (
            <>
              <p className="item-title">
                {e.actor} · {e.customer.pseudonym}
              </p>
              <p className="meta">
                {dateTime(e.at)} · {t(`accessKind.${e.kind}`)} · {list(e.fields.map((f) => t(`contactField.${f}`)))}
              </p>
            </>
          )}
        </Paged>
      </section>
    </>
  );
}
