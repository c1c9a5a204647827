// Every read of customers' personal information by this merchant's accounts: who, whose
// (pseudonym unless it is the merchant's own customer), which fields, on which grounds.
import { graphql } from '../../graphql';
import { useI18n } from '../../i18n';
import { Paged } from '../../ui/paged';

const ACCESS_LOG = graphql(`
  query MerchantAccessLog($first: Int, $after: String) {
    viewer { id merchant { id accessLog(first: $first, after: $after) { edges { node { id at actor kind fields customer { pseudonym } } } pageInfo { hasNextPage endCursor } } } }
  }
`);

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
