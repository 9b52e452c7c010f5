// The public site: pages for people, from the same publications and by the same code as the JSON
// API. Vietnamese under /vi, English under /en:
//   /{lang}                                  → the latest published provincial ranking (302)
//   /{lang}/ranking/{year}/{unitType}        ranking (?sort, ?region, ?group, ?ranked, ?revision)
//   /{lang}/units/{code}/{year}              unit profile (?revision)
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { ApiProblem } from '../http/problem.js';
import { cachePolicy } from '../http/visibility.js';
import type { CycleRow } from '../store/cycles.js';
import { getUnit, listUnits } from '../store/units.js';
import { methodologyOf, publication, publishedCycles, unitHistory, type Publication } from './data.js';
import { LANGS, type Lang } from './i18n.js';
import { html } from './layout.js';
import { rankingPath } from './paths.js';
import { mapRoutes } from './map.js';
import { ProfilePage } from './profile.js';
import { RankingPage } from './ranking.js';
import { servePage } from './serve.js';
import { knownParams, parseQuery, tableRows, withQuery } from './table.js';

export { rankingPath, profilePath } from './paths.js';

export function webRoutes() {
  const app = new Hono<AppEnv>();
  for (const l of LANGS) {
    app.get(`/${l}`, (c) => home(c, l));
    app.get(`/${l}/ranking/:year/:unitType`, (c) => servePage(c, l, () => rankingPlan(c, l)));
    app.get(`/${l}/units/:code/:year`, (c) => servePage(c, l, () => profilePlan(c, l)));
  }
  app.route('/', mapRoutes());
  return app;
}

/** Until the home page exists: the latest published provincial ranking (else any published one). */
async function home(c: Context<AppEnv>, l: Lang): Promise<Response> {
  const published = await allPublished(c);
  const latest = [...published].sort((a, b) => Number(b.unitType === 'province') - Number(a.unitType === 'province') || b.year - a.year)[0];
  if (!latest) return servePage(c, l, async () => { throw new ApiProblem('not-found', 'Nothing is published yet.'); });
  return c.redirect(rankingPath(l, latest.year, latest.unitType), 302);
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
  return {
    key: ['ranking', l, servedKey(p), withQuery('', { ...q, revision: undefined }), signature(published)].join('|'),
    cacheControl: cachePolicy(p.view, p.pinned),
    render: () => html(RankingPage({ lang: l, p, q, rows: tableRows(p.report, q), published })),
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
