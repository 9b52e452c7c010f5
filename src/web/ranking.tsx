// The ranking page (year × unit type): the chart, the table sortable and filterable through the
// query string, unranked units apart, regional means, and the publication served.
import type { CycleRow } from '../store/cycles.js';
import type { CycleReport, ReportRow } from '../store/results.js';
import type { Publication } from './data.js';
import { int, LABELS, nameIn, num, type Lang } from './i18n.js';
import { Notices, Page, Revision } from './layout.js';
import { PAGE_LABELS } from './i18n-pages.js';
import { comparePath, mapPath, embedPath, methodologyPath, otherLanguage, profilePath, rankingPath, resultsApi, svgPath, xlsxPath } from './paths.js';
import { CorrectionsLog, type LogEntry } from './corrections.js';
import { ChartTable, chartRows, RankingFigure } from './ranking-chart.js';
import { nextSort, withQuery, type RankingQuery } from './table.js';
import { RankRuleNote } from './rank-rule.js';

export interface RankingProps {
  lang: Lang;
  p: Publication;
  q: RankingQuery;
  rows: ReportRow[];
  /** published cycles of every unit type, for the navigation (none on a pinned page: it never changes) */
  published: CycleRow[];
  /** this site's origin, for the embed code another site pastes (absolute) */
  origin?: string;
  /** the revisions up to the one served, with what each correction changed */
  log?: LogEntry[];
}

type Ctx = RankingProps & { path: string; url: (query: Partial<RankingQuery>) => string };

/** What the results table needs: a publication's report, or a draft's (the workspace's review shows the draft in the same table). */
export interface TableSource { report: CycleReport; rounding: number; regions: Publication['regions']; pinned: string | undefined }
export interface TableCtx { lang: Lang; p: TableSource; q: RankingQuery; url: (query: Partial<RankingQuery>) => string }

export function RankingPage(props: RankingProps) {
  const { lang, p, q } = props;
  const t = LABELS[lang];
  const { year, unitType } = p.report.cycle;
  const path = rankingPath(lang, year, unitType);
  const url = (change: Partial<RankingQuery>) => withQuery(path, { ...q, sort: q.sort === 'rank' ? undefined : q.sort, ...change, revision: p.pinned });
  const ctx: Ctx = { ...props, path, url };
  const title = t.rankingTitle(year, t.unitType[unitType] ?? unitType);
  const ranked = props.rows.filter((r) => r.ranked);
  const unranked = props.rows.filter((r) => !r.ranked);
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(url({}), lang)}>
      <h1>{title}</h1>
      <Notices lang={lang} served={p.served} />
      {!p.pinned && <YearNav {...ctx} />}
      <ul class="inline noprint" id="related">
        <li><a href={methodologyPath(lang, year, unitType)}>{PAGE_LABELS[lang].methodologyLink}</a></li>
        <li><a href={comparePath(lang, year, unitType)}>{PAGE_LABELS[lang].compareLink}</a></li>
        {unitType === 'province' && <li><a href={mapPath(lang, year, unitType)}>{PAGE_LABELS[lang].mapLink}</a></li>}
      </ul>
      <Filters {...ctx} />
      {q.ranked !== 'false' && <ResultTable ctx={ctx} rows={ranked} id="ranking" caption={t.tableCaption(year, ranked.length)} sortable />}
      <RankRuleNote lang={lang} rows={p.report.rows} previousYear={props.published.filter((c) => c.unitType === unitType && c.year < year).reduce<number | null>((y, c) => Math.max(y ?? c.year, c.year), null)} id="rank-rule" />
      <DomainKey {...ctx} />
      {q.ranked !== 'false' && <Chart {...ctx} rows={ranked} />}
      {q.ranked !== 'true' && unranked.length > 0 && (
        <section aria-labelledby="unranked-h">
          <h2 id="unranked-h">{t.unrankedTitle}</h2>
          <ResultTable ctx={ctx} rows={unranked} id="unranked" caption={t.unrankedCaption(unranked.length)} />
        </section>
      )}
      <RegionalMeans {...ctx} />
      <Revision lang={lang} p={p} latestHref={withQuery(path, {})} />
      {props.log && <CorrectionsLog lang={lang} p={p} log={props.log} />}
      <Downloads {...ctx} />
    </Page>
  );
}

/** Links to every published year and the other unit type, the current one marked. */
function YearNav({ lang, p, published }: Ctx) {
  const t = LABELS[lang];
  const { year, unitType } = p.report.cycle;
  const types = [...new Set(published.map((c) => c.unitType))].sort((a, b) => Number(b === 'province') - Number(a === 'province'));
  const link = (y: number, type: string, text: string) => {
    const current = y === year && type === unitType;
    return <li><a href={rankingPath(lang, y, type)} aria-current={current ? 'page' : undefined}>{text}</a></li>;
  };
  return (
    <nav class="years" aria-label={t.yearsTitle}>
      {types.map((type) => (
        <ul>
          <li>{`${t.unitTypes[type] ?? type}:`}</li>
          {published.filter((c) => c.unitType === type).map((c) => link(c.year, type, String(c.year)))}
        </ul>
      ))}
    </nav>
  );
}

/** A GET form: works without script; the current sort rides along as a hidden field. */
function Filters({ lang, p, q, path, url }: Ctx) {
  const t = LABELS[lang];
  const regions = regionsOf(p);
  const groups = Object.keys(p.report.statistics.groups);
  const option = (value: string, text: string, selected: boolean) => <option value={value} selected={selected}>{text}</option>;
  return (
    <form class="filters" method="get" action={path} role="search" aria-label={t.filters}>
      {regions.length > 0 && (
        <label>{t.region}
          <select name="region">
            {option('', t.all, !q.region)}
            {regions.map(([code, name]) => option(code, nameIn(lang, name), q.region === code))}
          </select>
        </label>
      )}
      <label>{t.group}
        <select name="group">{option('', t.all, !q.group)}{groups.map((g) => option(g, g, q.group === g))}</select>
      </label>
      <label>{t.rankedFilter}
        <select name="ranked">
          {option('', t.all, !q.ranked)}{option('true', t.rankedOnly, q.ranked === 'true')}{option('false', t.unrankedOnly, q.ranked === 'false')}
        </select>
      </label>
      {q.sort !== 'rank' && <input type="hidden" name="sort" value={q.sort} />}
      {p.pinned && <input type="hidden" name="revision" value={p.pinned} />}
      <button type="submit">{t.apply}</button>
      {(q.region || q.group || q.ranked) && <a href={url({ region: undefined, group: undefined, ranked: undefined })}>{t.reset}</a>}
    </form>
  );
}

const regionsOf = (p: Publication) => [...p.regions].filter(([code]) => p.report.rows.some((r) => r.region === code));

function Chart({ lang, p, rows }: Ctx) {
  const t = LABELS[lang];
  const bars = chartRows(rows);
  if (bars.length === 0) return null;
  const { year } = p.report.cycle;
  return (
    <figure aria-labelledby="chart-cap">
      <figcaption id="chart-cap">{t.chartTitle(year)}</figcaption>
      <RankingFigure lang={lang} p={p} rows={bars} />
      <ChartTable lang={lang} p={p} bars={bars} />
    </figure>
  );
}

interface Column { key: string; label: string; hidden?: string; numeric?: boolean }

interface Columns { lead: Column[]; domains: Column[]; change: Column[]; region: Column | null }

function columns(ctx: TableCtx): Columns {
  const t = LABELS[ctx.lang];
  return {
    lead: [{ key: 'rank', label: t.rank, numeric: true }, { key: 'name', label: t.unit }, { key: 'index', label: t.index, numeric: true }, { key: 'group', label: t.group }],
    domains: ctx.p.report.domains.map((d) => ({ key: `d.${d.code}`, label: d.code, hidden: nameIn(ctx.lang, d.name), numeric: true })),
    change: [{ key: 'change', label: t.changePoints, hidden: t.changeLong, numeric: true }, { key: 'places', label: t.changePlaces, hidden: t.changeLong, numeric: true }],
    region: ctx.p.report.rows.some((r) => r.region) ? { key: 'region', label: t.region } : null,
  };
}

/** A column heading: a link that sorts by it (aria-sort on the current one), or plain text. */
function Heading({ ctx, col, sortable, rowspan }: { ctx: TableCtx; col: Column; sortable: boolean; rowspan?: number }) {
  const desc = ctx.q.sort === `-${col.key}`;
  const current = ctx.q.sort === col.key || desc;
  const text = <>{col.label}{col.hidden && <span class="vh">{` (${col.hidden})`}</span>}</>;
  return (
    <th scope="col" rowspan={rowspan} class={col.numeric ? 'n' : undefined} aria-sort={sortable && current ? (desc ? 'descending' : 'ascending') : undefined} data-col={col.key}>
      {sortable ? <a href={ctx.url({ sort: nextSort(col.key, ctx.q.sort) })}>{text}{current && <span aria-hidden="true">{desc ? ' ▼' : ' ▲'}</span>}</a> : text}
    </th>
  );
}

export function ResultTable({ ctx, rows, id, caption, sortable = false }: { ctx: TableCtx; rows: ReportRow[]; id: string; caption: string; sortable?: boolean }) {
  const t = LABELS[ctx.lang];
  const cols = columns(ctx);
  if (rows.length === 0) return <p id={id}>{t.noRows}</p>;
  return (
    <div class="scroll" role="region" aria-labelledby={`${id}-cap`} tabindex={0}>
      <table id={id}>
        <caption id={`${id}-cap`}>{caption}{sortable && <span class="vh">{` ${t.sortHint}`}</span>}</caption>
        <thead>
          <tr>
            {cols.lead.map((col) => <Heading ctx={ctx} col={col} sortable={sortable} rowspan={2} />)}
            <th scope="colgroup" colspan={cols.domains.length}>{t.domainPercent}</th>
            <th scope="colgroup" colspan={2}>{t.change}</th>
            {cols.region && <Heading ctx={ctx} col={cols.region} sortable={sortable} rowspan={2} />}
          </tr>
          <tr>{[...cols.domains, ...cols.change].map((col) => <Heading ctx={ctx} col={col} sortable={sortable} />)}</tr>
        </thead>
        <tbody>{rows.map((r) => <ResultRow ctx={ctx} r={r} note={`${id}-lineage`} />)}</tbody>
      </table>
      {rows.some(viaLineage) && <p id={`${id}-lineage`}>{`* ${t.lineageMark}`}</p>}
    </div>
  );
}

function ResultRow({ ctx, r, note }: { ctx: TableCtx; r: ReportRow; note: string }) {
  const { lang, p } = ctx;
  const d = p.rounding;
  const region = r.region ? p.regions.get(r.region) : undefined;
  const signed = (col: string, x: number | null | undefined, text: string, mark = false) => (
    <td class={`n ${x ? (x > 0 ? 'pos' : 'neg') : ''}`.trim()} data-col={col}>{text}{mark && <a href={`#${note}`} aria-describedby={note}> *</a>}</td>
  );
  return (
    <tr data-unit={r.unit}>
      <td class="n" data-col="rank">{int(lang, r.rank)}</td>
      <th scope="row" data-col="name">
        <a href={withQuery(profilePath(lang, r.unit, p.report.cycle.year), { revision: p.pinned })} lang="vi">{r.name.vi.normalize('NFC')}</a>
        {lang === 'en' && r.name.en && r.name.en !== r.name.vi && <span class="en-name">{r.name.en}</span>}
      </th>
      <td class="n" data-col="index">{num(lang, r.index, d)}</td>
      <td data-col="group">{r.group ?? '—'}</td>
      {p.report.domains.map((dm) => <td class="n" data-col={`d.${dm.code}`}>{num(lang, r.nodes[dm.code]?.percent ?? r.nodes[dm.code]?.value, d)}</td>)}
      {signed('change', r.change?.indexChange, num(lang, r.change?.indexChange, d, { signed: true }), viaLineage(r))}
      {signed('places', r.change?.rankChange, int(lang, r.change?.rankChange, true))}
      {p.report.rows.some((x) => x.region) && <td data-col="region">{region ? nameIn(lang, region) : '—'}</td>}
    </tr>
  );
}

/** A change measured against predecessors (a merged unit): the rule is named under the table. */
const viaLineage = (r: ReportRow) => r.change !== null && r.change.rule !== 'same-unit' && r.change.rule !== 'no-lineage';

/** The domains' full names, for the numbered columns (print shows the numbers only). */
function DomainKey({ lang, p }: Ctx) {
  return (
    <ul class="key" aria-label={LABELS[lang].domains}>
      {p.report.domains.map((d) => <li>{`${d.code}. ${nameIn(lang, d.name, d.code)}`}</li>)}
    </ul>
  );
}

function RegionalMeans({ lang, p }: Ctx) {
  const t = LABELS[lang];
  const by = p.report.statistics.by.region ?? {};
  // Highest mean first: the order a reader compares regions in.
  const regions = regionsOf(p).filter(([code]) => by[code]).sort(([a], [b]) => (by[b].index.mean ?? -1) - (by[a].index.mean ?? -1) || a.localeCompare(b));
  if (regions.length === 0) return null;
  const national = p.report.statistics.index;
  return (
    <section aria-labelledby="regions-h">
      <h2 id="regions-h">{t.regionalMeans}</h2>
      <table id="regional-means">
        <caption>{t.regionalCaption}</caption>
        <thead><tr><th scope="col">{t.region}</th><th scope="col" class="n">{t.units}</th><th scope="col" class="n">{t.mean}</th></tr></thead>
        <tbody>
          {regions.map(([code, name]) => (
            <tr data-region={code}><th scope="row">{nameIn(lang, name)}</th><td class="n">{int(lang, by[code].index.n)}</td><td class="n">{num(lang, by[code].index.mean, p.rounding)}</td></tr>
          ))}
        </tbody>
        <tfoot><tr><th scope="row">{t.nationalMean}</th><td class="n">{int(lang, national.n)}</td><td class="n">{num(lang, national.mean, p.rounding)}</td></tr></tfoot>
      </table>
    </section>
  );
}

/** The publication's downloads: JSON, CSV, XLSX, the chart as .svg, and the chart to embed (with its iframe code). */
function Downloads({ lang, p, origin = '' }: Ctx) {
  const t = LABELS[lang], w = PAGE_LABELS[lang];
  const { year, unitType } = p.report.cycle;
  const embed = embedPath(lang, year, unitType, p.pinned);
  return (
    <section aria-labelledby="downloads-h" class="noprint">
      <h2 id="downloads-h">{w.downloads}</h2>
      <ul class="inline" id="downloads">
        <li><a href={resultsApi(year, unitType, p.pinned)} type="application/json">{t.apiLink}</a></li>
        <li><a href={resultsApi(year, unitType, p.pinned, '.csv')} type="text/csv">{t.csvLink}</a></li>
        <li><a href={xlsxPath(lang, year, unitType, p.pinned)} type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-download="xlsx">{w.xlsxLink}</a></li>
        <li><a href={svgPath(lang, year, unitType, p.pinned)} type="image/svg+xml" data-download="svg">{w.svgLink}</a></li>
        <li><a href={embed} data-download="embed">{w.embedLink}</a></li>
      </ul>
      <p id="embed-code-label">{w.embedCode}</p>
      <pre class="embed" aria-labelledby="embed-code-label" tabindex={0}><code>{`<iframe src="${origin}${embed}" title="${t.chartTitle(year)}" width="820" height="700" loading="lazy"></iframe>`}</code></pre>
    </section>
  );
}
