// The small case the choice tests share: two leaves that minmax and rank order differently
// (U5 is not ranked, U6 has no value), and its competition ranks under any normalisation,
// computed through evaluate() under the methodology rewritten with it: the tests' oracle.
import { compileMethodology, evaluate, prepareScores, type MethodologyInput, type Normalisation, type UnitInput } from '../../src/engine/index.js';

export const choiceDoc = (id: string): MethodologyInput => ({
  id, mode: 'weighted', missing: 'skip', normalisation: { method: 'minmax', min: 1, max: 100 },
  nodes: [{ code: 'I' }, { code: 'a', parent: 'I' }, { code: 'b', parent: 'I' }],
});
export const choiceUnits: UnitInput[] = [{ code: 'U1' }, { code: 'U2' }, { code: 'U3' }, { code: 'U4' }, { code: 'U5', ranked: false }, { code: 'U6' }];
const data: [string, number, number][] = [['U1', 0, 100], ['U2', 49, 50], ['U3', 100, 1], ['U4', 30, 30], ['U5', 80, 80]];
export const choiceScores = data.flatMap(([unit, a, b]) => [{ unit, indicator: 'a', value: a }, { unit, indicator: 'b', value: b }]);

/** Competition ranks under a normalisation (0: not ranked), through evaluate(). */
export function ranksUnder(normalisation: Normalisation): number[] {
  const c = compileMethodology({ ...choiceDoc('oracle'), normalisation } as MethodologyInput);
  const { index } = evaluate(c, prepareScores(c, choiceScores, choiceUnits));
  const ok = (u: number) => choiceUnits[u].ranked !== false && Number.isFinite(index[u]);
  return choiceUnits.map((_, u) => (ok(u) ? 1 + choiceUnits.filter((__, w) => ok(w) && index[w] > index[u]).length : 0));
}

/**
 * A unit ranked under one alternative only: the root needs both leaves and U3 lacks b, so U3 is
 * ranked with the mean imputation (the nominal) and not without it. Ranks through evaluate().
 */
export function gapCase(doc: MethodologyInput) {
  const withGap: MethodologyInput = { ...doc, imputation: { method: 'mean' }, nodes: [{ code: 'I', availabilityThreshold: 1 }, { code: 'a', parent: 'I' }, { code: 'b', parent: 'I' }] };
  const { imputation: _, ...without } = withGap;
  const rows = [['U1', 10, 90], ['U2', 60, 70], ['U3', 55, null], ['U4', 30, 20]] as const;
  const gapScores = rows.flatMap(([unit, a, b]) => [{ unit, indicator: 'a', value: a }, ...(b === null ? [] : [{ unit, indicator: 'b', value: b }])]);
  const gapUnits = rows.map(([code]) => ({ code }));
  const ranksOf = (m: MethodologyInput) => {
    const c = compileMethodology(m);
    const { index } = evaluate(c, prepareScores(c, gapScores, gapUnits));
    return gapUnits.map((_, u) => (Number.isFinite(index[u]) ? 1 + gapUnits.filter((__, w) => Number.isFinite(index[w]) && index[w] > index[u]).length : 0));
  };
  return { withGap, without: without as MethodologyInput, gapScores, gapUnits, ranksOf };
}
