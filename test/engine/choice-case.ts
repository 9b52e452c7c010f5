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
