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

/** Words cut into lines of at most `chars` characters (estimated widths: no text metrics on the server). */
export function wrapWords(text: string, chars: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= chars) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/**
 * A unit's domains as % of their maximum, with the national mean (a line) and the regional mean (a
 * diamond). `width` is the drawing's own width: the profile draws a wide one for screens and a
 * narrow one (labels wrapped) for phones, so that its 12 px text stays 12 px on either.
 */
export function DomainChart(props: { id: string; title: string; desc: string; bars: DomainBar[]; legend: { unit: string; national: string; regional: string | null }; lang: Lang; rounding: number; width?: number }) {
  const { id, bars, legend } = props;
  const width = props.width ?? WIDTH;
  const narrow = width < 600;
  const x0 = 4, valueWidth = 52, line = 15;
  const barWidth = width - x0 - valueWidth;
  const x = scale(x0, barWidth, 100);
  const labels = bars.map((b) => wrapWords(b.label, Math.floor((width - x0) / (FONT * 0.6)))); // bold: wider than textWidth
  // The legend on one line when wide, one entry per line when narrow.
  const legendRows = narrow ? (legend.regional ? 3 : 2) : 1;
  const top = 20 * legendRows + 32;
  const tops = labels.reduce<number[]>((acc, _label, i) => [...acc, i === 0 ? top : acc[i - 1] + labels[i - 1].length * line + 30], []);
  const height = (tops.at(-1) ?? top) + (labels.at(-1)?.length ?? 0) * line + 30;
  const entries = [
    { mark: <rect x={0} y={-10} width={14} height={12} fill="#0b57d0" />, text: legend.unit },
    { mark: <line x1={7} x2={7} y1={-12} y2={4} stroke="#1a1a1a" stroke-width={2} />, text: legend.national },
    ...(legend.regional ? [{ mark: <Diamond cx={7} cy={-4} />, text: legend.regional }] : []),
  ];
  let offset = 0;
  return (
    <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${width} ${height}`} width={width} height={height} font-size={FONT} data-chart={narrow ? 'domains-phone' : 'domains'}>
      <title id={`${id}-t`}>{props.title}</title>
      <desc id={`${id}-d`}>{props.desc}</desc>
      <g data-legend>
        {entries.map((e, i) => {
          const at = narrow ? [0, 14 + i * 20] : [offset, 14];
          offset += textWidth(e.text) + 40;
          return <g transform={`translate(${at[0]} ${at[1]})`}>{e.mark}<text x={20} y={0}>{e.text}</text></g>;
        })}
      </g>
      {[0, 25, 50, 75, 100].map((v) => (
        <g>
          <line x1={x(v)} x2={x(v)} y1={top - 8} y2={height - 4} stroke="#d0d0d0" stroke-width={1} />
          <text x={x(v)} y={top - 12} text-anchor={v === 0 ? 'start' : v === 100 ? 'end' : 'middle'} fill="#4d4d4d">{`${num(props.lang, v, 0)}%`}</text>
        </g>
      ))}
      {bars.map((b, i) => {
        const y = tops[i] + (labels[i].length - 1) * line;
        return (
          <g data-domain={b.code}>
            <text x={x0} y={tops[i] + 12} font-weight="600">{labels[i].map((l, k) => <tspan x={x0} dy={k === 0 ? 0 : line}>{l}</tspan>)}</text>
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
