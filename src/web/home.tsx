// The home page: the latest publication of each unit type in key figures (mean and its change,
// group counts, top and bottom five, largest gains and falls, regional means), and links to every
// published year. Every number is the publication's own (its report and statistics).
import type { CycleRow } from '../store/cycles.js';
import type { ReportRow } from '../store/results.js';
import type { Publication } from './data.js';
import { meanChange, movers, typeOrder, type Latest } from './home-data.js';
import { int, LABELS, nameIn, num, type Lang } from './i18n.js';
import { PAGE_LABELS } from './i18n-pages.js';
import { Notices, Page } from './layout.js';
import { comparePath, mapPath, methodologyPath, profilePath, rankingPath, xlsxPath } from './paths.js';

const SHOWN = 5;

export function HomePage({ lang, latest, published }: { lang: Lang; latest: Latest[]; published: CycleRow[] }) {
  const w = PAGE_LABELS[lang];
  return (
    <Page lang={lang} title={w.homeTitle} alternate={`/${lang === 'vi' ? 'en' : 'vi'}`}>
      <h1>{w.homeTitle}</h1>
      <p class="sub">{w.homeLead}</p>
      {latest.length === 0 && <p>{w.nothingPublished}</p>}
      {latest.map((x) => <Latest lang={lang} {...x} />)}
      <AllYears lang={lang} published={published} />
    </Page>
  );
}

function Latest({ lang, p, previous }: Latest & { lang: Lang }) {
  const t = LABELS[lang], w = PAGE_LABELS[lang];
  const { year, unitType } = p.report.cycle;
  const id = `latest-${unitType}`;
  const ranked = p.report.rows.filter((r) => r.rank !== null).sort((a, b) => a.rank! - b.rank! || a.unit.localeCompare(b.unit));
  const { risers, fallers } = movers(p.report.rows, SHOWN);
  const stats = p.report.statistics;
  const mean = stats.index.mean;
  const change = previous && meanChange(p, previous);
  const figure = (key: string, label: string, value: string) => <li data-figure={key}><span class="v">{value}</span><span class="k">{label}</span></li>;
  return (
    <section aria-labelledby={`${id}-h`} data-type={unitType} data-year={String(year)}>
      <h2 id={`${id}-h`}><a href={rankingPath(lang, year, unitType)}>{w.latestOf(t.unitTypes[unitType] ?? unitType, year)}</a></h2>
      <Notices lang={lang} served={p.served} />
      <ul class="figures">
        {figure('mean', w.meanIndex, num(lang, mean, p.rounding))}
        {change !== null && figure('meanChange', previous!.sameUnits ? w.meanChange(previous!.year) : w.meanChangeRestated(previous!.year), num(lang, change, p.rounding, { signed: true }))}
        {figure('ranked', w.rankedUnits, int(lang, ranked.length))}
        {Object.entries(stats.groups).map(([g, n]) => figure(`group-${g}`, w.groupCount(g), int(lang, n)))}
      </ul>
      <div class="cols">
        <UnitTable lang={lang} p={p} id={`${id}-top`} caption={w.topFive} rows={ranked.slice(0, SHOWN)} />
        <UnitTable lang={lang} p={p} id={`${id}-bottom`} caption={w.bottomFive} rows={ranked.slice(-SHOWN).reverse()} />
        {previous && risers.length > 0 && <UnitTable lang={lang} p={p} id={`${id}-risers`} caption={`${w.risers}: ${w.risersCaption(previous.year)}`} rows={risers} change />}
        {previous && fallers.length > 0 && <UnitTable lang={lang} p={p} id={`${id}-fallers`} caption={`${w.fallers}: ${w.fallersCaption(previous.year)}`} rows={fallers} change />}
        <RegionMeans lang={lang} p={p} id={`${id}-regions`} />
      </div>
      <ul class="inline">
        <li><a href={rankingPath(lang, year, unitType)}>{w.fullRanking(year)}</a></li>
        <li><a href={methodologyPath(lang, year, unitType)}>{w.methodologyLink}</a></li>
        <li><a href={comparePath(lang, year, unitType)}>{w.compareLink}</a></li>
        {unitType === 'province' && <li><a href={mapPath(lang, year, unitType)}>{w.mapLink}</a></li>}
        <li><a href={xlsxPath(lang, year, unitType)} type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">{w.xlsxLink}</a></li>
      </ul>
    </section>
  );
}

/** Five units with rank, index and group (or the change of their index). */
function UnitTable({ lang, p, id, caption, rows, change = false }: { lang: Lang; p: Publication; id: string; caption: string; rows: ReportRow[]; change?: boolean }) {
  const t = LABELS[lang];
  const { year } = p.report.cycle;
  return (
    <table id={id}>
      <caption>{caption}</caption>
      <thead><tr>
        <th scope="col" class="n">{t.rank}</th><th scope="col">{t.unit}</th><th scope="col" class="n">{t.index}</th>
        {change ? <th scope="col" class="n">{`${t.change} (${t.changePoints})`}</th> : <th scope="col">{t.group}</th>}
      </tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr data-unit={r.unit}>
            <td class="n" data-col="rank">{int(lang, r.rank)}</td>
            <th scope="row"><a href={profilePath(lang, r.unit, year)} lang="vi">{r.name.vi.normalize('NFC')}</a></th>
            <td class="n" data-col="index">{num(lang, r.index, p.rounding)}</td>
            {change
              ? <td class={`n ${r.change!.indexChange! > 0 ? 'pos' : 'neg'}`} data-col="change">{num(lang, r.change?.indexChange, p.rounding, { signed: true })}{merged(r) && <a href={`#${id}-lineage`} aria-describedby={`${id}-lineage`}> *</a>}</td>
              : <td data-col="group">{r.group ?? '—'}</td>}
          </tr>
        ))}
      </tbody>
      {change && rows.some(merged) && <tfoot><tr><td colspan={4} id={`${id}-lineage`}>{`* ${t.lineageMark}`}</td></tr></tfoot>}
    </table>
  );
}

/** A change measured against predecessors (a merged unit), marked and explained as on the ranking page. */
const merged = (r: ReportRow) => r.change !== null && r.change.rule !== 'same-unit' && r.change.rule !== 'no-lineage';

function RegionMeans({ lang, p, id }: { lang: Lang; p: Publication; id: string }) {
  const t = LABELS[lang];
  const by = p.report.statistics.by.region ?? {};
  const regions = Object.keys(by).filter((code) => p.regions.has(code))
    .sort((a, b) => (by[b].index.mean ?? -1) - (by[a].index.mean ?? -1) || a.localeCompare(b));
  if (regions.length === 0) return null;
  return (
    <table id={id}>
      <caption>{t.regionalMeans}</caption>
      <thead><tr><th scope="col">{t.region}</th><th scope="col" class="n">{t.units}</th><th scope="col" class="n">{t.mean}</th></tr></thead>
      <tbody>
        {regions.map((code) => (
          <tr data-region={code}><th scope="row">{nameIn(lang, p.regions.get(code))}</th><td class="n">{int(lang, by[code].index.n)}</td><td class="n" data-col="mean">{num(lang, by[code].index.mean, p.rounding)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every published year of every unit type: its ranking and its methodology. */
function AllYears({ lang, published }: { lang: Lang; published: CycleRow[] }) {
  const t = LABELS[lang], w = PAGE_LABELS[lang];
  const types = [...new Set(published.map((x) => x.unitType))].sort(typeOrder);
  if (types.length === 0) return null;
  return (
    <section aria-labelledby="all-h">
      <h2 id="all-h">{w.allPublications}</h2>
      {types.map((type) => (
        <nav class="years" aria-label={t.unitTypes[type] ?? type}>
          <ul>
            <li>{`${t.unitTypes[type] ?? type}:`}</li>
            {published.filter((x) => x.unitType === type).sort((a, b) => b.year - a.year)
              .map((x) => <li><a href={rankingPath(lang, x.year, type)} data-year={String(x.year)}>{String(x.year)}</a></li>)}
          </ul>
        </nav>
      ))}
    </section>
  );
}
