// Scores of a cycle: listing, and the all-or-nothing bulk upsert. The engine validates every row
// first; nothing is written unless every row is good; rows equal to what is stored change nothing.
import { and, eq, sql } from 'drizzle-orm';
import { cycles, results, scores } from '../../schema/tables.js';
import { visitScores, type CompiledMethodology, type ScoreInput, type UnitInput } from '../engine/index.js';
import type { CycleRow } from './cycles.js';
import { auditStep, ScoreChangesJson, type StoredScore, type WriteContext } from './audit.js';
import { cycleGuard, type BulkInsert, type Driver } from './driver.js';

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

/**
 * The cycle's scores as engine input. On better-sqlite3, as one JSON text that SQLite builds and
 * JSON.parse reads: creating a JavaScript value per column of every row was most of a read (6,174
 * rows 8.3 → 6.5 ms; 199,260 rows 0.6–1 s → 0.24–0.44 s). Not on D1, which caps a value at 2 MB:
 * there, read as arrays, not drizzle's row objects (which map every column of every row).
 */
export async function scoreInputs(d: Driver, cycleId: number): Promise<ScoreInput[]> {
  if (d.kind === 'sqlite') {
    const text = (await d.db.get<{ rows: string }>(sql`SELECT json_group_array(json_array(unit, indicator, source, json(value))) AS rows FROM scores WHERE cycle_id = ${cycleId}`)).rows;
    return (JSON.parse(text) as [string, string, string, ScoreInput['value']][]).map(([unit, indicator, source, value]) => ({ unit, indicator, source, value }));
  }
  let query = preparedInputs.get(d);
  if (!query) preparedInputs.set(d, (query = prepareScoreInputs(d)));
  const rows = await query.values({ cycleId }) as [string, string, string, string | null][];
  return rows.map(([unit, indicator, source, value]) => ({ unit, indicator, source, value: value === null ? null : parseStored(value) }));
}

/** The statement of scoreInputs, prepared once per database (building it cost as much as running it). */
const preparedInputs = new WeakMap<Driver, ReturnType<typeof prepareScoreInputs>>();
const prepareScoreInputs = (d: Driver) => d.db.select({ unit: scores.unit, indicator: scores.indicator, source: scores.source, value: sql<string | null>`${scores.value}` })
  .from(scores).where(eq(scores.cycleId, sql.placeholder('cycleId'))).prepare();

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A stored value's JSON text parsed. Numbers, nearly every value, are stored as String(n)
 * (storedValue): a JSON number is read by Number(), exactly as JSON.parse reads it and faster;
 * anything else (survey answers) by JSON.parse.
 */
function parseStored(text: string): ScoreInput['value'] {
  return JSON_NUMBER.test(text) ? Number(text) : JSON.parse(text);
}

/** One score's identity in a cycle, as a map key. */
export function scoreKey(unit: string, indicator: string, source: string): string {
  return `${unit}\u0000${indicator}\u0000${source}`;
}

export interface IngestRow extends ScoreInput { note?: string | null; evidence?: string | null; reason?: string | null }

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
  rows: IngestRow[], ctx: WriteContext, dryRun: boolean): Promise<IngestOutcome> {
  // Each row's resolved source and points, by row: visitScores hands on every row or throws.
  const sources: string[] = new Array(rows.length), points: (number | null)[] = new Array(rows.length);
  visitScores(compiled, rows, cycleUnits, (row, _unit, _slot, source, _precedence, value) => { sources[row] = source; points[row] = value; });
  const stored = await storedRows(d, cycle.id);
  const now = new Date().toISOString();
  const changed: unknown[][] = [];
  const changes = new ScoreChangesJson();
  let inserted = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i], source = sources[i];
    const after = { value: storedValue(row.value), note: row.note ?? null, evidence: row.evidence ?? null };
    const before = stored.size === 0 ? undefined : stored.get(scoreKey(row.unit, row.indicator, source));
    if (before === undefined) inserted++;
    else if (before.print === fingerprint(after)) continue;
    changed.push([cycle.id, row.unit, row.indicator, source, after.value, points[i], after.note, after.evidence, now, ctx.actorKey]);
    changes.add(row.unit, row.indicator, source, before ?? null, after, row.reason ?? null);
  }
  const outcome = { dryRun, received: rows.length, inserted, updated: changed.length - inserted, unchanged: rows.length - changed.length };
  if (dryRun || changed.length === 0) return { ...outcome, dataVersion: cycle.dataVersion };
  const upsert: BulkInsert = { head: UPSERT_HEAD, columns: 10, tail: UPSERT_TAIL, rows: changed };
  await d.atomic([
    cycleGuard(cycle.id, cycle.status, cycle.dataVersion),
    upsert,
    auditStep(ctx, changes.auditEntries(cycle.id), now),
    d.db.update(cycles).set({ dataVersion: sql`${cycles.dataVersion} + 1` }).where(eq(cycles.id, cycle.id)),
    d.db.delete(results).where(eq(results.cycleId, cycle.id)),
  ]);
  return { ...outcome, dataVersion: cycle.dataVersion + 1 };
}

/** A value as the scores table keeps it: JSON text (String() is JSON for finite numbers, and cheaper). */
function storedValue(value: IngestRow['value']): string | null {
  if (value === null) return null;
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function fingerprint(s: StoredScore): string {
  return `${s.value}\u0000${s.note}\u0000${s.evidence}`;
}

interface StoredRow extends StoredScore { print: string }

async function storedRows(d: Driver, cycleId: number): Promise<Map<string, StoredRow>> {
  const rows = await d.db.select({
    unit: scores.unit, indicator: scores.indicator, source: scores.source,
    value: sql<string | null>`${scores.value}`, note: scores.note, evidence: scores.evidence,
  }).from(scores).where(eq(scores.cycleId, cycleId));
  return new Map(rows.map((r) => [scoreKey(r.unit, r.indicator, r.source), { print: fingerprint(r), value: r.value, note: r.note, evidence: r.evidence }]));
}

/** Stored self-assessed values, to tell an appraiser's adjustment from an acceptance. */
export async function selfValues(d: Driver, cycleId: number): Promise<Map<string, string | null>> {
  const rows = await d.db.select({ unit: scores.unit, indicator: scores.indicator, value: sql<string | null>`${scores.value}` })
    .from(scores).where(and(eq(scores.cycleId, cycleId), eq(scores.source, 'self')));
  return new Map(rows.map((r) => [`${r.unit}\u0000${r.indicator}`, r.value]));
}
