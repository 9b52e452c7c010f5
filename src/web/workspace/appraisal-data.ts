// What the appraisal screens read: which sub-criteria a cycle appraises, each unit's self-assessed
// and appraised scores, the reason last given for each appraised score (kept in the audit), and the
// progress across units. Reads only: every write goes through writeScores (score-writes.ts).
import type { CompiledMethodology, CompiledNode } from '../../engine/index.js';
import type { ScoreBatch } from '../../http/score-writes.js';
import { listAudit } from '../../store/audit.js';
import type { Driver } from '../../store/driver.js';
import { listScores, type ScoreRow } from '../../store/scores.js';
import { listUnits } from '../../store/units.js';

const APPRAISAL = 'appraisal';
const SELF = 'self';

/**
 * To appraise: every leaf the methodology scores by appraisal. On such a leaf only the appraised
 * score counts (engine/scores.ts: a self-assessment of it is recorded, never scored), so a leaf the
 * unit did not self-assess still needs an appraised score, or it counts as missing.
 */
export function appraisedLeaves(compiled: CompiledMethodology): CompiledNode[] {
  return compiled.leaves.map((i) => compiled.nodes[i]).filter((n) => n.sources.includes(APPRAISAL));
}

/** The node's ancestor at a depth (1: its domain, 2: its criterion), or the node itself when it is not that deep. */
function ancestorAt(compiled: CompiledMethodology, node: CompiledNode, depth: number): CompiledNode {
  let n = node;
  while (n.depth > depth) n = compiled.nodes[n.parent];
  return n;
}

export type LeafState = 'unassessed' | 'awaiting' | 'accepted' | 'adjusted' | 'appraised';

export interface SheetLeaf {
  node: CompiledNode;
  domain: CompiledNode;
  self?: ScoreRow;
  appraised?: ScoreRow;
  /** the reason given with the stored appraised value, if any */
  reason: string | null;
  state: LeafState;
}

export interface CriterionGroup { node: CompiledNode; leaves: SheetLeaf[] }
export interface DomainGroup { node: CompiledNode; criteria: CriterionGroup[] }

export interface UnitName { code: string; name: { vi: string; en: string } }

export interface Sheet { batch: ScoreBatch; unit: UnitName; leaves: SheetLeaf[]; domains: DomainGroup[] }

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function stateOf(self: ScoreRow | undefined, appraised: ScoreRow | undefined): LeafState {
  if (!appraised) return self ? 'awaiting' : 'unassessed';
  if (!self) return 'appraised';
  return sameValue(self.value, appraised.value) ? 'accepted' : 'adjusted';
}

/** The unit's names, by code, for the cycle's unit type. */
export async function unitNames(d: Driver, unitType: string): Promise<Map<string, UnitName>> {
  return new Map((await listUnits(d, { type: unitType })).map((u) => [u.code, { code: u.code, name: { vi: u.nameVi, en: u.nameEn } }]));
}

/** One unit's appraisal sheet, grouped by domain and criterion; undefined when the unit is not assessed in the cycle. */
export async function readSheet(d: Driver, batch: ScoreBatch, unit: string): Promise<Sheet | undefined> {
  if (!batch.units.some((u) => u.code === unit)) return undefined;
  const names = await unitNames(d, batch.cycle.unitType);
  const rows = await listScores(d, batch.cycle.id, { unit });
  const bySource = (source: string) => new Map(rows.filter((r) => r.source === source).map((r) => [r.indicator, r]));
  const self = bySource(SELF), appraised = bySource(APPRAISAL);
  const reasons = await lastReasons(d, batch.cycle.id, unit);
  const { compiled } = batch;
  const leaves = appraisedLeaves(compiled).map((node): SheetLeaf => {
    const s = self.get(node.code), a = appraised.get(node.code);
    return { node, domain: ancestorAt(compiled, node, 1), self: s, appraised: a, reason: a ? reasons.get(node.code) ?? null : null, state: stateOf(s, a) };
  });
  return { batch, unit: names.get(unit) ?? { code: unit, name: { vi: unit, en: unit } }, leaves, domains: grouped(compiled, leaves) };
}

function grouped(compiled: CompiledMethodology, leaves: SheetLeaf[]): DomainGroup[] {
  const domains = new Map<number, DomainGroup>();
  for (const leaf of leaves) {
    const domain = domains.get(leaf.domain.index) ?? { node: leaf.domain, criteria: [] };
    domains.set(leaf.domain.index, domain);
    const criterion = ancestorAt(compiled, leaf.node, 2);
    let group = domain.criteria.find((g) => g.node.index === criterion.index);
    if (!group) domain.criteria.push(group = { node: criterion, leaves: [] });
    group.leaves.push(leaf);
  }
  return [...domains.values()];
}

/** The reason recorded with each indicator's latest appraised change (the audit keeps reasons; the scores table does not). */
async function lastReasons(d: Driver, cycleId: number, unit: string): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  for (const entry of await listAudit(d, { cycleId, unit, limit: 1000 })) {
    for (const change of [...(entry.changes ?? [])].reverse()) {
      if (change.source === APPRAISAL && !found.has(change.indicator)) found.set(change.indicator, change.reason);
    }
  }
  return found;
}

export interface UnitProgress { unit: UnitName; selfAssessed: number; appraised: number; awaiting: number; total: number }

/** Per unit of the cycle: of the sub-criteria to appraise, how many it self-assessed, how many are appraised, and how many await appraisal. */
export async function readProgress(d: Driver, batch: ScoreBatch): Promise<UnitProgress[]> {
  const codes = new Set(appraisedLeaves(batch.compiled).map((n) => n.code));
  const names = await unitNames(d, batch.cycle.unitType);
  const held = async (source: string) => {
    const byUnit = new Map<string, Set<string>>();
    for (const r of await listScores(d, batch.cycle.id, { source })) {
      if (!codes.has(r.indicator)) continue;
      if (!byUnit.has(r.unit)) byUnit.set(r.unit, new Set());
      byUnit.get(r.unit)!.add(r.indicator);
    }
    return byUnit;
  };
  const self = await held(SELF), appraised = await held(APPRAISAL);
  const none = new Set<string>();
  return batch.units.map(({ code }) => {
    const s = self.get(code) ?? none, a = appraised.get(code) ?? none;
    return {
      unit: names.get(code) ?? { code, name: { vi: code, en: code } },
      selfAssessed: s.size, appraised: a.size, awaiting: [...s].filter((i) => !a.has(i)).length, total: codes.size,
    };
  });
}
