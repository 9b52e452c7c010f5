// Writing scores, the one path for the API (PUT …/scores) and the workspace's forms: who may write
// what in which phase, every row checked against the schema and the methodology, all or nothing.
import type { Context } from 'hono';
import { EngineError, scoreRows, type CompiledMethodology, type UnitInput } from '../engine/index.js';
import type { CycleRow } from '../store/cycles.js';
import { cycleInputs } from '../store/results.js';
import { ingestScores, selfValues, type IngestOutcome, type IngestRow } from '../store/scores.js';
import { parseScoresCsv } from './csv.js';
import { requireCycle } from './cycle-context.js';
import { writeContext, type AppEnv } from './env.js';
import { authorizePhase, authorizeWriter, MAX_LISTED_ERRORS, requireAdjustmentReasons, requireSelfEvidence, rowProblem } from './permissions.js';
import { ApiProblem, issuesToErrors, zodToErrors, type FieldError } from './problem.js';
import { ScoreIn } from './schemas.js';

/**
 * Rows one upload may carry: checked before any row is validated (JSON: right after parsing;
 * CSV: the parser stops one row past it). A full province cycle is about 20,000 rows; the
 * largest upload benchmarked is 105,000. Beyond it, 413: split the upload (each request is all
 * or nothing by itself).
 */
export const MAX_UPLOAD_ROWS = 200_000;

/** `counted`: the whole body was counted (JSON); a CSV parse stops one row past the limit. */
export function checkRowCount(rows: number, counted: boolean): void {
  if (rows > MAX_UPLOAD_ROWS) {
    throw new ApiProblem('payload-too-large', `An upload carries at most ${MAX_UPLOAD_ROWS.toLocaleString('en')} rows; this one has ${counted ? rows.toLocaleString('en') : 'more'}. Split it into several uploads (each is all or nothing by itself); nothing was written.`);
  }
}

/**
 * The methodology's verdict on rows as a problem listing its first errors; any other failure (the
 * cycle changed meanwhile, storage) as it is. ingestScores's only EngineError is scoreRows's
 * verdict (invalid-scores), never empty, its issues in row order.
 */
function rethrowCapped(e: unknown): never {
  if (!(e instanceof EngineError)) throw e;
  const first = e.issues.slice(0, MAX_LISTED_ERRORS);
  const errors = issuesToErrors(first);
  const cut = e.issues.length > first.length ? ` ${e.issues.length} errors in all; the first ${first.length} are listed.` : '';
  throw new ApiProblem('invalid-scores', `${e.issues.length} problem(s); nothing was written. First: ${errors[0].message}.${cut}`, errors);
}

export interface ScoreBatch { cycle: CycleRow; compiled: CompiledMethodology; units: UnitInput[] }

/** The cycle (404 when there is none), its compiled methodology and its units: what rows are checked against. */
export async function scoreBatch(c: Context<AppEnv>, year: number, unitType: string): Promise<ScoreBatch> {
  const cycle = await requireCycle(c, year, unitType);
  const { compiled, units } = await cycleInputs(c.get('driver'), cycle);
  return { cycle, compiled, units };
}

/**
 * Checks each row against the schema. When some fail, throws one problem (validation-failed)
 * listing every bad row: schema errors, and the methodology's verdict (unknown unit or indicator,
 * range, duplicates) on the rows the schema accepted. Returns the rows when all pass the schema:
 * the methodology then checks them once, in ingestScores.
 */
export async function checkedRows(batch: ScoreBatch, raw: unknown[], known: FieldError[]): Promise<IngestRow[]> {
  const errors = [...known];
  const knownRows = new Set(known.map((e) => e.row));
  const accepted: { row: IngestRow; index: number }[] = [];
  raw.forEach((row, index) => {
    if (knownRows.has(index + 1)) return;
    const parsed = ScoreIn.safeParse(row);
    if (parsed.success) accepted.push({ row: parsed.data as IngestRow, index });
    else errors.push(...zodToErrors(parsed.error.issues).map((e) => ({ ...e, row: index + 1, pointer: `/scores/${index}${e.pointer}` })));
  });
  if (errors.length === 0) return accepted.map((a) => a.row);
  try {
    scoreRows(batch.compiled, accepted.map((a) => a.row), batch.units);
  } catch (e) {
    // Stryker disable next-line ConditionalExpression: anything but an EngineError is a bug, a 500 whether rethrown here or failing on its missing issues
    if (!(e instanceof EngineError)) throw e;
    // Stryker disable next-line ConditionalExpression: every issue scoreRows finds in rows names its row (a unit listed twice cannot come from the database)
    errors.push(...issuesToErrors(e.issues.map((i) => ({ ...i, row: i.row === undefined ? undefined : accepted[i.row].index }))));
  }
  throw rowProblem('validation-failed', errors, (n) => {
    const first = errors.reduce((a, b) => ((b.row ?? 0) < (a.row ?? 0) ? b : a));
    return `${n} bad row(s); nothing was written. First: row ${first.row}: ${first.field ? `${first.field}: ` : ''}${first.message}`;
  });
}

/** Rows of a CSV text: the row limit and the writer first, then cells, schema and methodology checked together. */
export async function csvScoreRows(c: Context<AppEnv>, batch: ScoreBatch, text: string): Promise<IngestRow[]> {
  const { rows, errors } = parseScoresCsv(text, MAX_UPLOAD_ROWS);
  checkRowCount(rows.length, false);
  authorizeWriter(c.get('actor'), rows);
  return checkedRows(batch, rows, errors.map((e) => ({ ...e, pointer: undefined })));
}

export interface WriteOutcome extends IngestOutcome { changed: boolean; message: string }

/**
 * Writes rows as the API's PUT …/scores does, for the API and the workspace's forms alike: the
 * actor's role and phase, the rows they may write, evidence on self-assessed rows, a reason on
 * appraised rows that differ from the self-assessment; then one atomic, audited write (or a dry run).
 * Every refusal is an ApiProblem naming the rows at fault; nothing is written then.
 */
export async function writeScores(c: Context<AppEnv>, batch: ScoreBatch, rows: IngestRow[], dryRun: boolean): Promise<WriteOutcome> {
  const actor = authorizePhase(c, batch.cycle);
  authorizeWriter(actor, rows);
  requireSelfEvidence(rows);
  if (actor.role === 'appraiser') requireAdjustmentReasons(rows, await selfValues(c.get('driver'), batch.cycle.id));
  const outcome = await ingestScores(c.get('driver'), batch.cycle, batch.compiled, batch.units, rows, writeContext(c), dryRun).catch(rethrowCapped);
  const changed = !dryRun && outcome.inserted + outcome.updated > 0;
  const message = dryRun
    ? `Dry run: every row is valid; ${outcome.inserted} would be inserted, ${outcome.updated} updated, ${outcome.unchanged} unchanged. Nothing was written.`
    : changed ? `${outcome.inserted} inserted, ${outcome.updated} updated, ${outcome.unchanged} unchanged.`
      : `All ${outcome.received} rows equal what is stored: nothing changed.`;
  return { ...outcome, changed, message };
}
