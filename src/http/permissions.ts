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
import { ApiProblem, type FieldError } from './problem.js';

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

/**
 * After the body is read: a unit writes its own self-assessment, an appraiser appraised scores;
 * then every self-assessed score, whoever writes it, comes with its evidence.
 */
export function authorizeRows(actor: Actor, rows: RowRef[]): void {
  if (actor.role !== 'admin') authorizeWriter(actor, rows);
  requireSelfEvidence(rows);
}

function authorizeWriter(actor: Actor, rows: RowRef[]): void {
  const bad = rows.flatMap((r, i): FieldError[] => actor.role === 'unit'
    ? [...(r.unit !== actor.unit ? [{ row: i + 1, field: 'unit', unit: r.unit, message: `your key writes for unit ${actor.unit} only` }] : []),
      ...(r.source !== 'self' ? [{ row: i + 1, field: 'source', unit: r.unit, message: 'units submit their self-assessment: source self (named on every row)' }] : [])]
    : r.source !== 'appraisal' ? [{ row: i + 1, field: 'source', unit: r.unit, message: 'appraisers write source appraisal (named on every row)' }] : []);
  if (bad.length) throw new ApiProblem('forbidden', `${bad.length} row(s) are outside what your key may write; nothing was written.`, bad);
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

function requireSelfEvidence(rows: RowRef[]): void {
  const missing = selfEvidenceErrors(rows);
  if (missing.length) throw new ApiProblem('validation-failed', `${missing.length} self-assessed score(s) without evidence or a note explaining its absence; nothing was written.`, missing);
}

/** An appraised score that differs from the unit's self-assessment needs a reason. */
export function requireAdjustmentReasons(rows: RowRef[], selfValues: Map<string, string | null>): void {
  const missing = rows.flatMap((r, i): FieldError[] => {
    if ((r.source ?? 'appraisal') !== 'appraisal' || r.reason) return [];
    const self = selfValues.get(`${r.unit}\u0000${r.indicator}`);
    return self !== undefined && self === JSON.stringify(r.value) ? [] : [{
      row: i + 1, field: 'reason', unit: r.unit, indicator: r.indicator,
      message: self === undefined ? 'no self-assessment to accept: an appraised score needs a reason' : `adjusts the self-assessed ${self}: a reason is required`,
    }];
  });
  if (missing.length) throw new ApiProblem('validation-failed', `${missing.length} adjustment(s) without a reason; nothing was written.`, missing);
}
