/**
 * The dashboard's two drawings, plain SVG (no chart library: 82 communities draw at once): the monthly trend as
 * paired bars, and the ranking's two rates per community against their threshold lines. Each sits beside the table of
 * its numbers, which is what a screen reader and the print read.
 */
import type { RankingRow } from '@shared/domain/dashboard/street';

const BLUE = '#228be6';
const TEAL = '#12b886';
const RED = '#fa5252';

export function TrendChart({
  trend,
  label,
  legend,
}: {
  trend: readonly { month: string; reported: number; closed: number }[];
  label: string;
  legend: { reported: string; closed: string };
}) {
  const height = 160;
  const slot = 36;
  const width = Math.max(200, trend.length * slot + 40);
  const top = Math.max(1, ...trend.flatMap((m) => [m.reported, m.closed]));
  const h = (v: number) => Math.round((v / top) * (height - 40));
  return (
    <svg role="img" aria-label={label} width={width} height={height} data-testid="overview-trend-chart">
      <g fontSize={10}>
        <rect x={4} y={4} width={10} height={10} fill={BLUE} />
        <text x={18} y={13}>
          {legend.reported}
        </text>
        <rect x={90} y={4} width={10} height={10} fill={TEAL} />
        <text x={104} y={13}>
          {legend.closed}
        </text>
      </g>
      {trend.map((m, i) => {
        const x = 20 + i * slot;
        return (
          <g key={m.month}>
            <rect x={x} y={height - 20 - h(m.reported)} width={12} height={h(m.reported)} fill={BLUE} />
            <rect x={x + 13} y={height - 20 - h(m.closed)} width={12} height={h(m.closed)} fill={TEAL} />
            <text x={x} y={height - 6} fontSize={10}>
              {m.month.slice(5)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * Each community's 按期办结率 and 满意率 as two bars from 0 to 100 %, with a dashed line at each threshold: a bar that
 * stops short of its line is under it (red).
 */
export function RankingChart({
  rows,
  thresholds,
  label,
  legend,
}: {
  rows: readonly RankingRow[];
  thresholds: { onTime: number; satisfaction: number };
  label: string;
  legend: { onTime: string; satisfaction: string };
}) {
  const rowH = 18;
  const left = 110;
  const span = 300;
  const height = rows.length * rowH + 30;
  const x = (rate: number) => left + rate * span;
  return (
    <svg role="img" aria-label={label} width={left + span + 20} height={height} data-testid="overview-ranking-chart">
      <g fontSize={10}>
        <rect x={left} y={4} width={10} height={6} fill={BLUE} />
        <text x={left + 14} y={11}>
          {legend.onTime}
        </text>
        <rect x={left + 150} y={4} width={10} height={6} fill={TEAL} />
        <text x={left + 164} y={11}>
          {legend.satisfaction}
        </text>
      </g>
      {rows.map((row, i) => {
        const y = 20 + i * rowH;
        const onTime = row.kpis.onTimeRate;
        const satisfied = row.kpis.satisfaction;
        return (
          <g key={row.community}>
            <text x={0} y={y + 11} fontSize={11}>
              {row.name.length > 9 ? `${row.name.slice(0, 8)}…` : row.name}
            </text>
            {onTime !== null && (
              <rect
                x={left}
                y={y + 1}
                width={onTime * span}
                height={6}
                fill={onTime < thresholds.onTime ? RED : BLUE}
              />
            )}
            {satisfied !== null && (
              <rect
                x={left}
                y={y + 8}
                width={satisfied * span}
                height={6}
                fill={satisfied < thresholds.satisfaction ? RED : TEAL}
              />
            )}
          </g>
        );
      })}
      <line
        x1={x(thresholds.onTime)}
        x2={x(thresholds.onTime)}
        y1={16}
        y2={height}
        stroke={BLUE}
        strokeDasharray="4 3"
      />
      <line
        x1={x(thresholds.satisfaction)}
        x2={x(thresholds.satisfaction)}
        y1={16}
        y2={height}
        stroke={TEAL}
        strokeDasharray="4 3"
      />
    </svg>
  );
}
