// Small horizontal bar charts as plain SVG: campaign funnels, RFM segments, alliance insights.
// No chart library: a few rectangles say it, and the figures stay in the accessible name.

export interface Bar {
  label: string;
  /** What the bar's length stands for; null draws no bar (a figure withheld, not zero). */
  value: number | null;
  /** The figure as people read it (an amount, "fewer than 5"…). */
  shown: string;
  kind?: 'plan' | 'actual';
}

const ROW = 28;
const LABEL = 96;
const WIDTH = 320;

export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const room = WIDTH - LABEL - 80;
  return (
    <figure className="bars">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${Math.max(1, bars.length) * ROW}`} width="100%" role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.shown}`).join(', ')}`}>
        {bars.map((b, i) => {
          const length = b.value === null ? 0 : Math.max(2, (b.value / max) * room);
          return (
            <g key={b.label} transform={`translate(0 ${i * ROW})`}>
              <text x={0} y={ROW / 2 + 5} className="bar-label">
                {b.label}
              </text>
              {b.value !== null && <rect x={LABEL} y={5} height={ROW - 10} width={length} rx={3} className={`bar ${b.kind ?? 'actual'}`} />}
              <text x={LABEL + length + 6} y={ROW / 2 + 5} className={b.value === null ? 'bar-value withheld' : 'bar-value'}>
                {b.shown}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
