// Who may write which scores in which phase of a cycle.
//   open        units submit their self-assessment (their own unit, source self); admins anything
//   appraisal   appraisers write appraised scores (source appraisal); admins load surveys
//   review      closed: results are computed for review
//   published   frozen: an admin opens a correction first
//   correction  admins only
// In every phase, a self-assessed score (whoever writes it) names its evidence, or a note saying why there is none.
import type { CycleRow } from '../store/cycles.js';
import { requireRole } from './auth.js';
import type { Actor, AppEnv } from './env.js';
import type { Context } from 'hono';
import { ApiProblem, type FieldError, type ProblemType } from './problem.js';

interface RowRef {
  unit: string; indicator: string; source?: string; value: unknown;
  note?: string | null; evidence?: string | null; reason?: string | null;
}

/** Before the body is read: a key whose role may write in the cycle's current phase. */
export function authorizePhase(c: Context<AppEnv>, cycle: CycleRow): Actor {
  const actor = requireRole(c, 'admin', 'appraiser', 'unit');
  const status = cycle.status;
  if (status === 'published') throw new ApiProblem('conflict', `The ${cycle.year} ${cycle.unitType} cycle is published (revision ${cycle.revision}): its numbers are frozen. An admin opens a correction first (POST …/status {"status":"correction","reason":…}).`);
  if (status === 'review') throw new ApiProblem('conflict', `The ${cycle.year} ${cycle.unitType} cycle is in review: scores are closed.`);
  if (actor.role === 'admin') return actor;
  if (status === 'correction') throw new ApiProblem('forbidden', 'Only admins write scores during a correction.');
  const phase = actor.role === 'unit' ? 'open' : 'appraisal';
  if (status !== phase) {
    throw new ApiProblem('conflict', `The cycle is in ${status}; ${actor.role === 'unit' ? 'self-assessment' : 'appraisal'} happens in the ${phase} phase.`);
  }
  return actor;
}

/** A problem lists at most this many errors; its detail gives how many there are in all. */
export const MAX_LISTED_ERRORS = 100;

/**
 * A problem about rows, listing the first MAX_LISTED_ERRORS errors in row order: a batch of
 * 200,000 bad rows answers a short document, not one error per row. `summary` gets the number of
 * rows at fault; the detail adds the total count of errors when the list is cut.
 */
export function rowProblem(type: ProblemType, errors: FieldError[], summary: (rows: number) => string): ApiProblem {
  const sorted = [...errors].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const rows = new Set(sorted.map((e) => e.row)).size;
  const cut = sorted.length > MAX_LISTED_ERRORS ? ` ${sorted.length} errors in all; the first ${MAX_LISTED_ERRORS} are listed.` : '';
  return new ApiProblem(type, `${summary(rows)}${cut}`, sorted.slice(0, MAX_LISTED_ERRORS));
}

/** The same problem with its error list cut to the first MAX_LISTED_ERRORS (the count in the detail). */
export function capped(p: ApiProblem): ApiProblem {
  if (!p.errors || p.errors.length <= MAX_LISTED_ERRORS) return p;
  return new ApiProblem(p.type, `${p.detail} ${p.errors.length} errors in all; the first ${MAX_LISTED_ERRORS} are listed.`, p.errors.slice(0, MAX_LISTED_ERRORS), p.headers);
}

/**
 * Before any row is validated: a unit key writes its own unit's self-assessment (source self),
 * an appraiser appraised scores (source appraisal), named on every row; admins anything. Rows
 * that are not objects are left to the schema. One pass, no allocation per good row: a unit's
 * upload naming another unit is refused (403) at once, whatever its size.
 */
export function authorizeWriter(actor: Actor, rows: readonly unknown[]): void {
  if (actor.role === 'admin') return;
  const listed: FieldError[] = [];
  let errors = 0, badRows = 0;
  rows.forEach((raw, i) => {
    if (raw === null || typeof raw !== 'object') return;
    const found = writerErrors(actor, raw as Partial<RowRef>, i + 1);
    if (found.length === 0) return;
    badRows++;
    errors += found.length;
    listed.push(...found.slice(0, MAX_LISTED_ERRORS - listed.length));
  });
  if (errors === 0) return;
  const cut = errors > listed.length ? ` ${errors} errors in all; the first ${listed.length} are listed.` : '';
  throw new ApiProblem('forbidden', `${badRows} row(s) are outside what your key may write; nothing was written.${cut}`, listed);
}

const NONE: FieldError[] = [];

function writerErrors(actor: Actor, r: Partial<RowRef>, row: number): FieldError[] {
  const unit = typeof r.unit === 'string' ? r.unit : undefined;
  if (actor.role !== 'unit') {
    return r.source === 'appraisal' ? NONE : [{ row, field: 'source', unit, message: 'appraisers write source appraisal (named on every row)' }];
  }
  // Stryker disable next-line ConditionalExpression,StringLiteral: the fast path of a good row (no allocation); the list below is empty for it too
  if (r.unit === actor.unit && r.source === 'self') return NONE;
  return [
    ...(r.unit !== actor.unit ? [{ row, field: 'unit', unit, message: `your key writes for unit ${actor.unit} only` }] : []),
    ...(r.source !== 'self' ? [{ row, field: 'source', unit, message: 'units submit their self-assessment: source self (named on every row)' }] : []),
  ];
}

const given = (text: string | null | undefined) => text !== null && text !== undefined && text.trim() !== '';

/**
 * The official guidance: a self-assessed score names its evidence (tài liệu kiểm chứng), or
 * explains in its note why there is none. A row without a value (null: no data) claims nothing.
 */
export function selfEvidenceErrors(rows: RowRef[]): FieldError[] {
  return rows.flatMap((r, i): FieldError[] => r.source !== 'self' || r.value === null || given(r.evidence) || given(r.note) ? [] : [{
    row: i + 1, field: 'evidence', unit: r.unit, indicator: r.indicator,
    message: 'a self-assessed score names its evidence, or says in note why there is none',
  }]);
}

/** After the schema: every self-assessed score, whoever writes it, comes with its evidence. */
export function requireSelfEvidence(rows: RowRef[]): void {
  const missing = selfEvidenceErrors(rows);
  if (missing.length) throw rowProblem('validation-failed', missing, (n) => `${n} self-assessed score(s) without evidence or a note explaining its absence; nothing was written.`);
}

/** An appraised score that differs from the unit's self-assessment needs a reason. */
export function requireAdjustmentReasons(rows: RowRef[], selfValues: Map<string, string | null>): void {
  const missing = rows.flatMap((r, i): FieldError[] => {
    if ((r.source ?? 'appraisal') !== 'appraisal' || r.reason) return [];
    const self = selfValues.get(`${r.unit}\u0000${r.indicator}`);
    // A schema-valid value (null at least) always stringifies: no self-assessment (undefined) never matches it.
    return self === JSON.stringify(r.value) ? [] : [{
      row: i + 1, field: 'reason', unit: r.unit, indicator: r.indicator,
      message: self === undefined ? 'no self-assessment to accept: an appraised score needs a reason' : `adjusts the self-assessed ${self}: a reason is required`,
    }];
  });
  if (missing.length) throw rowProblem('validation-failed', missing, (n) => `${n} adjustment(s) without a reason; nothing was written.`);
}
