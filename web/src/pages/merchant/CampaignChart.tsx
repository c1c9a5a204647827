// A campaign's funnel against its plan: responses expected vs actual, budget vs spent, and the
// funnel from reach to sales.
import { useI18n } from '../../i18n';
import { BarChart, type Bar } from '../../ui/BarChart';
import type { Stats } from './CampaignPage';

export function CampaignChart({ stats, budget, expected }: { stats: Stats; budget: number; expected: number }) {
  const { t, money } = useI18n();
  const groups: { title: string; bars: Bar[] }[] = [
    {
      title: t('chart.responses'),
      bars: [
        { label: t('chart.expected'), value: expected, shown: String(expected), kind: 'plan' },
        { label: t('chart.actual'), value: stats.interested, shown: String(stats.interested), kind: 'actual' },
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
      bars: (
        [
          ['chart.reached', stats.reached],
          ['chart.interested', stats.interested],
          ['chart.requested', stats.referralsRequested],
          ['chart.accepted', stats.referralsAccepted],
          ['chart.conversions', stats.conversions],
        ] as const
      ).map(([key, value]) => ({ label: t(key), value, shown: String(value), kind: 'actual' as const })),
    },
  ];
  return (
    <div className="chart">
      {groups.map((g) => (
        <BarChart key={g.title} {...g} />
      ))}
      <p className="meta">
        {t('chart.rate', { rate: (stats.responseRate * 100).toFixed(1) })} · {t('chart.revenue', { amount: money(stats.revenue) })}
      </p>
    </div>
  );
}
