// A campaign's funnel against its plan, as plain SVG bars: responses expected vs actual, budget vs
// spent, and the funnel from reach to sales. No chart library: a few rectangles say it.
import { useI18n } from '../../i18n';
import type { Stats } from './CampaignPage';

interface Bar {
  label: string;
  value: number;
  shown: string;
  kind: 'plan' | 'actual';
}

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
        <BarGroup key={g.title} {...g} />
      ))}
      <p className="meta">
        {t('chart.rate', { rate: (stats.responseRate * 100).toFixed(1) })} · {t('chart.revenue', { amount: money(stats.revenue) })}
      </p>
    </div>
  );
}

const ROW = 28;
const LABEL = 96;
const WIDTH = 320;

function BarGroup({ title, bars }: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const room = WIDTH - LABEL - 80;
  return (
    <figure className="bars">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${bars.length * ROW}`} width="100%" role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.shown}`).join(', ')}`}>
        {bars.map((b, i) => (
          <g key={b.label} transform={`translate(0 ${i * ROW})`}>
            <text x={0} y={ROW / 2 + 5} className="bar-label">
              {b.label}
            </text>
            <rect x={LABEL} y={5} height={ROW - 10} width={Math.max(2, (b.value / max) * room)} rx={3} className={`bar ${b.kind}`} />
            <text x={LABEL + Math.max(2, (b.value / max) * room) + 6} y={ROW / 2 + 5} className="bar-value">
              {b.shown}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
