// A campaign's funnel against its plan: responses expected vs actual, budget vs spent, and the
// funnel from reach to sales.
import { graphql, type ResultOf, type SchemaType } from '../../graphql';
import { useI18n } from '../../i18n';
import { BarChart, type Bar } from '../../ui/BarChart';

/**
 * The figures the chart draws. Scans and visits (share posters and pages) count no one and are
 * never withheld; `withheld` lists figures about too few verified people to show (they read 0);
 * spent is the reader's own.
 */
export const StatsFields = graphql(`
  fragment StatsFields on CampaignStats @_unmask {
    scans visits reached interested referralsRequested referralsAccepted conversions revenue spent responseRate withheld minGroupSize
  }
`);

type Stats = ResultOf<typeof StatsFields>;
type StatsFigure = SchemaType<'CampaignStatsFigure'>;

export function CampaignChart({ stats, budget, expected }: { stats: Stats; budget: number; expected: number }) {
  const { t, money } = useI18n();
  // A withheld figure reads 0 from the server: draw no bar and say why, as the insights do.
  const fewer = t('insights.fewerThan', { min: stats.minGroupSize });
  const figure = (name: StatsFigure, value: number) => (stats.withheld.includes(name) ? { value: null, shown: fewer } : { value, shown: String(value) });
  const groups: { title: string; bars: Bar[] }[] = [
    {
      title: t('chart.responses'),
      bars: [
        { label: t('chart.expected'), value: expected, shown: String(expected), kind: 'plan' },
        { label: t('chart.actual'), ...figure('INTERESTED', stats.interested), kind: 'actual' },
      ],
    },
    {
      title: t('chart.budget'),
      bars: [
        { label: t('chart.budgeted'), value: budget, shown: money(budget), kind: 'plan' },
        { label: t('chart.spent'), value: stats.spent, shown: money(stats.spent), kind: 'actual' },
      ],
    },
    {
      title: t('chart.funnel'),
      bars: [
        { label: t('chart.scans'), value: stats.scans, shown: String(stats.scans), kind: 'actual' as const },
        { label: t('chart.visits'), value: stats.visits, shown: String(stats.visits), kind: 'actual' as const },
        ...(
          [
            ['chart.reached', 'REACHED', stats.reached],
            ['chart.interested', 'INTERESTED', stats.interested],
            ['chart.requested', 'REFERRALS_REQUESTED', stats.referralsRequested],
            ['chart.accepted', 'REFERRALS_ACCEPTED', stats.referralsAccepted],
            ['chart.conversions', 'CONVERSIONS', stats.conversions],
          ] as const
        ).map(([key, name, value]) => ({ label: t(key), ...figure(name, value), kind: 'actual' as const })),
      ],
    },
  ];
  return (
    <div className="chart">
      {groups.map((g) => (
        <BarChart key={g.title} {...g} />
      ))}
      <p className="meta">
        {stats.withheld.includes('RESPONSE_RATE') ? t('chart.rateWithheld', { fewer }) : t('chart.rate', { rate: (stats.responseRate * 100).toFixed(1) })} ·{' '}
        {stats.withheld.includes('REVENUE') ? t('chart.revenueWithheld', { fewer }) : t('chart.revenue', { amount: money(stats.revenue) })}
      </p>
    </div>
  );
}
