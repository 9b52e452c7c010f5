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
 * it, HTML does not), a font family and a white ground (the page's stylesheet is not there to give
 * them), and footer lines under it: a file shared on its own still says where it comes from and
 * that it is demo data.
 */
export function standaloneSvg(inline: string, footer: string[]): string {
  const LINE = 15;
  // At 11 px, about 125 characters fit the chart's 800 px: longer lines are wrapped at spaces.
  const wrapped = footer.flatMap((text) => wrap(text, 125));
  const { height } = /^<svg [^>]*\bheight="(?<height>\d+(?:\.\d+)?)"/.exec(inline)?.groups ?? {};
  if (height === undefined) throw new Error('the chart has no height');
  const h = Number(height), total = h + 8 + wrapped.length * LINE;
  const lines = wrapped.map((text, i) => `<text x="0" y="${h + (i + 1) * LINE}" font-size="11" fill="#1a1a1a">${escapeXml(text)}</text>`).join('');
  const svg = inline
    .replace(/^<svg /, '<svg xmlns="http://www.w3.org/2000/svg" font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, \'Noto Sans\', sans-serif" ')
    .replace(/^(<svg [^>]*\bheight=")[^"]+(")/, `$1${total}$2`)
    .replace(/^(<svg [^>]*\bviewBox="0 0 \S+ )[^"]+(")/, `$1${total}$2`)
    .replace('</desc>', '</desc><rect width="100%" height="100%" fill="#ffffff"/>')
    .replace(/<\/svg>$/, `<g data-footer="">${lines}</g></svg>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) { lines.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

const escapeXml = (text: string) => text.replace(/[<>&"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[ch]!);

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
