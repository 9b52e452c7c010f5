// The map (year × provinces): a choropleth coloured by group, index or any domain (?by=), the table
// of its numbers beside it, a standalone .svg of the same picture, and an embeddable view:
//   /{lang}/map/{year}/province          page (?by, ?revision; ?embed=1: the embeddable view)
//   /{lang}/map/{year}/province.svg      the map alone, as an SVG file
//   /embed/map/{year}/province?lang=en   the embeddable view (iframe-friendly)
import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import { conditional, fnv1a, weakEtag } from '../http/conditional.js';
import type { AppEnv } from '../http/env.js';
import { ApiProblem } from '../http/problem.js';
import { cachePolicy } from '../http/visibility.js';
import { driverCache } from '../store/driver.js';
import type { ReportRow } from '../store/results.js';
import { unitRecords } from '../store/units.js';
import { publication, publishedCycles, type Publication } from './data.js';
import { int, isLang, LABELS, LANGS, nameIn, num, type Lang } from './i18n.js';
import { html, Notices, Page, Revision } from './layout.js';
import { byParam, classify, parseBy, valueOf, type Classified, type MapBy } from './map-data.js';
import { ARCHIPELAGOS, shapeCodes, unitShapes, type Lineage } from './map-geometry.js';
import { MAP_LABELS } from './map-labels.js';
import { MapSvg, type MapSvgProps } from './map-svg.js';
import { EMBED_PREFIX, mapPath, otherLanguage, profilePath, rankingPath } from './paths.js';
export { mapPath };
import { servePage } from './serve.js';
import { CSS } from './style.js';
import { withQuery } from './table.js';


/** A map URL with its query in a fixed order (lang, by, revision), empty values dropped: one URL per view. */
export function mapUrl(path: string, query: { lang?: string; by?: string; revision?: string }): string {
  const params = (['lang', 'by', 'revision'] as const).flatMap((k) => (query[k] ? [`${k}=${encodeURIComponent(query[k]!)}`] : []));
  return params.length ? `${path}?${params.join('&')}` : path;
}

export function mapRoutes() {
  const app = new Hono<AppEnv>();
  for (const l of LANGS) {
    app.get(`/${l}/map/:year/:file`, (c) => {
      const file = c.req.param('file')!;
      if (file.endsWith('.svg')) return serveSvg(c, l, file.slice(0, -4));
      // ?embed=1 is the embeddable view's other address: one place (/embed/) may be framed by any site.
      if (c.req.query('embed') === '1') return c.redirect(mapUrl(`${EMBED_PREFIX}map/${c.req.param('year')}/${file}`, { lang: l, by: c.req.query('by'), revision: c.req.query('revision') }));
      return servePage(c, l, () => pagePlan(c, l, file));
    });
  }
  app.get(`${EMBED_PREFIX}map/:year/:unitType`, (c) => {
    const lang = c.req.query('lang') ?? 'vi';
    return serveEmbed(c, isLang(lang) ? lang : 'vi', c.req.param('unitType')!);
  });
  return app;
}

interface MapView { p: Publication; by: MapBy; svg: (standalone: boolean) => MapSvgProps; classified: Classified; title: string; byLabel: string }

/** Everything a map shows, for any of its three forms. */
async function mapView(c: Context<AppEnv>, lang: Lang, unitType: string): Promise<MapView> {
  const t = MAP_LABELS[lang];
  if (unitType !== 'province') throw new ApiProblem('not-found', t.provincesOnly);
  const p = await publication(c, c.req.param('year')!, unitType, c.req.query('revision') || undefined);
  const by = parseBy(c.req.query('by'), p.report);
  const records = await unitRecords(c.get('driver'), unitType);
  const lineage = new Map<string, Lineage>(records.map((u) => [u.code, u]));
  const rows = p.report.rows;
  const shapes = unitShapes(rows.map((r) => r.unit), lineage);
  const classified = classify(rows, by, p.report, lang, p.rounding, t.noData);
  const byLabel = byName(lang, p, by);
  const title = t.title(p.report.cycle.year, byLabel);
  const byUnit = new Map(rows.map((r) => [r.unit, r]));
  const holder = (province: string) => rows.find((r) => shapeCodes(r.unit, lineage).includes(province));
  const archipelagos = Object.fromEntries(ARCHIPELAGOS.map((a) => {
    const unit = holder(a.province);
    return [a.id, unit ? `${t.archipelago[a.id]} (${unit.name.vi.normalize('NFC')})` : t.archipelago[a.id]];
  }));
  const svg = (standalone: boolean): MapSvgProps => ({
    id: standalone ? 'map' : 'map-svg', title, desc: t.desc(shapes.length, p.report.cycle.year, byLabel), standalone,
    regions: shapes.map((shape) => {
      const row = byUnit.get(shape.code)!;
      return { shape, fill: classified.classOf.get(shape.code)!.colour, label: `${row.name.vi.normalize('NFC')}: ${display(lang, p, row, by)}`, province: shapeCodes(shape.code, lineage) };
    }),
    legend: { title: `${t.legend}: ${byLabel}`, classes: classified.classes, count: (n) => int(lang, n) },
    archipelagos, attribution: t.attribution, notice: standalone && p.served.notice ? LABELS[lang].synthetic.split(':')[0] : undefined,
  });
  return { p, by, svg, classified, title, byLabel };
}

const byName = (lang: Lang, p: Publication, by: MapBy) => {
  const t = MAP_LABELS[lang];
  if (by.kind !== 'domain') return by.kind === 'group' ? t.byGroup : t.byIndex;
  const d = p.report.domains.find((x) => x.code === by.code)!;
  return t.byDomain(d.code, nameIn(lang, d.name, d.code));
};

/** A unit's value as the map's table and tooltips write it: its group, or the number at display rounding. */
const display = (lang: Lang, p: Publication, row: ReportRow, by: MapBy) =>
  by.kind === 'group' ? row.group ?? MAP_LABELS[lang].noData : num(lang, valueOf(row, by), p.rounding);

/** The page's cache key: the revision served, the measure, the published years (the year links). */
async function keyOf(c: Context<AppEnv>, kind: string, lang: Lang, v: MapView): Promise<string> {
  const published = await publishedCycles(c, 'province');
  return [kind, lang, v.p.cycle.id, v.p.view.frozen.revision.revision, v.p.pinned ?? '', byParam(v.by), published.map((x) => `${x.id}.${x.revision}`).join(',')].join('|');
}

async function pagePlan(c: Context<AppEnv>, lang: Lang, unitType: string) {
  const v = await mapView(c, lang, unitType);
  const published = v.p.pinned ? [] : await publishedCycles(c, 'province');
  return { key: await keyOf(c, 'map', lang, v), cacheControl: cachePolicy(v.p.view, v.p.pinned), render: () => html(<MapPage lang={lang} v={v} published={published.map((x) => x.year)} />) };
}

/** The map alone as an SVG file, with its own title, description, legend, attribution (and demo notice). */
async function serveSvg(c: Context<AppEnv>, lang: Lang, unitType: string): Promise<Response> {
  const v = await mapView(c, lang, unitType);
  const key = await keyOf(c, 'map.svg', lang, v);
  const cache = driverCache<string, { body: string; etag: string }>(c.get('driver'), 'web-pages', 200);
  let hit = cache.get(key);
  if (!hit) {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n${String(<MapSvg {...v.svg(true)} />)}`;
    cache.set(key, (hit = { body, etag: weakEtag('map-svg', fnv1a(body), body.length) }));
  }
  const cacheControl = cachePolicy(v.p.view, v.p.pinned);
  const file = `par-index-map-${v.p.report.cycle.year}-${unitType}-${byParam(v.by)}.svg`;
  return conditional(c, hit.etag, cacheControl) ?? c.body(hit.body, 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'content-disposition': `inline; filename="${file}"` });
}

/** The embeddable view: the map, its legend and a link to the full page; any site may frame it. */
async function serveEmbed(c: Context<AppEnv>, lang: Lang, unitType: string): Promise<Response> {
  return servePage(c, lang, async () => {
    const v = await mapView(c, lang, unitType);
    return { key: await keyOf(c, 'map-embed', lang, v), cacheControl: cachePolicy(v.p.view, v.p.pinned), render: () => html(<EmbedPage lang={lang} v={v} />) };
  }, 'any');
}

function MapPage({ lang, v, published }: { lang: Lang; v: MapView; published: number[] }) {
  const t = MAP_LABELS[lang];
  const { p, by } = v;
  const { year, unitType } = p.report.cycle;
  const self = mapUrl(mapPath(lang, year, unitType), { by: by.kind === 'group' ? undefined : byParam(by), revision: p.pinned });
  const query = { by: by.kind === 'group' ? undefined : byParam(by), revision: p.pinned };
  return (
    <Page lang={lang} title={v.title} alternate={otherLanguage(self, lang)}>
      <p class="noprint"><a href={withQuery(rankingPath(lang, year, unitType), { revision: p.pinned })}>{`← ${t.rankingLink} ${year}`}</a></p>
      <h1>{v.title}</h1>
      <Notices lang={lang} served={p.served} />
      {published.length > 0 && (
        <nav class="years" aria-label={t.years}>
          <ul>{[...new Set(published)].sort().map((y) => <li><a href={mapUrl(mapPath(lang, y, unitType), { by: query.by })} aria-current={y === year ? 'page' : undefined}>{String(y)}</a></li>)}</ul>
        </nav>
      )}
      <p>{year >= 2025 ? t.mergedNote : t.before2025Note}</p>
      <form class="filters map-form noprint" method="get" action={mapPath(lang, year, unitType)}>
        <label>{t.colourBy}
          <select name="by">
            {[{ kind: 'group' } as MapBy, { kind: 'index' } as MapBy, ...p.report.domains.map((d): MapBy => ({ kind: 'domain', code: d.code }))].map((o) => (
              <option value={byParam(o)} selected={byParam(o) === byParam(by)}>{byName(lang, p, o)}</option>
            ))}
          </select>
        </label>
        {p.pinned && <input type="hidden" name="revision" value={p.pinned} />}
        <button type="submit">{t.show}</button>
      </form>
      <div class="map-layout">
        <figure class="map-figure">
          <MapSvg {...v.svg(false)} />
          {/* On a phone the picture's own legend is too small to read: the same classes, as text. */}
          <ul class="legend map-legend" aria-hidden="true">
            {v.classified.classes.map((c) => <li><svg width="12" height="12" class="swatch"><rect width="12" height="12" fill={c.colour} /></svg>{` ${c.label} (${int(lang, c.count)})`}</li>)}
          </ul>
        </figure>
        <MapTable lang={lang} v={v} />
      </div>
      <ul class="inline noprint">
        <li><a href={mapUrl(`${mapPath(lang, year, unitType)}.svg`, query)} download={`par-index-map-${year}-${unitType}-${byParam(by)}.svg`} type="image/svg+xml">{t.svgLink}</a></li>
        <li><a href={mapUrl(`/embed/map/${year}/${unitType}`, { lang, ...query })}>{t.embedLink}</a></li>
      </ul>
      <Revision lang={lang} p={p} latestHref={mapUrl(mapPath(lang, year, unitType), { by: query.by })} />
    </Page>
  );
}

/** The map's numbers: every unit, best first, with its class (the colour it is drawn in). */
function MapTable({ lang, v }: { lang: Lang; v: MapView }) {
  const t = MAP_LABELS[lang];
  const { p, by } = v;
  const value = (r: ReportRow) => (by.kind === 'group' ? r.index : valueOf(r, by));
  const rows = [...p.report.rows].sort((a, b) => (value(b) ?? -Infinity) - (value(a) ?? -Infinity) || a.unit.localeCompare(b.unit));
  return (
    <div class="scroll map-table" role="region" aria-labelledby="map-table-cap" tabindex={0}>
      <table id="map-table">
        <caption id="map-table-cap">{t.tableCaption(p.report.cycle.year, v.byLabel)}</caption>
        <thead><tr><th scope="col" class="n">{t.rank}</th><th scope="col">{t.unit}</th><th scope="col" class="n">{by.kind === 'group' ? LABELS[lang].index : t.value}</th><th scope="col">{t.class}</th></tr></thead>
        <tbody>
          {rows.map((r) => {
            const cls = v.classified.classOf.get(r.unit)!;
            return (
              <tr data-unit={r.unit}>
                <td class="n">{int(lang, r.rank)}</td>
                <th scope="row"><a href={withQuery(profilePath(lang, r.unit, p.report.cycle.year), { revision: p.pinned })} lang="vi">{r.name.vi.normalize('NFC')}</a></th>
                <td class="n" data-col="value">{num(lang, value(r), p.rounding)}</td>
                <td data-col="class"><svg width="12" height="12" aria-hidden="true" class="swatch"><rect width="12" height="12" fill={cls.colour} /></svg>{` ${cls.label}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function EmbedPage({ lang, v }: { lang: Lang; v: MapView }) {
  const t = MAP_LABELS[lang];
  const { year, unitType } = v.p.report.cycle;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{v.title}</title>
        <style>{raw(CSS)}</style>
      </head>
      <body class="embed">
        <main>
          <h1 class="embed-title">{v.title}</h1>
          <Notices lang={lang} served={v.p.served} />
          <MapSvg {...v.svg(false)} />
          <p><a href={mapUrl(mapPath(lang, year, unitType), { by: v.by.kind === 'group' ? undefined : byParam(v.by), revision: v.p.pinned })} target="_top">{t.fullPage}</a></p>
        </main>
      </body>
    </html>
  );
}
