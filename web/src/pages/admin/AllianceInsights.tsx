// An alliance's aggregate insights for its admins: customers interested per offer category,
// referral requests per status, offers per category. A group smaller than the threshold comes
// with a null count and reads "fewer than N", never 0.
import { useQuery } from 'urql';
import { graphql, type Item, type ResultOf } from '../../graphql';
import { isMessageKey, useI18n } from '../../i18n';
import { BarChart } from '../../ui/BarChart';
import { Loaded } from '../../ui/feedback';
import { Figures, Withheld } from '../../ui/Figures';

const INSIGHTS = graphql(`
  query AllianceInsights($id: ID!) {
    alliance(id: $id) {
      id
      insights {
        minGroupSize
        customersByCategoryInterest { key count }
        referralsByStatus { key count }
        offersByCategory { key count }
      }
    }
  }
`);

type Bucket = Item<NonNullable<ResultOf<typeof INSIGHTS>['alliance']>['insights']['offersByCategory']>;

// Moderation (hiding an offer) and membership decisions on the same page change these figures.
const context = { additionalTypenames: ['Offer', 'AllianceMember'] };

export function AllianceInsights({ allianceId }: { allianceId: string }) {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: INSIGHTS, variables: { id: allianceId }, context });
  const status = (key: string) => {
    const label = `referralStatus.${key}`;
    return isMessageKey(label) ? t(label) : key;
  };
  return (
    <Loaded value={data?.alliance?.insights} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(insights) => (
        <>
          <p className="hint">{t('insights.admin.intro', { min: insights.minGroupSize })}</p>
          <BucketFigures title={t('insights.interestByCategory')} keyLabel={t('insights.category')} buckets={insights.customersByCategoryInterest} min={insights.minGroupSize} />
          <BucketFigures title={t('insights.referralsByStatus')} keyLabel={t('insights.status')} buckets={insights.referralsByStatus} min={insights.minGroupSize} label={status} />
          <BucketFigures title={t('insights.offersByCategory')} keyLabel={t('insights.category')} buckets={insights.offersByCategory} min={insights.minGroupSize} />
        </>
      )}
    </Loaded>
  );
}

function BucketFigures({ title, keyLabel, buckets, min, label = (key) => key }: { title: string; keyLabel: string; buckets: Bucket[]; min: number; label?: (key: string) => string }) {
  const { t } = useI18n();
  const fewer = t('insights.fewerThan', { min });
  return (
    <>
      <h3>{title}</h3>
      {buckets.length ? (
        <>
          <Figures
            label={title}
            columns={[{ label: keyLabel }, { label: t('insights.count'), numeric: true }]}
            rows={buckets.map((b) => ({ key: b.key, cells: [label(b.key), b.count ?? <Withheld>{fewer}</Withheld>] }))}
          />
          <BarChart title={title} bars={buckets.map((b) => ({ label: label(b.key), value: b.count, shown: b.count === null ? fewer : String(b.count) }))} />
        </>
      ) : (
        <p className="empty">{t('insights.empty')}</p>
      )}
    </>
  );
}
