// Request and response schemas shared by routes: they validate, type and document the API.
import { z } from '@hono/zod-openapi';
import { ScoreValue } from '../engine/index.js';

/** Vietnamese text is stored and compared in NFC; NFD input (as some macOS tools write) is refused. */
export const nfcText = (max = 2000) => z.string().max(max).refine((s) => s === s.normalize('NFC'), 'text must be Unicode NFC (composed), not NFD');

export const Name = z.object({ vi: z.string(), en: z.string() }).openapi('Name');

export const Year = z.coerce.number().int().min(1990).max(2100);
export const UnitType = z.string().min(1).max(40).regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits, dash');

export const CyclePath = z.object({
  year: Year.openapi({ param: { name: 'year', in: 'path' }, example: 2023 }),
  unitType: UnitType.openapi({ param: { name: 'unitType', in: 'path' }, example: 'province' }),
});

export const Cycle = z.object({
  year: z.number().int(),
  unitType: z.string(),
  methodology: z.object({ id: z.string(), version: z.number().int() }),
  status: z.enum(['open', 'appraisal', 'review', 'published', 'correction']),
  revision: z.number().int().describe('the latest published revision; 0 before the first publication'),
  dataVersion: z.number().int().describe('increases with every accepted change of the cycle\'s scores'),
  synthetic: z.boolean().describe('true for the demo data: generated, not real scores'),
  createdAt: z.string(),
}).openapi('Cycle');

export const ScoreIn = z.object({
  unit: z.string().min(1).max(40),
  indicator: z.string().min(1).max(40),
  source: z.string().min(1).max(40).optional(),
  value: ScoreValue.nullable().describe('points, a rate, 0/1, or survey answers per option; null = no data'),
  note: nfcText().nullish(),
  evidence: nfcText().nullish().describe('reference to the evidence document (tài liệu kiểm chứng)'),
  reason: nfcText().nullish().describe('why: required when an appraiser adjusts a self-assessed score; recorded in the audit'),
}).strict().openapi('ScoreIn');

export const ScoresIn = z.object({ scores: z.array(ScoreIn).min(1, 'at least one score') }).strict().openapi('ScoresIn');

export const ScoreOut = z.object({
  unit: z.string(), indicator: z.string(), source: z.string(),
  value: ScoreValue.nullable(), points: z.number().nullable(),
  note: z.string().nullable(), evidence: z.string().nullable(), updatedAt: z.string(), updatedBy: z.string(),
}).openapi('Score');

export const Summary = z.object({
  n: z.number().int(), mean: z.number().nullable(), median: z.number().nullable(), sd: z.number().nullable(),
  min: z.number().nullable(), max: z.number().nullable(), q1: z.number().nullable(), q3: z.number().nullable(),
}).openapi('Summary');

export const Statistics = z.object({
  index: Summary,
  nodes: z.record(z.string(), Summary).describe('per domain: % of max (points mode) or value'),
  groups: z.record(z.string(), z.number().int()),
  aboveMean: z.number().int(),
  by: z.record(z.string(), z.record(z.string(), z.object({ index: Summary, nodes: z.record(z.string(), Summary) }))),
}).openapi('Statistics');

export const NodeResult = z.object({
  points: z.number().nullable().optional(), max: z.number().optional(), percent: z.number().nullable().optional(),
  value: z.number().nullable().optional(), rank: z.number().int().nullable().optional(),
  missing: z.number().int(), imputed: z.number().int(),
}).openapi('NodeResult');

export const Change = z.object({
  rule: z.enum(['same-unit', 'mean-of-predecessors', 'weighted-mean-of-predecessors', 'no-lineage']),
  predecessors: z.array(z.string()),
  previousIndex: z.number().nullable(), indexChange: z.number().nullable(),
  previousRank: z.number().int().nullable(), rankChange: z.number().int().nullable().describe('positive = moved up'),
  nodes: z.record(z.string(), z.object({ previous: z.number().nullable(), change: z.number().nullable() })),
}).openapi('Change');
