// The public site: pages for people, from the same publications and by the same code as the JSON
// API. Vietnamese under /vi, English under /en:
//   /{lang}                                        home: the latest publication of each unit type
//   /{lang}/ranking/{year}/{unitType}              ranking (?sort, ?region, ?group, ?ranked, ?revision)
//   /{lang}/ranking/{year}/{unitType}/results.xlsx the publication as a spreadsheet (?revision)
//   /{lang}/ranking/{year}/{unitType}/chart.svg    the ranking chart as a standalone SVG (?revision)
//   /{lang}/units/{code}/{year}                    unit profile (?revision)
//   /{lang}/methodology/{year}/{unitType}          the publication's methodology (?revision)
//   /{lang}/compare/{year}/{unitType}              2–4 units side by side (?units=…&units=…, ?revision)
//   /embed/ranking/{year}/{unitType}               the ranking chart for an iframe (?lang=vi|en, ?revision)
import { Hono, type Context } from 'hono';
import { REVALIDATE } from '../http/conditional.js';
import type { AppEnv } from '../http/env.js';
import { ApiProblem } from '../http/problem.js';
import { cachePolicy } from '../http/visibility.js';
import type { CycleRow } from '../store/cycles.js';
import { getUnit, listUnits } from '../store/units.js';
import { comparedUnits, ComparePage } from './compare.js';
import { correctionsOf } from './corrections.js';
import { methodologyOf, publication, publishedCycles, unitHistory, type Publication } from './data.js';
import { publicationXlsx, XLSX_TYPE } from './downloads/xlsx.js';
import { EmbedPage } from './embed.js';
import { latestPublications } from './home-data.js';
import { HomePage } from './home.js';
import { date, isLang, LABELS, LANGS, type Lang } from './i18n.js';
import { PAGE_LABELS } from './i18n-pages.js';
import { html } from './layout.js';
import { mapRoutes } from './map.js';
import { MethodologyPage } from './methodology.js';
import { EMBED_PREFIX, rankingPath } from './paths.js';
import { ProfilePage } from './profile.js';
import { RankingFigure, standaloneSvg } from './ranking-chart.js';
import { RankingPage } from './ranking.js';
import { servePage } from './serve.js';
import { knownParams, parseQuery, tableRows, withQuery } from './table.js';

export { rankingPath, profilePath } from './paths.js';

export function webRoutes() {
  const app = new Hono<AppEnv>();
  for (const l of LANGS) {
    app.get(`/${l}`, (c) => servePage(c, l, () => homePlan(c, l)));
    app.get(`/${l}/ranking/:year/:unitType`, (c) => servePage(c, l, () => rankingPlan(c, l)));
    app.get(`/${l}/ranking/:year/:unitType/results.xlsx`, (c) => servePage(c, l, () => xlsxPlan(c, l)));
    app.get(`/${l}/ranking/:year/:unitType/chart.svg`, (c) => servePage(c, l, () => svgPlan(c, l)));
    app.get(`/${l}/units/:code/:year`, (c) => servePage(c, l, () => profilePlan(c, l)));
    app.get(`/${l}/methodology/:year/:unitType`, (c) => servePage(c, l, () => methodologyPlan(c, l)));
    app.get(`/${l}/compare/:year/:unitType`, (c) => servePage(c, l, () => comparePlan(c, l)));
  }
  app.route('/', mapRoutes());
  app.get(`${EMBED_PREFIX}ranking/:year/:unitType`, (c) => {
    const asked = c.req.query('lang') || 'vi';
    const l: Lang = isLang(asked) ? asked : 'vi';
    return servePage(c, l, async () => {
      if (!isLang(asked)) throw new ApiProblem('invalid-request', 'lang is vi or en.', [{ pointer: '/lang', field: 'lang', message: 'vi or en' }]);
      return embedPlan(c, l);
    }, 'any');
  });
  return app;
}

/** The home page: the latest publication of each unit type, and every published year. */
async function homePlan(c: Context<AppEnv>, l: Lang) {
  const published = await allPublished(c);
  return {
    key: ['home', l, signature(published)].join('|'),
    cacheControl: REVALIDATE,
    render: async () => html(HomePage({ lang: l, latest: await latestPublications(c, published), published })),
  };
}

/** The publication a page of (year, unitType) shows, as its URL asks (?revision pins one). */
const routePublication = (c: Context<AppEnv>) => publication(c, c.req.param('year')!, c.req.param('unitType')!, c.req.query('revision') || undefined);

async function methodologyPlan(c: Context<AppEnv>, l: Lang) {
  const p = await routePublication(c);
  return {
    key: ['methodology', l, servedKey(p)].join('|'),
    cacheControl: cachePolicy(p.view, p.pinned),
    render: async () => html(MethodologyPage({ lang: l, p, m: await methodologyOf(c, p) })),
  };
}

async function comparePlan(c: Context<AppEnv>, l: Lang) {
  const p = await routePublication(c);
  const units = comparedUnits(c.req.queries('units') ?? [], p, l);
  return {
    key: ['compare', l, servedKey(p), units.map((u) => u.unit).join(',')].join('|'),
    cacheControl: cachePolicy(p.view, p.pinned),
    render: async () => html(ComparePage({ lang: l, p, m: await methodologyOf(c, p), units })),
  };
}

async function xlsxPlan(c: Context<AppEnv>, l: Lang) {
  const p = await routePublication(c);
  const { year, unitType } = p.report.cycle;
  const source = new URL(rankingPath(l, year, unitType), c.req.url).href;
  return {
    key: ['xlsx', l, servedKey(p), source].join('|'),
    cacheControl: cachePolicy(p.view, p.pinned),
    type: XLSX_TYPE,
    filename: `par-index-${year}-${unitType}-r${p.view.frozen.revision.revision}-${l}.xlsx`,
    render: async () => publicationXlsx({ lang: l, p, m: await methodologyOf(c, p), source }),
  };
}

async function svgPlan(c: Context<AppEnv>, l: Lang) {
  const p = await routePublication(c);
  return {
    key: ['svg', l, servedKey(p), new URL(c.req.url).origin].join('|'),
    cacheControl: cachePolicy(p.view, p.pinned),
    type: 'image/svg+xml; charset=utf-8',
    render: () => standaloneSvg(String(RankingFigure({ lang: l, p, rows: p.report.rows }) ?? ''), svgFooter(c, l, p)),
  };
}

/** Under a chart shared as a file: the notices, then the publication and where it is. */
function svgFooter(c: Context<AppEnv>, l: Lang, p: Publication): string[] {
  const t = LABELS[l], w = PAGE_LABELS[l];
  const { year, unitType } = p.report.cycle;
  const r = p.view.frozen.revision;
  const provisional = p.served.cycle.methodology.provisionalNodes;
  return [
    ...(p.served.notice ? [t.synthetic] : []),
    ...(provisional > 0 ? [t.provisional(provisional)] : []),
    `${w.embedSource(year)} ${r.revision} (${date(l, r.publishedAt)}), SHA-256 ${r.contentHash.slice(0, 16)}…: ${new URL(rankingPath(l, year, unitType), c.req.url).href}`,
  ];
}

async function embedPlan(c: Context<AppEnv>, l: Lang) {
  const p = await routePublication(c);
  return {
    key: ['embed', l, servedKey(p)].join('|'),
    cacheControl: cachePolicy(p.view, p.pinned),
    render: () => html(EmbedPage({ lang: l, p })),
  };
}

/** Every published cycle, all unit types. */
const allPublished = (c: Context<AppEnv>) => publishedCycles(c);

/**
 * What a page of a publication depends on besides its own revision: the published cycles (the
 * year navigation, a profile's history). Part of every key, so a new publication renders anew.
 */
const signature = (cycles: CycleRow[]) => cycles.map((x) => `${x.id}.${x.revision}`).join(',');

/** The revision served, and whether the URL pinned it (a pinned page says so and links with ?revision). */
const servedKey = (p: Publication) => `${p.cycle.id}.r${p.view.frozen.revision.revision}${p.pinned ? '.pinned' : ''}`;

async function rankingPlan(c: Context<AppEnv>, l: Lang) {
  const query = knownParams(c.req.query());
  const p = await publication(c, c.req.param('year')!, c.req.param('unitType')!, query.revision);
  const q = parseQuery(query, p.report, new Set(p.regions.keys()));
  // A pinned page shows that revision only (no navigation to later years): it never changes.
  const published = p.pinned ? [] : await allPublished(c);
  const origin = new URL(c.req.url).origin;
  return {
    key: ['ranking', l, servedKey(p), withQuery('', { ...q, revision: undefined }), signature(published), origin].join('|'),
    cacheControl: cachePolicy(p.view, p.pinned),
    render: async () => html(RankingPage({ lang: l, p, q, rows: tableRows(p.report, q), published, origin, log: await correctionsOf(c, p) })),
  };
}

async function profilePlan(c: Context<AppEnv>, l: Lang) {
  const code = c.req.param('code')!;
  const revision = c.req.query('revision') || undefined;
  const unit = await getUnit(c.get('driver'), code);
  if (!unit) throw new ApiProblem('not-found', `No unit ${code.slice(0, 40)}. GET /v1/units lists them.`);
  const p = await publication(c, c.req.param('year')!, unit.type, revision);
  const row = p.report.rows.find((r) => r.unit === code);
  if (!row) throw new ApiProblem('not-found', `Unit ${code} is not assessed in the ${p.report.cycle.year} ${unit.type} cycle.`);
  return {
    key: ['profile', l, code, servedKey(p), signature(await allPublished(c))].join('|'),
    // The history reads other cycles' latest publications: revalidated even when this one is pinned (as the JSON scorecard).
    cacheControl: cachePolicy(p.view, undefined),
    render: async () => {
      const names = new Map((await listUnits(c.get('driver'), { type: unit.type })).map((u) => [u.code, u.nameVi.normalize('NFC')]));
      return html(ProfilePage({ lang: l, p, row, methodology: await methodologyOf(c, p), history: await unitHistory(c, p, row), names }));
    },
  };
}
