// Scores of a cycle: listing, and the all-or-nothing bulk upsert. The engine validates every row
// first; nothing is written unless every row is good; rows equal to what is stored change nothing.
import { and, eq, sql } from 'drizzle-orm';
import { cycles, results, scores } from '../../schema/tables.js';
import { scoreRows, type CompiledMethodology, type ScoreInput, type UnitInput } from '../engine/index.js';
import type { CycleRow } from './cycles.js';
import type { BulkInsert, Driver } from './driver.js';

export type ScoreRow = typeof scores.$inferSelect;

export interface ScoreFilter { unit?: string; indicator?: string; source?: string }

export async function listScores(d: Driver, cycleId: number, filter: ScoreFilter = {}): Promise<ScoreRow[]> {
  return d.db.select().from(scores).where(and(
    eq(scores.cycleId, cycleId),
    filter.unit ? eq(scores.unit, filter.unit) : undefined,
    filter.indicator ? eq(scores.indicator, filter.indicator) : undefined,
    filter.source ? eq(scores.source, filter.source) : undefined,
  )).orderBy(scores.unit, scores.indicator, scores.source);
}

/** The cycle's scores as engine input. */
export async function scoreInputs(d: Driver, cycleId: number): Promise<ScoreInput[]> {
  const rows = await d.db.select({ unit: scores.unit, indicator: scores.indicator, source: scores.source, value: scores.value })
    .from(scores).where(eq(scores.cycleId, cycleId));
  return rows.map((r) => ({ unit: r.unit, indicator: r.indicator, source: r.source, value: r.value ?? null }));
}

export interface IngestRow extends ScoreInput { note?: string | null; evidence?: string | null }

export interface IngestOutcome {
  dryRun: boolean;
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** the cycle's data version after the write */
  dataVersion: number;
}

const UPSERT_HEAD = 'INSERT INTO scores (cycle_id, unit, indicator, source, value, points, note, evidence, updated_at, updated_by) VALUES';
const UPSERT_TAIL = 'ON CONFLICT (cycle_id, unit, indicator, source) DO UPDATE SET value = excluded.value, points = excluded.points, '
  + 'note = excluded.note, evidence = excluded.evidence, updated_at = excluded.updated_at, updated_by = excluded.updated_by';

/**
 * Validates every row against the cycle's methodology and units (EngineError lists every bad
 * row), then writes the rows that differ from what is stored, all or nothing, bumping the
 * cycle's data version and dropping its cached results in the same transaction.
 */
export async function ingestScores(d: Driver, cycle: CycleRow, compiled: CompiledMethodology, cycleUnits: UnitInput[],
  rows: IngestRow[], actor: string, dryRun: boolean): Promise<IngestOutcome> {
  const scored = scoreRows(compiled, rows, cycleUnits).rows;
  const stored = await storedFingerprints(d, cycle.id);
  const now = new Date().toISOString();
  const changed: unknown[][] = [];
  let inserted = 0;
  rows.forEach((row, i) => {
    const source = scored[i].source;
    const value = row.value === null ? null : JSON.stringify(row.value);
    const note = row.note ?? null, evidence = row.evidence ?? null;
    const before = stored.get(`${row.unit}\u0000${row.indicator}\u0000${source}`);
    if (before === undefined) inserted++;
    else if (before === fingerprint(value, note, evidence)) return;
    changed.push([cycle.id, row.unit, row.indicator, source, value, scored[i].value, note, evidence, now, actor]);
  });
  const outcome = { dryRun, received: rows.length, inserted, updated: changed.length - inserted, unchanged: rows.length - changed.length };
  if (dryRun || changed.length === 0) return { ...outcome, dataVersion: cycle.dataVersion };
  const upsert: BulkInsert = { head: UPSERT_HEAD, columns: 10, tail: UPSERT_TAIL, rows: changed };
  await d.atomic([
    upsert,
    d.db.update(cycles).set({ dataVersion: sql`${cycles.dataVersion} + 1` }).where(eq(cycles.id, cycle.id)),
    d.db.delete(results).where(eq(results.cycleId, cycle.id)),
  ]);
  return { ...outcome, dataVersion: cycle.dataVersion + 1 };
}

function fingerprint(value: string | null, note: string | null, evidence: string | null): string {
  return `${value}\u0000${note}\u0000${evidence}`;
}

async function storedFingerprints(d: Driver, cycleId: number): Promise<Map<string, string>> {
  const rows = await d.db.select({
    key: sql<string>`unit || char(0) || indicator || char(0) || source`,
    print: sql<string>`coalesce(value, 'null') || char(0) || coalesce(note, 'null') || char(0) || coalesce(evidence, 'null')`,
  }).from(scores).where(eq(scores.cycleId, cycleId));
  return new Map(rows.map((r) => [r.key, r.print]));
}
