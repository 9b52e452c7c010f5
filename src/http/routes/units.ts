// Units (provinces, ministries) with validity dates and lineage across the 2025 mergers.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import { getUnit, lineage, listRegions, listUnits, type UnitRow } from '../../store/units.js';
import { ApiProblem, problemResponses } from '../problem.js';
import { createRouter } from '../router.js';
import { Name } from '../schemas.js';

const Unit = z.object({
  code: z.string(), type: z.string(), name: Name, officialCode: z.string().nullable(),
  region: z.object({ code: z.string(), name: Name }).nullable(),
  validFrom: z.string().nullable(), validTo: z.string().nullable(), ranked: z.boolean(),
  formerNames: z.array(Name.extend({ validTo: z.string() })),
}).openapi('Unit');

const LineageLink = z.object({ code: z.string(), name: Name, part: z.boolean(), weight: z.number().nullable(), note: z.string().nullable() }).openapi('LineageLink');
const UnitDetail = Unit.extend({ predecessors: z.array(LineageLink), successors: z.array(LineageLink) }).openapi('UnitDetail');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

async function presenter(c: Context<AppEnv>) {
  const regions = new Map((await listRegions(c.get('driver'))).map((r) => [r.code, { code: r.code, name: { vi: r.nameVi, en: r.nameEn } }]));
  return (u: UnitRow) => ({
    code: u.code, type: u.type, name: { vi: u.nameVi, en: u.nameEn }, officialCode: u.officialCode,
    region: u.region ? regions.get(u.region) ?? null : null,
    validFrom: u.validFrom, validTo: u.validTo, ranked: u.ranked, formerNames: u.formerNames,
  });
}

export const units = createRouter()
  .openapi(createRoute({
    method: 'get', path: '/v1/units', tags: ['Units'], summary: 'Units, filtered by type, region, date and name',
    request: {
      query: z.object({
        type: z.string().optional().openapi({ example: 'province' }),
        region: z.string().optional().openapi({ example: 'RRD' }),
        activeOn: isoDate.optional().openapi({ description: 'units valid on this date', example: '2025-07-01' }),
        q: z.string().max(100).optional().openapi({ description: 'name search ignoring diacritics and case: "ha noi" finds "Hà Nội"', example: 'ha noi' }),
      }),
    },
    responses: { 200: { description: 'Matching units', content: { 'application/json': { schema: z.object({ units: z.array(Unit) }) } } }, ...problemResponses(400) },
  }), async (c) => {
    const present = await presenter(c);
    return c.json({ units: (await listUnits(c.get('driver'), c.req.valid('query'))).map(present) }, 200);
  })
  .openapi(createRoute({
    method: 'get', path: '/v1/units/{code}', tags: ['Units'], summary: 'One unit with its predecessors and successors',
    request: { params: z.object({ code: z.string().min(1).openapi({ param: { name: 'code', in: 'path' }, example: '31-2025' }) }) },
    responses: { 200: { description: 'The unit', content: { 'application/json': { schema: UnitDetail } } }, ...problemResponses(404) },
  }), async (c) => {
    const d = c.get('driver');
    const { code } = c.req.valid('param');
    const unit = await getUnit(d, code);
    if (!unit) throw new ApiProblem('not-found', `No unit ${code}.`);
    const edges = await lineage(d, [code]);
    const related = new Map((await listUnits(d)).map((u) => [u.code, u]));
    const link = (other: string, e: (typeof edges)[number]) => {
      const u = related.get(other)!;
      return { code: other, name: { vi: u.nameVi, en: u.nameEn }, part: e.part, weight: e.weight, note: e.note };
    };
    return c.json({
      ...(await presenter(c))(unit),
      predecessors: edges.filter((e) => e.unit === code).map((e) => link(e.predecessor, e)),
      successors: edges.filter((e) => e.predecessor === code).map((e) => link(e.unit, e)),
    }, 200);
  });
