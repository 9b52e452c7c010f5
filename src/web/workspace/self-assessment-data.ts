// What the self-assessment page reads of a unit: its self-assessed rows, the appraised rows with
// the appraiser's reasons, and its draft scorecard where the visibility rules let the reader see it.
import type { Context } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { ApiProblem } from '../../http/problem.js';
import { viewFor } from '../../http/visibility.js';
import { listAudit } from '../../store/audit.js';
import type { CycleRow } from '../../store/cycles.js';
import { cycleReport } from '../../store/results.js';
import { listScores, type ScoreRow } from '../../store/scores.js';

export interface Appraised { value: ScoreRow['value']; reason: string | null }

export interface UnitScores { self: ScoreRow[]; appraised: Map<string, Appraised> }

const APPRAISAL = 'appraisal';

export async function unitScores(c: Context<AppEnv>, cycle: CycleRow, unit: string): Promise<UnitScores> {
  const d = c.get('driver');
  const [self, appraisal] = await Promise.all([
    listScores(d, cycle.id, { unit, source: 'self' }),
    listScores(d, cycle.id, { unit, source: APPRAISAL }),
  ]);
  const reasons = appraisal.length ? await appraisalReasons(c, cycle, unit) : new Map<string, string | null>();
  return { self, appraised: new Map(appraisal.map((r) => [r.indicator, { value: r.value, reason: reasons.get(r.indicator) ?? null }])) };
}

/**
 * The reason of each appraised score's latest change: the audit keeps it with the change (the
 * scores table holds values, not reasons). Newest entries first, so the first one seen is the latest.
 */
async function appraisalReasons(c: Context<AppEnv>, cycle: CycleRow, unit: string): Promise<Map<string, string | null>> {
  const reasons = new Map<string, string | null>();
  for (const entry of await listAudit(c.get('driver'), { cycleId: cycle.id, unit })) {
    for (const change of [...(entry.changes ?? [])].reverse()) {
      if (change.source === APPRAISAL && !reasons.has(change.indicator)) reasons.set(change.indicator, change.reason);
    }
  }
  return reasons;
}

export interface DraftScorecard {
  index: number | null;
  domains: { code: string; name?: { vi: string; en: string }; points: number | null; max: number | null }[];
}

/** The unit's draft as the results route computes it, or null where viewFor refuses the reader its draft. */
export async function draftScorecard(c: Context<AppEnv>, cycle: CycleRow, unit: string): Promise<DraftScorecard | null> {
  try {
    await viewFor(c, cycle, { revision: 'draft', unit });
  } catch (err) {
    if (err instanceof ApiProblem) return null;
    throw err;
  }
  const report = await cycleReport(c.get('driver'), cycle);
  const row = report.rows.find((r) => r.unit === unit);
  if (!row) return null;
  return {
    index: row.index,
    domains: report.domains.map((dm) => ({ code: dm.code, name: dm.name, points: row.nodes[dm.code]?.points ?? null, max: row.nodes[dm.code]?.max ?? dm.max })),
  };
}
