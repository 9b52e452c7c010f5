// Panel scores in: rows that carry their year. The year computed is scored and put through the
// pipeline; the other years are scored alone (validated as any scores, never treated) and only
// feed the panel imputation methods. A row without a year belongs to the year computed.
import type { CompiledMethodology } from './compile.js';
import { EngineError } from './errors.js';
import type { ScoreInput, UnitInput } from './model.js';
import { applyPipeline, withoutPipeline } from './pipeline.js';
import type { Panel } from './panel.js';
import { prepareScores, type ScoreMatrix } from './scores.js';

export type PanelScore = ScoreInput & { year?: number };

/** The computed year: the one asked, else the latest a row names. */
export function panelYear(scores: PanelScore[], year?: number): number | undefined {
  if (year !== undefined) return year;
  let latest: number | undefined;
  for (const s of scores) {
    // Stryker disable next-line ConditionalExpression: a row without a year would set an undefined latest to undefined, and is never above a latest
    if (s.year === undefined) continue;
    // Stryker disable next-line EqualityOperator: a year equal to the latest is the same latest
    if (latest === undefined || s.year > latest) latest = s.year;
  }
  return latest;
}

/** The scores as they come (no pipeline step): the year computed and, for a panel, every year. */
export interface RawData { matrix: ScoreMatrix; panel?: Panel }

/** Raw matrices by year; without a year (no row names one) the scores are one cross-section. */
export function rawData(c: CompiledMethodology, scores: PanelScore[], units: UnitInput[] | undefined, year?: number): RawData {
  const raw = withoutPipeline(c);
  const computed = panelYear(scores, year);
  if (computed === undefined) return { matrix: scored(raw, { rows: scores, at: scores.map((_, i) => i) }, units) };
  const byYear = new Map<number, { rows: ScoreInput[]; at: number[] }>();
  scores.forEach(({ year: y = computed, ...row }, at) => {
    const entry = byYear.get(y) ?? { rows: [], at: [] };
    entry.rows.push(row); entry.at.push(at);
    byYear.set(y, entry);
  });
  const everyUnit = units ?? [...new Set(scores.map((s) => s.unit))].map((code) => ({ code }));
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const matrices = years.map((y) => scored(raw, byYear.get(y)!, everyUnit));
  // Stryker disable next-line ArrayDeclaration: the places of rows only place problems, and a year without rows has none
  const matrix = matrices[years.indexOf(computed)] ?? scored(raw, { rows: [], at: [] }, everyUnit);
  return { matrix, panel: { year: computed, years, values: matrices.map((m) => m.values) } };
}

/** The computed year's matrix after the methodology's pipeline. */
export function preparePanel(c: CompiledMethodology, scores: PanelScore[], units: UnitInput[] | undefined, year?: number): ScoreMatrix {
  const { matrix, panel } = rawData(c, scores, units, year);
  return applyPipeline(c, matrix, panel);
}

/** One year's raw matrix; a bad row is reported at its place in the whole request. */
function scored(raw: CompiledMethodology, year: { rows: ScoreInput[]; at: number[] }, units: UnitInput[] | undefined): ScoreMatrix {
  try {
    return prepareScores(raw, year.rows, units);
  } catch (e) {
    // Stryker disable next-line ConditionalExpression: prepareScores throws only EngineErrors; anything else would throw all the same
    if (!(e instanceof EngineError)) throw e;
    // Stryker disable next-line ConditionalExpression: an issue without a row would get row: undefined, which is no row (JSON drops it)
    throw new EngineError(e.kind, e.issues.map((issue) => (issue.row === undefined ? issue : { ...issue, row: year.at[issue.row] })));
  }
}
