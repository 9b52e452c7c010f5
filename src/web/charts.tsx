// Charts as inline SVG, written by hand (a linear scale is one line; no chart library in the
// Worker bundle). Each is an image with a title and a description (role="img"), drawn from a
// table that the page prints beside it; nothing needs script, and they print.
import { num, type Lang } from './i18n.js';
import { GROUP_COLOURS } from './style.js';

const WIDTH = 800;
const FONT = 12;

/** Where a value lands on a bar of `width` pixels that starts at x0, for 0 … max. */
const scale = (x0: number, width: number, max: number) => (v: number) => x0 + (Math.max(0, Math.min(v, max)) / max) * width;

/** An estimate of a label's width at FONT px (no text metrics on the server): wide enough for diacritics. */
const textWidth = (text: string) => text.length * FONT * 0.56;

export interface Bar { unit: string; label: string; value: number; display: string; group: string | null }

export function groupColour(groups: string[], group: string | null): string {
  const i = group === null ? -1 : groups.indexOf(group);
  return GROUP_COLOURS[i < 0 ? GROUP_COLOURS.length - 1 : Math.min(i, GROUP_COLOURS.length - 2)];
}

/** A ranked horizontal bar chart: one bar per unit, best first, coloured by group, on a 0 … max axis. */
export function RankingChart(props: { id: string; title: string; desc: string; bars: Bar[]; groups: string[]; groupLabel: string; max: number; lang: Lang }) {
  const { id, bars, groups, max } = props;
  const labelWidth = Math.min(340, Math.max(140, ...bars.map((b) => textWidth(b.label))));
  const x0 = labelWidth + 8, valueWidth = 58, top = 46, row = 18;
  const barWidth = WIDTH - x0 - valueWidth;
  const x = scale(x0, barWidth, max);
  const height = top + bars.length * row + 8;
  const ticks = Array.from({ length: 6 }, (_, i) => (max / 5) * i);
  return (
    <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} font-size={FONT} data-chart="ranking">
      <title id={`${id}-t`}>{props.title}</title>
      <desc id={`${id}-d`}>{props.desc}</desc>
      <g data-legend>
        <text x={0} y={14} font-weight="700">{props.groupLabel}</text>
        {groups.map((g, i) => (
          <g transform={`translate(${60 + i * 56} 4)`}>
            <rect width={12} height={12} fill={groupColour(groups, g)} />
            <text x={17} y={11}>{g}</text>
          </g>
        ))}
      </g>
      {ticks.map((v) => (
        <g>
          <line x1={x(v)} x2={x(v)} y1={top - 6} y2={height - 8} stroke="#d0d0d0" stroke-width={1} />
          <text x={x(v)} y={top - 10} text-anchor="middle" fill="#4d4d4d">{num(props.lang, v, 0)}</text>
        </g>
      ))}
      {bars.map((b, i) => {
        const y = top + i * row;
        return (
          <g data-unit={b.unit}>
            <text x={labelWidth} y={y + 12} text-anchor="end">{b.label}</text>
            <rect x={x0} y={y + 2} width={Math.max(0, x(b.value) - x0)} height={row - 5} fill={groupColour(groups, b.group)} />
            <text x={x(b.value) + 4} y={y + 12}>{b.display}</text>
          </g>
        );
      })}
    </svg>
  );
}

export interface DomainBar { code: string; label: string; percent: number | null; national: number | null; regional: number | null }

/** A unit's domains as % of their maximum, with the national mean (a line) and the regional mean (a diamond). */
export function DomainChart(props: { id: string; title: string; desc: string; bars: DomainBar[]; legend: { unit: string; national: string; regional: string | null }; lang: Lang; rounding: number }) {
  const { id, bars, legend } = props;
  const x0 = 4, valueWidth = 64, top = 52, row = 44;
  const barWidth = WIDTH - x0 - valueWidth;
  const x = scale(x0, barWidth, 100);
  const height = top + bars.length * row + 4;
  return (
    <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} font-size={FONT} data-chart="domains">
      <title id={`${id}-t`}>{props.title}</title>
      <desc id={`${id}-d`}>{props.desc}</desc>
      <g data-legend>
        <rect x={0} y={4} width={14} height={12} fill="#0b57d0" />
        <text x={20} y={14}>{legend.unit}</text>
        <line x1={textWidth(legend.unit) + 44} x2={textWidth(legend.unit) + 44} y1={2} y2={18} stroke="#1a1a1a" stroke-width={2} />
        <text x={textWidth(legend.unit) + 52} y={14}>{legend.national}</text>
        {legend.regional && <Diamond cx={textWidth(legend.unit) + textWidth(legend.national) + 84} cy={10} />}
        {legend.regional && <text x={textWidth(legend.unit) + textWidth(legend.national) + 94} y={14}>{legend.regional}</text>}
      </g>
      {[0, 25, 50, 75, 100].map((v) => (
        <g>
          <line x1={x(v)} x2={x(v)} y1={top - 8} y2={height - 4} stroke="#d0d0d0" stroke-width={1} />
          <text x={x(v)} y={top - 12} text-anchor={v === 0 ? 'start' : v === 100 ? 'end' : 'middle'} fill="#4d4d4d">{`${num(props.lang, v, 0)}%`}</text>
        </g>
      ))}
      {bars.map((b, i) => {
        const y = top + i * row;
        return (
          <g data-domain={b.code}>
            <text x={x0} y={y + 12} font-weight="600">{b.label}</text>
            {b.percent !== null && <rect x={x0} y={y + 18} width={x(b.percent) - x0} height={16} fill="#0b57d0" />}
            {b.percent !== null && <text x={x(b.percent) + 4} y={y + 31}>{num(props.lang, b.percent, props.rounding)}</text>}
            {b.national !== null && <line x1={x(b.national)} x2={x(b.national)} y1={y + 14} y2={y + 38} stroke="#1a1a1a" stroke-width={2} />}
            {b.regional !== null && <Diamond cx={x(b.regional)} cy={y + 26} />}
          </g>
        );
      })}
    </svg>
  );
}

function Diamond({ cx, cy }: { cx: number; cy: number }) {
  return <path d={`M${cx} ${cy - 6}L${cx + 6} ${cy}L${cx} ${cy + 6}L${cx - 6} ${cy}Z`} fill="#ffffff" stroke="#5c3c92" stroke-width={2} />;
}
