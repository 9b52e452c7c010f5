// Request and response schemas shared by routes: they validate, type and document the API.
import { z } from '@hono/zod-openapi';
import { ScoreValue, textProblem } from '../engine/index.js';

/**
 * Free text as it is stored (notes, evidence, reasons, key labels): Vietnamese is stored and
 * compared in NFC, so NFD input (as some macOS tools write) is refused; so is what would make
 * the text display other than it reads, or break a line where none is expected: control
 * characters (C0, DEL, C1; a line feed only in multi-line text), U+2028/U+2029, the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069: "Trojan
 * Source", CVE-2021-42574) and lone surrogates (not Unicode). Each refusal names the character.
 */
export const nfcText = (max = 2000, options: { multiline?: boolean } = {}) => z.string().max(max)
  .superRefine((s, ctx) => {
    const problem = textProblem(s, options.multiline === true);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const Name = z.object({
  vi: z.string().describe('Vietnamese name, exact (NFC, with diacritics)'), en: z.string().describe('English name'),
}).openapi('Name', { example: { vi: 'Hà Nội', en: 'Hanoi' } });

/**
 * A component or null. zod-to-openapi drops the null of `X.nullable()` when X is a named
 * component (it emits a bare $ref), so a nullable component is written as this union.
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

/** Timestamps are RFC 3339 UTC (format date-time); calendar dates are YYYY-MM-DD (format date). */
export const DateTime = z.iso.datetime({ offset: true });
export const IsoDate = z.iso.date();

export const ROLES = ['admin', 'appraiser', 'unit'] as const;
export const MODES = ['points', 'weighted'] as const;

/** One shape for a unit wherever an answer names one. */
export const UnitRef = z.object({
  code: z.string().describe('the unit\'s code (GSO code for provinces; merged provinces as 31-2025)'),
  name: Name,
  region: z.string().nullable().describe('socio-economic region code; null for ministries'),
}).openapi('UnitRef');

/** A year in a path: canonical digits only (0x7e7 or 2023.0 are not years). */
export const Year = z.string().regex(/^(19|20)\d\d$|^2100$/, 'a year such as 2023').transform(Number)
  .openapi({ type: 'integer', minimum: 1990, maximum: 2100 });
export const UnitType = z.enum(['province', 'ministry']).openapi('UnitType', { description: 'the kind of unit a cycle ranks' });

export const CyclePath = z.object({
  year: Year.openapi({ param: { name: 'year', in: 'path' }, example: 2023 }),
  unitType: UnitType.openapi({ param: { name: 'unitType', in: 'path' }, example: 'province' }),
});

export const CycleStatus = z.enum(['open', 'appraisal', 'review', 'published', 'correction']).openapi('CycleStatus');

export const MethodologyRef = z.object({
  id: z.string(), version: z.number().int(),
  provisionalNodes: z.number().int().describe('how many of its nodes carry numbers not (yet) from an official source'),
  rounding: z.number().int().describe('decimals for display (CSV, pages); JSON keeps full precision'),
}).openapi('MethodologyRef');

export const Cycle = z.object({
  year: z.number().int(),
  unitType: UnitType,
  methodology: MethodologyRef,
  status: CycleStatus,
  revision: z.number().int().describe('the latest published revision; 0 before the first publication'),
  dataVersion: z.number().int().describe('increases with every accepted change of the cycle\'s scores'),
  synthetic: z.boolean().describe('true for the demo data: generated, not real scores'),
  createdAt: DateTime,
}).openapi('Cycle');

/** The decision that publishes a revision: its number as issued and its date. */
export const Decision = z.object({
  number: nfcText(100).refine((s) => s.trim() !== '', 'required').describe('the decision\'s number as issued, NFC, one line').openapi({ example: '268/QĐ-BNV' }),
  date: IsoDate.describe('the date the decision was signed (YYYY-MM-DD)').openapi({ example: '2025-03-28' }),
}).strict().openapi('Decision', { description: 'the decision that publishes a revision' });

/** The revision an answer was built from: a publication (number and content hash), or the live draft. */
export const ServedRevision = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('publication'), revision: z.number().int().min(1),
    contentHash: z.string().describe('SHA-256 (hex) of the revision\'s bundle, byte for byte: GET …/revisions/{revision}/bundle and check'),
    publishedAt: DateTime, reason: z.string().nullable().describe('why a correction was published; null for the first publication'),
    decision: orNull(Decision).describe('the decision that published the revision; null for one published without it'),
  }).openapi('Publication'),
  z.object({ kind: z.literal('draft'), dataVersion: z.number().int() }).openapi('Draft'),
]).openapi('ServedRevision');

/** Provenance carried by every answer built from a cycle's stored data. */
export const Provenance = {
  cycle: Cycle,
  revision: ServedRevision,
  notice: z.string().nullable().describe('a notice the reader must see, e.g. that the data is synthetic demo data'),
};

/** A whole number in a query or path: canonical digits only (no 0x1A, 1e1 or 2.0), typed integer in the contract. */
export const QueryInt = (min: number, max: number) => z.string().regex(/^\d{1,9}$/, 'a whole number (digits only)').transform(Number)
  .pipe(z.number().int().min(min).max(max)).openapi({ type: 'integer', minimum: min, maximum: max });

/** `?revision=`: a published revision, or `draft` for the roles that may read drafts. */
export const RevisionParam = z.string().regex(/^(draft|[1-9]\d{0,8})$/, 'draft, or a published revision number (1, 2 …)').optional()
  .openapi({ description: 'default: the latest publication, for every caller; a number pins a published revision (immutable); draft reads the live draft (admin, appraiser; a unit key for its own unit)', example: '1' });

/** A stored score's value: points, a rate, 0/1, or survey answers per option; null = no data. */
export const ScoreValueOut = ScoreValue.nullable().describe('points, a rate, 0/1, or survey answers per option; null = no data');

export const ScoreIn = z.object({
  unit: z.string().min(1).max(40),
  indicator: z.string().min(1).max(40),
  source: z.string().min(1).max(40).optional(),
  value: ScoreValue.nullable().describe('points, a rate, 0/1, or survey answers per option; null = no data'),
  note: nfcText(2000, { multiline: true }).nullish().describe('a note, lines separated by a line feed; for a self-assessment without evidence, the explanation of why there is none (required then). NFC, no other control or bidirectional-control character'),
  evidence: nfcText().nullish().describe('reference to the evidence document (tài liệu kiểm chứng), one line: a self-assessment needs it, or a note explaining its absence'),
  reason: nfcText(2000, { multiline: true }).nullish().describe('why: required when an appraiser adjusts a self-assessed score; recorded in the audit'),
}).strict().openapi('ScoreIn');

export const ScoresIn = z.object({ scores: z.array(ScoreIn).min(1, 'at least one score') }).strict().openapi('ScoresIn');

export const ScoreOut = z.object({
  unit: z.string(), indicator: z.string(), source: z.string(),
  value: ScoreValueOut, points: z.number().nullable().describe('index points the value earns under the leaf\'s rule'),
  note: z.string().nullable(), evidence: z.string().nullable(), updatedAt: DateTime,
  updatedBy: z.string().describe('the last writer\'s role (admin, appraiser, unit; system for the seeded demo data); the key id only for an admin reading a draft'),
}).openapi('Score');

/** A domain (depth-1 node) of a cycle's methodology. */
export const Domain = z.object({ code: z.string(), name: Name.optional(), max: z.number().nullable().describe('maximum points (points mode); null in weighted mode') }).openapi('Domain');

export const Summary = z.object({
  n: z.number().int().describe('units with a value'), mean: z.number().nullable(), median: z.number().nullable(),
  sd: z.number().nullable().describe('population standard deviation (the units are the whole population)'),
  min: z.number().nullable(), max: z.number().nullable(), q1: z.number().nullable().describe('first quartile'), q3: z.number().nullable().describe('third quartile'),
}).openapi('Summary', { description: 'Descriptive statistics of one number over the units, in that number\'s unit (index points, or percent of a domain\'s maximum); null where no unit has a value' });

export const Statistics = z.object({
  index: Summary,
  domains: z.record(z.string(), Summary).describe('per domain, by its code: percent of the domain\'s maximum (points mode) or value (weighted mode)'),
  groups: z.record(z.string(), z.number().int()).describe('units per group'),
  aboveMean: z.number().int().describe('units whose index is strictly above the mean'),
  by: z.record(z.string(), z.record(z.string(), z.object({ index: Summary, domains: z.record(z.string(), Summary) })))
    .describe('the same per value of a unit attribute: by.region.RRD is the Red River Delta'),
}).openapi('Statistics');

export const NodeResult = z.object({
  points: z.number().nullable().optional().describe('points mode: the points earned'),
  max: z.number().optional().describe('points mode: the maximum points'),
  percent: z.number().nullable().optional().describe('points mode: points as percent of the maximum (0–100)'),
  value: z.number().nullable().optional().describe('weighted mode: the aggregated, normalised value'),
  rank: z.number().int().nullable().optional().describe('competition rank on this node among ranked units'),
  missing: z.number().int().describe('leaves below this node without data'), imputed: z.number().int().describe('leaves below this node imputed'),
}).openapi('NodeResult', { description: 'One node of one unit: points, max and percent in points mode; value in weighted mode' });

export const Change = z.object({
  rule: z.enum(['same-unit', 'mean-of-predecessors', 'weighted-mean-of-predecessors', 'no-lineage'])
    .describe('how the previous value was found through lineage: a merged unit compares with the (weighted) mean of its predecessors'),
  predecessors: z.array(z.string()).describe('the units of the previous cycle compared with'),
  previousIndex: z.number().nullable().describe('index points'), indexChange: z.number().nullable().describe('index points'),
  previousRank: z.number().int().nullable().describe('the unit\'s own rank in the previous cycle as published; null for a unit that did not exist then'),
  restatedRank: z.number().int().nullable().describe('the previous cycle re-ranked on the current ranked units through lineage (a merged unit by its predecessors\' mean, as previousIndex): this unit\'s place in it; null where no restatement is possible (absent from publications frozen before rank changes were restated, 2026-12-02: they are served as published, their hash unchanged)').optional(),
  restatedOf: z.number().int().nullable().describe('units in the restated ranking (the current ranked units); null when not restatable (absent from publications frozen before rank changes were restated, 2026-12-02: they are served as published, their hash unchanged)').optional(),
  rankRule: z.enum(['same-units', 'restated-on-current-units', 'not-restatable'])
    .describe('how rankChange was measured: same-units (the same ranked units both years: restatedRank = previousRank), restated-on-current-units (the set of units changed: the previous cycle re-ranked on the current units), not-restatable (a ranked unit has no previous value: no rank change is given) (absent from publications frozen before rank changes were restated, 2026-12-02: they are served as published, their hash unchanged)').optional(),
  rankChange: z.number().int().nullable().describe('places, restatedRank − rank; positive = moved up; null without a restated rank'),
  domains: z.record(z.string(), z.object({ previous: z.number().nullable(), change: z.number().nullable() }))
    .describe('per domain: percent of the domain\'s maximum (points mode) or value, and its change in percentage points'),
}).openapi('Change');

/** A W3C CSV on the Web (CSVW) metadata document: the columns of a CSV download and its provenance. */
export const CsvwMetadata = z.object({
  '@context': z.array(z.union([z.string(), z.record(z.string(), z.string())])),
  url: z.string().describe('the CSV this document describes'),
  'dc:title': z.string(), 'dc:description': z.string(),
  'schema:additionalProperty': z.array(z.object({ '@type': z.string(), 'schema:name': z.string().describe('the JSON path of the provenance field, e.g. revision.contentHash'), 'schema:value': z.union([z.string(), z.number(), z.boolean()]) })),
  dialect: z.object({ encoding: z.string(), header: z.boolean(), delimiter: z.string(), doubleQuote: z.boolean(), lineTerminators: z.array(z.string()) }),
  tableSchema: z.object({
    columns: z.array(z.object({
      name: z.string(), titles: z.union([z.string(), z.record(z.string(), z.array(z.string()))]), datatype: z.string(),
      'dc:description': z.string(), required: z.boolean().optional(),
    })),
    primaryKey: z.array(z.string()),
  }),
}).openapi('CsvwMetadata');

/** Any JSON value: where a field's shape depends on another (an audit entry's before and after, per action). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
// The component is a non-null value and null is added where a value may be null, so that the
// generated oneOf [JsonValue, null] has exactly one match.
const JsonNonNull: z.ZodType<JsonValue> = z.lazy(() => z.union([
  z.string(), z.number(), z.boolean(), z.array(JsonNonNull.nullable()), z.record(z.string(), JsonNonNull.nullable()),
])).openapi('JsonValue');
export const JsonValue = z.union([JsonNonNull, z.null()]);
