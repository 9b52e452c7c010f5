// Units (provinces, ministries) with validity dates and lineage across the 2025 mergers.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import { getUnit, lineage, listRegions, listUnits, regionCodes, type UnitRow } from '../../store/units.js';
import { jsonConditional, REVALIDATE } from '../conditional.js';
import { ApiProblem, problemResponses } from '../problem.js';
import { createRouter, defineRoute } from '../router.js';
import { IsoDate, Name, UnitType } from '../schemas.js';

const Unit = z.object({
  code: z.string().describe('the unit\'s code in this service (GSO code for provinces; merged provinces as 31-2025)'),
  type: UnitType, name: Name,
  officialCode: z.string().nullable().describe('the code of the official list (Quyết định 19/2025/QĐ-TTg for provinces)'),
  region: z.object({ code: z.string(), name: Name }).nullable(),
  validFrom: IsoDate.nullable().describe('first day of existence; null: before the data begins'),
  validTo: IsoDate.nullable().describe('last day of existence; null: still exists'), ranked: z.boolean(),
  formerNames: z.array(z.object({ vi: z.string(), en: z.string(), validTo: IsoDate })
    .openapi('FormerName', { example: { vi: 'Hà Tây', en: 'Ha Tay', validTo: '2008-07-31' } })),
}).openapi('Unit');

const LineageLink = z.object({ code: z.string(), name: Name, part: z.boolean(), weight: z.number().nullable(), note: z.string().nullable() }).openapi('LineageLink');
const UnitDetail = Unit.extend({ predecessors: z.array(LineageLink), successors: z.array(LineageLink) }).openapi('UnitDetail');


async function presenter(c: Context<AppEnv>) {
  const regions = new Map((await listRegions(c.get('driver'))).map((r) => [r.code, { code: r.code, name: { vi: r.nameVi, en: r.nameEn } }]));
  return (u: UnitRow) => ({
    code: u.code, type: u.type, name: { vi: u.nameVi, en: u.nameEn }, officialCode: u.officialCode,
    region: u.region ? regions.get(u.region) ?? null : null,
    validFrom: u.validFrom, validTo: u.validTo, ranked: u.ranked, formerNames: u.formerNames,
  });
}

export const units = createRouter()
  .openapi(defineRoute({
    method: 'get', path: '/v1/units', tags: ['Units'], summary: 'Units, filtered by type, region, date and name',
    operationId: 'listUnits', access: { public: true }, conditional: true,
    request: {
      query: z.object({
        unitType: UnitType.optional(),
        region: z.string().max(20).optional().openapi({ example: 'RRD' }),
        activeOn: IsoDate.optional().openapi({ description: 'units valid on this date', example: '2025-07-01' }),
        q: z.string().max(100).optional().openapi({ description: 'name search ignoring diacritics and case: "ha noi" finds "Hà Nội"', example: 'ha noi' }),
      }),
    },
    responses: { 200: { description: 'Matching units', content: { 'application/json': { schema: z.object({ units: z.array(Unit) }).openapi('UnitList') } } }, ...problemResponses(400) },
  }), async (c) => {
    const { unitType, ...query } = c.req.valid('query');
    if (query.region !== undefined && !(await regionCodes(c.get('driver'))).has(query.region)) {
      throw new ApiProblem('invalid-request', `No region ${query.region}.`, [{ pointer: '/region', field: 'region', message: 'unknown region' }]);
    }
    const present = await presenter(c);
    return jsonConditional(c, { units: (await listUnits(c.get('driver'), { ...query, type: unitType })).map(present) }, REVALIDATE) as never;
  })
  .openapi(defineRoute({
    method: 'get', path: '/v1/units/{code}', tags: ['Units'], summary: 'One unit with its predecessors and successors',
    operationId: 'getUnit', access: { public: true }, conditional: true,
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
    return jsonConditional(c, {
      ...(await presenter(c))(unit),
      predecessors: edges.filter((e) => e.unit === code).map((e) => link(e.predecessor, e)),
      successors: edges.filter((e) => e.predecessor === code).map((e) => link(e.unit, e)),
    }, REVALIDATE) as never;
  });
