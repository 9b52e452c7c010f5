// The publication workflow of a cycle. Each transition is explicit, allowed from one phase only,
// and recorded; publishing freezes the results and scores as a numbered revision with a hash.
import { and, desc, eq } from 'drizzle-orm';
import { cycles, revisionParts, revisions } from '../../schema/tables.js';
import { auditStep, type WriteContext } from './audit.js';
import { sha256Hex } from './crypto.js';
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
export interface FrozenScore { unit: string; indicator: string; source: string; value: unknown; points: number | null; note: string | null; evidence: string | null; updatedAt: string; updatedBy: string }

/** Moves the cycle to `to`; publishing freezes a new revision in the same atomic write. */
export async function transition(d: Driver, ctx: WriteContext, cycle: CycleRow, to: Status, reason: string | null): Promise<RevisionRow | null> {
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
  const report = JSON.stringify(await cycleReport(d, cycle));
  const scores = JSON.stringify((await listScores(d, cycle.id)).map(({ cycleId: _, ...s }) => s));
  const revision: RevisionRow = {
    cycleId: cycle.id, revision: cycle.revision + 1, methodologyId: cycle.methodologyId, methodologyVersion: cycle.methodologyVersion,
    contentHash: await sha256Hex(`${report}\n${scores}`), publishedAt: now, publishedBy: ctx.actorKey, reason,
  };
  const parts = [...pieces(report).map((body, seq) => ({ part: 'report', seq, body })), ...pieces(scores).map((body, seq) => ({ part: 'scores', seq, body }))];
  await d.atomic([
    guard,
    d.db.insert(revisions).values(revision),
    ...parts.map((p) => d.db.insert(revisionParts).values({ cycleId: cycle.id, revision: revision.revision, ...p })),
    d.db.update(cycles).set({ status: 'published', revision: revision.revision }).where(eq(cycles.id, cycle.id)),
    auditStep(ctx, [{ action: 'cycle.publish', cycleId: cycle.id, before, after: { status: 'published', revision: revision.revision, contentHash: revision.contentHash }, reason }], now),
  ]);
  return revision;
}

/** A published revision, parsed once: revisions never change. */
export async function getRevision(d: Driver, cycleId: number, revision: number): Promise<FrozenRevision | undefined> {
  const cache = driverCache<string, FrozenRevision>(d, 'revisions', 100);
  const key = `${cycleId}:${revision}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const row = (await d.db.select().from(revisions).where(and(eq(revisions.cycleId, cycleId), eq(revisions.revision, revision))))[0];
  if (!row) return undefined;
  const parts = await d.db.select().from(revisionParts)
    .where(and(eq(revisionParts.cycleId, cycleId), eq(revisionParts.revision, revision))).orderBy(revisionParts.part, revisionParts.seq);
  const text = (part: string) => parts.filter((p) => p.part === part).map((p) => p.body).join('');
  const frozen = { revision: row, report: JSON.parse(text('report')), scores: JSON.parse(text('scores')) };
  cache.set(key, frozen);
  return frozen;
}

export async function listRevisions(d: Driver, cycleId: number): Promise<RevisionRow[]> {
  return d.db.select().from(revisions).where(eq(revisions.cycleId, cycleId)).orderBy(desc(revisions.revision));
}

/** Pieces of at most 256 K characters (≤ 1 MB of UTF-8), each stored in its own row. */
function pieces(text: string, size = 256 * 1024): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size));
  return out.length ? out : [''];
}

export interface RevisionDiff {
  scores: { unit: string; indicator: string; source: string; from: unknown; to: unknown }[];
  units: { unit: string; index: { from: number | null; to: number | null }; rank: { from: number | null; to: number | null }; group: { from: string | null; to: string | null } }[];
}

/** What changed between two revisions: scores, and each unit's index, rank and group. */
export function diffRevisions(a: FrozenRevision, b: FrozenRevision): RevisionDiff {
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
