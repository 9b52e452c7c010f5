// The ranking chart to embed in another site (an iframe): the chart, its table, the notices and
// a link to its source, in the language of ?lang (Vietnamese by default). No site frame around it.
import { raw } from 'hono/html';
import type { Publication } from './data.js';
import { LABELS, type Lang } from './i18n.js';
import { PAGE_LABELS } from './i18n-pages.js';
import { Notices } from './layout.js';
import { rankingPath } from './paths.js';
import { ChartTable, chartRows, RankingFigure } from './ranking-chart.js';
import { CSS } from './style.js';
import { withQuery } from './table.js';

export function EmbedPage({ lang, p }: { lang: Lang; p: Publication }) {
  const t = LABELS[lang], w = PAGE_LABELS[lang];
  const { year, unitType } = p.report.cycle;
  const bars = chartRows(p.report.rows);
  const source = withQuery(rankingPath(lang, year, unitType), { revision: p.pinned });
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${t.chartTitle(year)} · ${t.unitTypes[unitType] ?? unitType}`}</title>
        <style>{raw(CSS)}</style>
      </head>
      <body class="embed">
        <main>
          <figure aria-labelledby="chart-cap">
            <figcaption id="chart-cap">{`${t.chartTitle(year)}: ${t.unitType[unitType] ?? unitType}`}</figcaption>
            <Notices lang={lang} served={p.served} />
            <RankingFigure lang={lang} p={p} rows={bars} />
            <ChartTable lang={lang} p={p} bars={bars} />
          </figure>
          <p class="source"><a href={source} target="_blank" rel="noopener">{`${w.embedSource(year)} ${p.view.frozen.revision.revision} · ${t.site}`}</a></p>
        </main>
      </body>
    </html>
  );
}
