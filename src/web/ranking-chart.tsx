// The ranking's bar chart as the ranking page, the standalone .svg and the embed all draw it:
// one place decides its bars, labels, title and description.
import type { ReportRow } from '../store/results.js';
import { RankingChart } from './charts.js';
import type { Publication } from './data.js';
import { int, LABELS, num, type Lang } from './i18n.js';

/** The ranked units with an index, best first (ties by code), as the chart draws them. */
export const chartRows = (rows: ReportRow[]) =>
  rows.filter((r) => r.rank !== null && r.index !== null).sort((a, b) => a.rank! - b.rank! || a.unit.localeCompare(b.unit));

export const chartLabel = (r: ReportRow) => `${r.rank}. ${r.name.vi.normalize('NFC')}`;

/** The chart of the given rows (already filtered as the page shows them); null when none is ranked. */
export function RankingFigure({ lang, p, rows, id = 'chart' }: { lang: Lang; p: Publication; rows: ReportRow[]; id?: string }) {
  const t = LABELS[lang];
  const bars = chartRows(rows);
  if (bars.length === 0) return null;
  const display = (r: ReportRow) => num(lang, r.index, p.rounding);
  const { year } = p.report.cycle;
  return (
    <RankingChart
      id={id} lang={lang} max={100} groups={Object.keys(p.report.statistics.groups)} groupLabel={t.groupLegend}
      title={t.chartTitle(year)}
      desc={t.chartDesc(bars.length, `${chartLabel(bars[0])} (${display(bars[0])})`, `${chartLabel(bars.at(-1)!)} (${display(bars.at(-1)!)})`)}
      bars={bars.map((r) => ({ unit: r.unit, label: chartLabel(r), value: r.index!, display: display(r), group: r.group }))}
    />
  );
}

/**
 * The chart as a standalone SVG document: the inline chart with the SVG namespace (a file needs
 * it, HTML does not) and a font family (the page's stylesheet is not there to give one).
 */
export function standaloneSvg(inline: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${inline.replace(/^<svg /, '<svg xmlns="http://www.w3.org/2000/svg" font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, \'Noto Sans\', sans-serif" ')}\n`;
}

/** The table the chart draws, folded under it (it prints and reads without the picture). */
export function ChartTable({ lang, p, bars }: { lang: Lang; p: Publication; bars: ReportRow[] }) {
  const t = LABELS[lang];
  const { year } = p.report.cycle;
  return (
    <details>
      <summary>{t.chartData}</summary>
      <table>
        <caption>{t.chartTitle(year)}</caption>
        <thead><tr><th scope="col">{t.rank}</th><th scope="col">{t.unit}</th><th scope="col" class="n">{t.index}</th><th scope="col">{t.group}</th></tr></thead>
        <tbody>
          {bars.map((r) => <tr data-unit={r.unit}><td class="n">{int(lang, r.rank)}</td><th scope="row" lang="vi">{r.name.vi.normalize('NFC')}</th><td class="n" data-col="index">{num(lang, r.index, p.rounding)}</td><td>{r.group ?? '—'}</td></tr>)}
        </tbody>
      </table>
    </details>
  );
}
