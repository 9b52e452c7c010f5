// The audit trail: every accepted write, recorded in the same atomic step list as the change.
import { and, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { cycles } from '../../schema/tables.js';
import { audit } from '../../schema/tables.js';
import type { BulkInsert, Driver } from './driver.js';

/** Who writes, and in which request: every write function of the store takes one. */
export interface WriteContext { actorKey: string; actorRole: string; requestId: string }

export interface AuditEntry {
  action: string;
  cycleId?: number | null;
  unit?: string | null;
  indicator?: string | null;
  source?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  /** a score upload's changes to one unit's scores: JSON text of StoredScoreChange[] (ScoreChangesJson) */
  changes?: string;
}

// A score upload's changes are stored as tuples, not objects, and without trailing nulls: the
// audit of a 6,000-row upload then weighs a third of what it would, and writes that much faster.

/** A score as the audit keeps it: [value] when it has neither note nor evidence. */
export type StoredScoreState = [value: unknown] | [value: unknown, note: string | null, evidence: string | null];
/** One score's change: before is null for a new score; the reason is left out when there is none. */
export type StoredScoreChange = [indicator: string, source: string, before: StoredScoreState | null, after: StoredScoreState, reason?: string];

/** A score as the scores table keeps it: its value as JSON text. */
export interface StoredScore { value: string | null; note: string | null; evidence: string | null }

const quote = (text: string | null) => (text === null ? 'null' : JSON.stringify(text));

/**
 * An upload's changes, unit by unit, written straight as the JSON text of StoredScoreChange[]:
 * values arrive as the JSON text the scores table keeps, so a 6,000-row upload builds no
 * 18,000 arrays only to serialise them. A unit whose changes pass MAX_CHANGES_TEXT (long notes
 * and reasons) continues in a further entry: D1 refuses a string over 2 MB.
 */
interface UnitChanges { unit: string; changes: string[]; length: number }

export class ScoreChangesJson {
  private readonly entries: UnitChanges[] = [];
  private readonly open = new Map<string, UnitChanges>(); // the entry each unit writes into
  private readonly quoted = new Map<string, string>(); // codes repeat on every unit
  private last: UnitChanges | undefined;

  add(unit: string, indicator: string, source: string, before: StoredScore | null, after: StoredScore, reason: string | null): void {
    const tail = reason === null ? ']' : `,${quote(reason)}]`;
    const change = `[${this.code(indicator)},${this.code(source)},${before ? state(before) : 'null'},${state(after)}${tail}`;
    let entry = this.last?.unit === unit ? this.last : this.open.get(unit); // rows come grouped by unit
    if (!entry || entry.length + change.length > MAX_CHANGES_TEXT) {
      entry = { unit, changes: [], length: 0 };
      this.entries.push(entry);
      this.open.set(unit, entry);
    }
    entry.changes.push(change);
    entry.length += change.length + 1;
    this.last = entry;
  }

  auditEntries(cycleId: number): AuditEntry[] {
    return this.entries.map(({ unit, changes }) => ({ action: 'scores.upsert', cycleId, unit, changes: `[${changes.join(',')}]` }));
  }

  private code(text: string): string {
    let q = this.quoted.get(text);
    if (q === undefined) this.quoted.set(text, (q = quote(text)));
    return q;
  }
}

/** UTF-16 units of one entry's changes: at most 3 bytes each in UTF-8, well under D1's 2 MB. */
export const MAX_CHANGES_TEXT = 256 * 1024;

function state(s: StoredScore): string {
  const value = s.value ?? 'null';
  return s.note === null && s.evidence === null ? `[${value}]` : `[${value},${quote(s.note)},${quote(s.evidence)}]`;
}

const presentState = (s: StoredScoreState | null) => s && { value: s[0], note: s[1] ?? null, evidence: s[2] ?? null };

/** Stored changes as the API shows them. */
function presentChanges(json: string | null) {
  if (json === null) return null;
  return (JSON.parse(json) as StoredScoreChange[]).map(([indicator, source, before, after, reason]) =>
    ({ indicator, source, before: presentState(before), after: presentState(after)!, reason: reason ?? null }));
}

const COLUMNS = ['at', 'request_id', 'actor_key', 'actor_role', 'action', 'cycle_id', 'unit', 'indicator', 'source', 'before', 'after', 'reason', 'changes'];

/** Audit rows as one bulk step, to run in the same transaction or batch as the change. */
export function auditStep(ctx: WriteContext, entries: AuditEntry[], at = new Date().toISOString()): BulkInsert {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  return {
    head: `INSERT INTO audit (${COLUMNS.join(', ')}) VALUES`, columns: COLUMNS.length, tail: '',
    rows: entries.map((e) => [at, ctx.requestId, ctx.actorKey, ctx.actorRole, e.action, e.cycleId ?? null, e.unit ?? null,
      e.indicator ?? null, e.source ?? null, json(e.before), json(e.after), e.reason ?? null, e.changes ?? null]),
  };
}

export interface AuditFilter { cycleId?: number; unit?: string; actor?: string; from?: string; to?: string; limit?: number }

export async function listAudit(d: Driver, f: AuditFilter) {
  const conditions: (SQL | undefined)[] = [
    f.cycleId !== undefined ? eq(audit.cycleId, f.cycleId) : undefined,
    f.unit ? eq(audit.unit, f.unit) : undefined,
    f.actor ? eq(audit.actorKey, f.actor) : undefined,
    f.from ? gte(audit.at, f.from) : undefined,
    f.to ? lte(audit.at, f.to) : undefined,
  ];
  const rows = await d.db.select().from(audit).where(and(...conditions)).orderBy(desc(audit.id)).limit(f.limit ?? 1000);
  const parse = (v: string | null) => (v === null ? null : JSON.parse(v));
  return rows.map((r) => ({ ...r, before: parse(r.before), after: parse(r.after), changes: presentChanges(r.changes) }));
}

/** The audit row of a cycle's creation, naming the cycle inserted in the same transaction. */
export function auditCycleCreate(d: Driver, ctx: WriteContext, year: number, unitType: string, after: unknown) {
  return d.db.insert(audit).values({
    at: new Date().toISOString(), requestId: ctx.requestId, actorKey: ctx.actorKey, actorRole: ctx.actorRole, action: 'cycle.create',
    cycleId: sql`(select ${cycles.id} from ${cycles} where ${cycles.year} = ${year} and ${cycles.unitType} = ${unitType})`,
    after: JSON.stringify(after),
  });
}
