// The methodology as data: zod schemas that validate a methodology document and give its types.
// Structural checks that need the whole tree (parents, sums, cycles) live in compile.ts.
import { z } from 'zod';

export const LocalisedName = z.object({
  vi: z.string().min(1).describe('Vietnamese name, exact (NFC, with diacritics)'),
  en: z.string().min(1).describe('English label'),
});

export const Provenance = z.discriminatedUnion('status', [
  z.object({ status: z.literal('official'), document: z.string().min(1) }),
  z.object({ status: z.literal('provisional'), note: z.string().optional() }),
]).describe('Where a number comes from: an official document, or provisional (not found in an official source)');

const finite = z.number().finite();

export const SurveyOption = z.object({
  code: z.string().min(1),
  value: finite.min(0).max(1).describe('share of the maximum that this answer earns'),
});

export const DEFAULT_SURVEY_OPTIONS = [
  { code: 'A', value: 1 }, { code: 'B', value: 0.6 }, { code: 'C', value: 0.2 }, { code: 'D', value: 0 },
];

export const Band = z.object({
  min: finite.describe('lower bound of the band (inclusive)'),
  points: finite.min(0).optional(),
  share: finite.min(0).max(1).optional().describe('share of max, instead of points'),
}).refine((b) => (b.points === undefined) !== (b.share === undefined), 'a band gives either points or share');

export const ScoringRule = z.discriminatedUnion('type', [
  z.object({ type: z.literal('points') }).describe('the value is the points, 0 ≤ v ≤ max'),
  z.object({ type: z.literal('binary') }).describe('1 (done) → max, 0 → 0'),
  z.object({
    type: z.literal('bands'),
    bands: z.array(Band).min(1).describe('thresholds, highest first; the first band whose min ≤ value applies'),
    range: z.tuple([finite, finite]).optional().describe('valid input range, default [0, 100]'),
  }),
  z.object({
    type: z.literal('proportional'),
    target: finite.positive(),
    cap: z.boolean().default(true).describe('cap at max when achieved exceeds target (else an error)'),
  }),
  z.object({
    type: z.literal('linear'),
    worst: finite, best: finite,
    cap: z.boolean().default(false).describe('clamp values beyond the goal-posts (else an error)'),
  }),
  z.object({
    type: z.literal('survey'),
    options: z.array(SurveyOption).min(1).default(DEFAULT_SURVEY_OPTIONS),
  }).describe('value: counts or shares per answer option, e.g. {"A": 120, "B": 30}'),
]);

export const Normalisation = z.discriminatedUnion('method', [
  z.object({ method: z.literal('minmax'), min: finite.default(0), max: finite.default(100) }),
  z.object({ method: z.literal('zscore'), mean: finite.default(0), sd: finite.positive().default(1) }),
  z.object({
    method: z.literal('goalposts'), lower: finite, upper: finite,
    scale: finite.positive().default(100),
  }),
  z.object({ method: z.literal('rank') }).describe('fractional rank (ties averaged), 1 = lowest'),
  z.object({ method: z.literal('percentile') }).describe('percentile rank in [0, 100]'),
  z.object({ method: z.literal('none') }),
]);

export const Aggregation = z.enum(['arithmetic', 'geometric']);
export const MissingRule = z.enum(['zero', 'skip', 'impute']);
export const Mode = z.enum(['points', 'weighted']);

export const GroupThreshold = z.object({ code: z.string().min(1), min: finite })
  .describe('an index ≥ min falls in this group; below the lowest threshold, the lowest group');
export const DEFAULT_GROUPS = [
  { code: 'A', min: 90 }, { code: 'B', min: 80 }, { code: 'C', min: 70 }, { code: 'D', min: 0 },
];

const nodeFields = {
  code: z.string().min(1).describe('1, 1.2, 1.2.3 …'),
  parent: z.string().min(1).nullish().describe('code of the parent node (flat form)'),
  name: LocalisedName.optional(),
  max: finite.optional().describe('points mode: the maximum points'),
  weight: finite.optional().describe('weighted mode: weight among siblings'),
  direction: z.union([z.literal(1), z.literal(-1)]).optional().describe('leaves: +1 higher is better, −1 lower is better'),
  source: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional()
    .describe('leaves: the score source(s) in order of precedence (appraisal, survey, self …)'),
  rule: ScoringRule.optional(),
  normalisation: Normalisation.optional(),
  aggregation: Aggregation.optional(),
  availabilityThreshold: finite.min(0).max(1).optional()
    .describe('share of children with data below which this node is missing'),
  provenance: Provenance.optional(),
};

export type NodeInput = z.infer<z.ZodObject<typeof nodeFields>> & { children?: NodeInput[] };
export const NodeInput: z.ZodType<NodeInput> = z.object({
  ...nodeFields,
  children: z.array(z.lazy(() => NodeInput)).optional().describe('nested form; alternative to parent'),
});

export const LegalDocument = z.object({
  document: z.string().min(1), date: z.string().optional(), title: z.string().optional(),
});

export const MethodologyInput = z.object({
  id: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  version: z.number().int().positive().default(1),
  name: LocalisedName.optional(),
  unitType: z.string().min(1).default('generic'),
  years: z.array(z.number().int()).default([]),
  legalBasis: z.array(LegalDocument).default([]),
  mode: Mode,
  missing: MissingRule,
  imputeBy: z.string().min(1).default('region').describe('impute: the unit attribute that forms groups'),
  total: finite.positive().optional().describe('points mode: declared total (checked against the root)'),
  groups: z.array(GroupThreshold).min(1).optional(),
  rounding: z.number().int().min(0).max(10).default(2),
  normalisation: Normalisation.optional().describe('weighted mode: default for leaves'),
  aggregation: Aggregation.default('arithmetic'),
  availabilityThreshold: finite.min(0).max(1).optional(),
  defaultRule: ScoringRule.nullable().default({ type: 'points' })
    .describe('points mode: rule of a leaf that names none; null requires a rule on every leaf'),
  notes: z.string().optional(),
  nodes: z.array(NodeInput).min(1),
});

export type MethodologyInput = z.input<typeof MethodologyInput>;
export type Methodology = z.output<typeof MethodologyInput>;
export type ScoringRule = z.output<typeof ScoringRule>;
export type Normalisation = z.output<typeof Normalisation>;
export type Provenance = z.output<typeof Provenance>;

export const ScoreValue = z.union([
  finite,
  z.record(z.string(), finite.min(0)).describe('survey: counts or shares per answer option'),
], { error: 'value must be a finite number, or survey answers per option such as {"A": 12, "B": 3}' });
export const ScoreInput = z.object({
  unit: z.string().min(1),
  indicator: z.string().min(1),
  source: z.string().min(1).optional(),
  value: ScoreValue.nullable(),
});
export type ScoreInput = z.infer<typeof ScoreInput>;
export type ScoreValue = z.infer<typeof ScoreValue>;

export const UnitInput = z.object({
  code: z.string().min(1),
  ranked: z.boolean().default(true),
  attributes: z.record(z.string(), z.string().nullable()).default({}),
});
export type UnitInput = z.input<typeof UnitInput>;
