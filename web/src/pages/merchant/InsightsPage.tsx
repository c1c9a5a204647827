// Insights (/merchant/insights): the RFM segments of this merchant's own customers (recency,
// frequency, spend over the last year), and what referring its customers brought each partner.
// Counts and amounts only, never a customer.
import { useQuery } from 'urql';
import { graphql, type Item, type ResultOf } from '../../graphql';
import { isMessageKey, useI18n } from '../../i18n';
import { BarChart } from '../../ui/BarChart';
import { Loaded } from '../../ui/feedback';
import { Figures, Withheld } from '../../ui/Figures';

const INSIGHTS = graphql(`
  query MerchantInsights {
    viewer {
      id
      merchant {
        id
        rfmSegments { segment customerCount avgRecencyDays avgFrequency avgMonetary }
        referralAttribution { partner { id name } referralsBrought referralsAccepted conversions revenue }
      }
    }
  }
`);

type Insights = NonNullable<NonNullable<ResultOf<typeof INSIGHTS>['viewer']>['merchant']>;
type Segment = Item<Insights['rfmSegments']>;
type Attribution = Item<Insights['referralAttribution']>;

// A purchase recorded on the customers page changes the segments.
const context = { additionalTypenames: ['Customer', 'ReferralRequest'] };

export function InsightsPage() {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: INSIGHTS, context });
  return (
    <>
      <h1>{t('insights.title')}</h1>
      <p className="lead">{t('insights.intro')}</p>
      <Loaded value={data?.viewer?.merchant} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(merchant) => (
          <>
            <section className="card">
              <h2>{t('rfm.title')}</h2>
              <p className="hint">{t('rfm.intro')}</p>
              <Segments segments={merchant.rfmSegments} />
            </section>
            <section className="card">
              <h2>{t('attribution.title')}</h2>
              <p className="hint">{t('attribution.intro')}</p>
              <Attributions rows={merchant.referralAttribution} />
            </section>
          </>
        )}
      </Loaded>
    </>
  );
}

function Segments({ segments }: { segments: Segment[] }) {
  const { t, money } = useI18n();
  if (!segments.length) return <p className="empty">{t('rfm.none')}</p>;
  const name = (segment: string) => {
    const key = `rfm.segment.${segment}`;
    return isMessageKey(key) ? t(key) : segment;
  };
  return (
    <>
      <Figures
        label={t('rfm.title')}
        columns={[{ label: t('rfm.segment') }, { label: t('rfm.customers'), numeric: true }, { label: t('rfm.recency'), numeric: true }, { label: t('rfm.frequency'), numeric: true }, { label: t('rfm.monetary'), numeric: true }]}
        rows={segments.map((s) => ({
          key: s.segment,
          cells: [name(s.segment), s.customerCount, s.avgRecencyDays.toFixed(0), s.avgFrequency.toFixed(1), money(s.avgMonetary)],
        }))}
      />
      <BarChart title={t('rfm.chart')} bars={segments.map((s) => ({ label: name(s.segment), value: s.customerCount, shown: String(s.customerCount) }))} />
    </>
  );
}

function Attributions({ rows }: { rows: Attribution[] }) {
  const { t, money } = useI18n();
  if (!rows.length) return <p className="empty">{t('attribution.none')}</p>;
  const hidden = <Withheld>{t('attribution.hidden')}</Withheld>;
  return (
    <Figures
      label={t('attribution.title')}
      columns={[{ label: t('attribution.partner') }, { label: t('attribution.brought'), numeric: true }, { label: t('attribution.accepted'), numeric: true }, { label: t('attribution.conversions'), numeric: true }, { label: t('attribution.revenue'), numeric: true }]}
      rows={rows.map((a) => ({
        key: a.partner.id,
        cells: [a.partner.name, a.referralsBrought, a.referralsAccepted, a.conversions ?? hidden, a.revenue === null ? hidden : money(a.revenue)],
      }))}
    />
  );
}
