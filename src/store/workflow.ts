// The publication workflow of a cycle. Each transition is explicit, allowed from one phase only,
// and recorded; publishing freezes the results and scores as a numbered revision: one canonical
// JSON bundle, stored as published and hashed, that anyone can fetch and check against its hash.
import { and, desc, eq } from 'drizzle-orm';
import { cycles, revisionParts, revisions } from '../../schema/tables.js';
import { auditStep, type WriteContext } from './audit.js';
import { canonicalJson, sha256Hex } from './crypto.js';
import { writerRoles } from './keys.js';
import type { CycleRow } from './cycles.js';
import { cycleGuard, driverCache, type Driver } from './driver.js';
import { cycleReport, type CycleReport } from './results.js';
import { listScores, scoreKey } from './scores.js';

export const STATUSES = ['open', 'appraisal', 'review', 'published', 'correction'] as const;
export type Status = (typeof STATUSES)[number];

/** For each target status: the phases it may follow, the roles that may make it, whether it needs a reason. */
export const TRANSITIONS: Record<Exclude<Status, 'open'>, { from: Status[]; roles: string[]; reason: boolean }> = {
  appraisal: { from: ['open'], roles: ['admin'], reason: false },
  review: { from: ['appraisal'], roles: ['admin', 'appraiser'], reason: false },
  published: { from: ['review', 'correction'], roles: ['admin'], reason: false },
  correction: { from: ['published'], roles: ['admin'], reason: true },
};

export type RevisionRow = typeof revisions.$inferSelect;

export interface FrozenRevision { revision: RevisionRow; report: CycleReport; scores: FrozenScore[] }
/** A score as frozen in a publication: updatedBy is the writer's role, never a key id (bundles are public). */
export interface FrozenScore { unit: string; indicator: string; source: string; value: unknown; points: number | null; note: string | null; evidence: string | null; updatedAt: string; updatedBy: string }

/** Names the shape of a publication bundle; a new shape gets a new number. */
export const BUNDLE_FORMAT = 'par-index-publication/1';

/**
 * The publication bundle: everything a publication says, as one canonical JSON document (keys
 * sorted, no whitespace: canonicalJson). These exact bytes are stored, served at
 * …/revisions/{n}/bundle, and hashed into the revision's contentHash, so anyone can check it.
 */
export interface PublicationBundle {
  format: typeof BUNDLE_FORMAT;
  cycle: { year: number; unitType: string };
  revision: number;
  methodology: { id: string; version: number };
  publishedAt: string;
  reason: string | null;
  /** present only when the publication names its decision: bundles published without one keep their bytes and hash */
  decision?: Decision;
  report: CycleReport;
  scores: FrozenScore[];
}

/** The decision that publishes a revision: its number as issued (NFC, e.g. 268/QĐ-BNV) and its date (ISO, YYYY-MM-DD). */
export interface Decision { number: string; date: string }

/** A revision's decision, if it was published with one. */
export const decisionOf = (r: RevisionRow): Decision | null =>
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a revision stores its decision's number and date together or neither (StatusIn requires both)
  r.decisionNumber !== null && r.decisionDate !== null ? { number: r.decisionNumber, date: r.decisionDate } : null;

/**
 * Moves the cycle to `to`; publishing freezes a new revision in the same atomic write, with the
 * decision that publishes it (stored on the revision and covered by its content hash).
 */
export async function transition(d: Driver, ctx: WriteContext, cycle: CycleRow, to: Status, reason: string | null, decision: Decision | null = null): Promise<RevisionRow | null> {
  const now = new Date().toISOString();
  const before = { status: cycle.status, revision: cycle.revision };
  const guard = cycleGuard(cycle.id, cycle.status, cycle.dataVersion);
  if (to !== 'published') {
    await d.atomic([
      guard,
      d.db.update(cycles).set({ status: to }).where(eq(cycles.id, cycle.id)),
      auditStep(ctx, [{ action: 'cycle.status', cycleId: cycle.id, before, after: { status: to, revision: cycle.revision }, reason }], now),
    ]);
    return null;
  }
  const number = cycle.revision + 1;
  const text = canonicalJson(await freeze(d, cycle, number, now, reason, decision));
  const revision: RevisionRow = {
    cycleId: cycle.id, revision: number, methodologyId: cycle.methodologyId, methodologyVersion: cycle.methodologyVersion,
    contentHash: await sha256Hex(text), publishedAt: now, publishedBy: ctx.actorKey, reason,
    decisionNumber: decision?.number ?? null, decisionDate: decision?.date ?? null,
  };
  await d.atomic([
    guard,
    d.db.insert(revisions).values(revision),
    ...pieces(text).map((body, seq) => d.db.insert(revisionParts).values({ cycleId: cycle.id, revision: number, part: 'bundle', seq, body })),
    d.db.update(cycles).set({ status: 'published', revision: number }).where(eq(cycles.id, cycle.id)),
    auditStep(ctx, [{ action: 'cycle.publish', cycleId: cycle.id, before, after: { status: 'published', revision: number, contentHash: revision.contentHash, ...(decision && { decision }) }, reason }], now),
  ]);
  return revision;
}

/** The bundle of the cycle as it is now: its report (as published) and its scores, writers by role. */
async function freeze(d: Driver, cycle: CycleRow, revision: number, publishedAt: string, reason: string | null, decision: Decision | null): Promise<PublicationBundle> {
  const { report, scores } = await draftContent(d, cycle);
  return {
    format: BUNDLE_FORMAT, cycle: { year: cycle.year, unitType: cycle.unitType }, revision,
    methodology: { id: cycle.methodologyId, version: cycle.methodologyVersion }, publishedAt, reason,
    ...(decision && { decision }),
    report: { ...report, cycle: { ...report.cycle, status: 'published' } },
    scores,
  };
}

/** The cycle's content as publishing it now would freeze it: its report and its scores, writers by role. */
export async function draftContent(d: Driver, cycle: CycleRow): Promise<Frozen> {
  const report = await cycleReport(d, cycle);
  const rows = await listScores(d, cycle.id);
  // Stryker disable next-line ArrowFunction: the ids only decide whether api_keys is read at all; read anyway, it gives the same roles
  const roleOf = await writerRoles(d, rows.map((r) => r.updatedBy));
  return { report, scores: rows.map(({ cycleId: _, ...s }) => ({ ...s, value: s.value ?? null, updatedBy: roleOf(s.updatedBy) })) };
}

/** A published revision, parsed once: revisions never change. */
export async function getRevision(d: Driver, cycleId: number, revision: number): Promise<FrozenRevision | undefined> {
  // Stryker disable next-line StringLiteral: the name only keeps this cache apart from the driver's others, which no other name, the empty one included, shares
  const cache = driverCache<string, FrozenRevision>(d, 'revisions', 100);
  const key = `${cycleId}:${revision}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const row = await revisionRow(d, cycleId, revision);
  if (!row) return undefined;
  const parts = await storedParts(d, cycleId, revision);
  const frozen: FrozenRevision = parts.bundle !== undefined
    ? { revision: row, ...pick(JSON.parse(parts.bundle) as PublicationBundle) }
    : { revision: row, report: JSON.parse(parts.report ?? 'null'), scores: JSON.parse(parts.scores ?? '[]') };
  cache.set(key, frozen);
  return frozen;
}

const pick = ({ report, scores }: PublicationBundle) => ({ report, scores });

/**
 * The bytes of a revision's bundle, as stored and hashed, and their SHA-256 (hex). A revision
 * published before bundles (stored as separate report and scores parts, hashed otherwise) gets
 * its bundle built now: the same content, and the digest of these bytes, not its contentHash.
 */
export async function revisionBundle(d: Driver, cycle: CycleRow, frozen: FrozenRevision): Promise<{ text: string; sha256: string }> {
  const r = frozen.revision;
  const stored = (await storedParts(d, cycle.id, r.revision)).bundle;
  // Stryker disable next-line ConditionalExpression: a bundle rebuilt from its parsed revision is the stored bytes, whose digest is the contentHash (tested); the stored one is served without rebuilding
  if (stored !== undefined) return { text: stored, sha256: r.contentHash };
  // Stryker disable next-line ArrowFunction: the ids only decide whether api_keys is read at all; read anyway, it gives the same roles
  const roleOf = await writerRoles(d, frozen.scores.map((s) => s.updatedBy));
  const text = canonicalJson({
    format: BUNDLE_FORMAT, cycle: { year: cycle.year, unitType: cycle.unitType }, revision: r.revision,
    methodology: { id: r.methodologyId, version: r.methodologyVersion }, publishedAt: r.publishedAt, reason: r.reason,
    ...(decisionOf(r) && { decision: decisionOf(r)! }),
    report: frozen.report, scores: frozen.scores.map((s) => ({ ...s, updatedBy: roleOf(s.updatedBy) })),
  } satisfies PublicationBundle);
  return { text, sha256: await sha256Hex(text) };
}

async function revisionRow(d: Driver, cycleId: number, revision: number): Promise<RevisionRow | undefined> {
  return (await d.db.select().from(revisions).where(and(eq(revisions.cycleId, cycleId), eq(revisions.revision, revision))))[0];
}

/** A revision's stored texts by part ('bundle'; 'report' and 'scores' before bundles), pieces joined. */
async function storedParts(d: Driver, cycleId: number, revision: number): Promise<Record<string, string | undefined>> {
  const rows = await d.db.select().from(revisionParts)
    .where(and(eq(revisionParts.cycleId, cycleId), eq(revisionParts.revision, revision))).orderBy(revisionParts.part, revisionParts.seq);
  const texts: Record<string, string> = Object.create(null);
  for (const p of rows) texts[p.part] = (texts[p.part] ?? '') + p.body;
  return texts;
}

export async function listRevisions(d: Driver, cycleId: number): Promise<RevisionRow[]> {
  return d.db.select().from(revisions).where(eq(revisions.cycleId, cycleId)).orderBy(desc(revisions.revision));
}

/** Pieces of at most 256 K characters (≤ 1 MB of UTF-8), each stored in its own row; a bundle is never empty text. */
function pieces(text: string, size = 256 * 1024): string[] {
  const out: string[] = [];
  // Stryker disable next-line EqualityOperator: <= adds an empty last piece only to a text of an exact multiple of the size; read back joined, the same text
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size));
  return out;
}

export interface RevisionDiff {
  scores: { unit: string; indicator: string; source: string; from: unknown; to: unknown }[];
  units: { unit: string; index: { from: number | null; to: number | null }; rank: { from: number | null; to: number | null }; group: { from: string | null; to: string | null } }[];
}

/** A revision's content, or a draft's (its report and scores now): what a diff compares. */
export type Frozen = Pick<FrozenRevision, 'report' | 'scores'>;

/** What changed between two revisions (or a revision and the draft): scores, and each unit's index, rank and group. */
export function diffRevisions(a: Frozen, b: Frozen): RevisionDiff {
  const key = (s: FrozenScore) => scoreKey(s.unit, s.indicator, s.source);
  const before = new Map(a.scores.map((s) => [key(s), s]));
  const after = new Map(b.scores.map((s) => [key(s), s]));
  const scores = [...new Set([...before.keys(), ...after.keys()])].sort().flatMap((k) => {
    const x = before.get(k), y = after.get(k);
    if (x && y && JSON.stringify(x.value) === JSON.stringify(y.value)) return [];
    const s = (x ?? y)!;
    return [{ unit: s.unit, indicator: s.indicator, source: s.source, from: x?.value ?? null, to: y?.value ?? null }];
  });
  const rowsA = new Map(a.report.rows.map((r) => [r.unit, r]));
  const units = b.report.rows.flatMap((r) => {
    const old = rowsA.get(r.unit);
    const same = old && old.index === r.index && old.rank === r.rank && old.group === r.group;
    return same ? [] : [{
      unit: r.unit, index: { from: old?.index ?? null, to: r.index },
      rank: { from: old?.rank ?? null, to: r.rank }, group: { from: old?.group ?? null, to: r.group },
    }];
  });
  return { scores, units };
}
