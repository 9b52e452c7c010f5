// The audit trail: every accepted write, recorded in the same atomic step list as the change.
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
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

/** Every kind of write the audit records. */
export const AUDIT_ACTIONS = ['methodology.create', 'cycle.create', 'cycle.status', 'cycle.publish', 'scores.upsert', 'api-key.create', 'api-key.revoke'] as const;

export interface AuditFilter {
  cycleId?: number; unit?: string; actor?: string; action?: string;
  /** a date or time (UTC unless it names an offset): from the start of the day, minute, second … it names */
  from?: string;
  /** likewise, up to the end of the period it names: to=2026-12-02 is the whole of that day */
  to?: string;
  /** entries older than this id: the cursor of the next page */
  before?: number;
  limit?: number;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * The period a bound names, as the instants [start, end) in the form `at` is stored in
 * (toISOString: UTC, milliseconds), so that a string comparison in SQL compares instants.
 * A date is the whole day; a time to the minute the whole minute, and so on. Undefined for
 * text that names no real instant (2025-13-45, 24:00).
 */
export function auditPeriod(text: string): { start: string; end: string } | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const wall = Date.UTC(+y, +mo - 1, +d, +(h ?? 0), +(mi ?? 0), +(sec ?? 0), +(frac ?? '').padEnd(3, '0').slice(0, 3));
  const check = new Date(wall);
  if (check.getUTCFullYear() !== +y || check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d
    || check.getUTCHours() !== +(h ?? 0) || check.getUTCMinutes() !== +(mi ?? 0) || check.getUTCSeconds() !== +(sec ?? 0)) return undefined;
  const offset = !zone || zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (+zone.slice(1, 3) * 60 + +zone.slice(4, 6)) * 60_000;
  const length = h === undefined ? 86_400_000 : sec === undefined ? 60_000 : frac === undefined ? 1000 : Math.max(1, 10 ** (3 - frac.length));
  const start = wall - offset;
  return { start: new Date(start).toISOString(), end: new Date(start + length).toISOString() };
}

function period(text: string): { start: string; end: string } {
  const p = auditPeriod(text);
  if (!p) throw new RangeError(`${text} is not a date or time (YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.sss]][Z|±hh:mm])`);
  return p;
}

export async function listAudit(d: Driver, f: AuditFilter) {
  const conditions: (SQL | undefined)[] = [
    f.cycleId !== undefined ? eq(audit.cycleId, f.cycleId) : undefined,
    f.unit ? eq(audit.unit, f.unit) : undefined,
    f.actor ? eq(audit.actorKey, f.actor) : undefined,
    f.action ? eq(audit.action, f.action) : undefined,
    f.from ? gte(audit.at, period(f.from).start) : undefined,
    f.to ? lt(audit.at, period(f.to).end) : undefined,
    f.before !== undefined ? lt(audit.id, f.before) : undefined,
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
