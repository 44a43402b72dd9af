import { useId } from 'react';
import type { BpReading } from '../bpReadings.ts';
import { useLang } from '../i18n/lang.tsx';
import { formatDateTime, formatMonthDay } from '../format.ts';

const width = 640;
const height = 240;
const pad = { left: 40, right: 14, top: 12, bottom: 26 };
const dayMs = 86_400_000;

// The office thresholds of the Chinese hypertension guideline (2018): a reference, not a verdict.
const referenceSbp = 140;
const referenceDbp = 90;

/** Systolic and diastolic over time as two lines, hand-drawn in SVG (no chart library needed). */
export function BpChart({ readings }: { readings: BpReading[] }) {
  const { lang, t } = useLang();
  const titleId = useId();
  const first = readings[0];
  const last = readings[readings.length - 1];
  if (!first || !last) return null;

  const x0 = first.atMs === last.atMs ? first.atMs - dayMs : first.atMs;
  const x1 = first.atMs === last.atMs ? last.atMs + dayMs : last.atMs;
  const lowest = Math.min(...readings.map((r) => r.dbp));
  const highest = Math.max(...readings.map((r) => r.sbp));
  const y0 = Math.floor(Math.min(60, lowest - 5) / 20) * 20;
  const y1 = Math.ceil(Math.max(160, highest + 5) / 20) * 20;

  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (ms: number) => pad.left + ((ms - x0) / (x1 - x0)) * plotW;
  const y = (v: number) => pad.top + (1 - (v - y0) / (y1 - y0)) * plotH;
  const line = (pick: (r: BpReading) => number) =>
    readings.map((r) => `${x(r.atMs).toFixed(1)},${y(pick(r)).toFixed(1)}`).join(' ');

  const yTicks: number[] = [];
  for (let v = y0; v <= y1; v += 20) yTicks.push(v);
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => x0 + f * (x1 - x0));
  // Past a few months of daily readings, dots only add noise to the lines.
  const dots = readings.length <= 90;

  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={titleId}
        data-testid="bp-chart"
      >
        <title id={titleId}>{t.bpChartTitle}</title>
        {yTicks.map((v) => (
          <g key={v}>
            <line className="grid" x1={pad.left} x2={width - pad.right} y1={y(v)} y2={y(v)} />
            <text className="axis" x={pad.left - 6} y={y(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {xTicks.map((ms, i) => (
          <text
            key={ms}
            className="axis"
            x={x(ms)}
            y={height - 8}
            textAnchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'}
          >
            {formatMonthDay(ms, lang)}
          </text>
        ))}
        {[referenceSbp, referenceDbp].map((v) => (
          <line
            key={v}
            className="reference"
            x1={pad.left}
            x2={width - pad.right}
            y1={y(v)}
            y2={y(v)}
          />
        ))}
        <polyline className="series sbp" data-series="sbp" points={line((r) => r.sbp)} />
        <polyline className="series dbp" data-series="dbp" points={line((r) => r.dbp)} />
        {dots &&
          readings.map((r) => (
            <g key={r.id}>
              <circle className="dot sbp" cx={x(r.atMs)} cy={y(r.sbp)} r={2.2}>
                <title>{`${formatDateTime(r.at, lang)} ${r.sbp}/${r.dbp} mmHg`}</title>
              </circle>
              <circle className="dot dbp" cx={x(r.atMs)} cy={y(r.dbp)} r={2.2} />
            </g>
          ))}
      </svg>
      <figcaption className="legend">
        <span className="key sbp">{t.systolic}</span>
        <span className="key dbp">{t.diastolic}</span>
        <span className="key reference">{t.referenceLine}</span>
        <span className="muted">mmHg</span>
      </figcaption>
    </figure>
  );
}
