// What an analysis over choices or a panel costs, checked before any work (422 naming the limit):
// runs × units × nodes for the means taken per run, the distinct combinations × units × nodes for
// the pipelines and normalisations computed once each, N × (inputs + 2) for a Saltelli design.
import { within } from './budgets.js';
import type { ChoiceSpace } from './choices.js';
import type { CompiledMethodology } from './compile.js';

const x = (n: number) => n.toLocaleString('en');
const count = (alternatives: unknown[] | undefined) => alternatives?.length ?? 1;

/** How many distinct (imputation, treatment, normalisation) combinations the runs can meet. */
export function combinationsOf(space: ChoiceSpace): number {
  return count(space.imputation) * count(space.treatment) * count(space.normalisation);
}

/** Draws of the uncertainty over choices, or runs of a design (path: where the request says so). */
export function checkChoiceBudget(c: CompiledMethodology, units: number, runs: number, space: ChoiceSpace, path: (string | number)[]): void {
  const nodes = c.nodes.length;
  within('draws', runs, 'runs over the choices', path);
  within('drawUnits', runs * units, `runs × units (${x(runs)} × ${x(units)})`, path);
  within('choiceCells', runs * units * nodes, `runs × units × nodes (${x(runs)} × ${x(units)} × ${x(nodes)})`, path);
  const combinations = combinationsOf(space);
  within('combinationCells', combinations * units * nodes, `combinations of imputation, treatment and normalisation × units × nodes (${x(combinations)} × ${x(units)} × ${x(nodes)})`, path);
}

/** A Saltelli design over k inputs: N(k + 2) runs, each within the choices' budget. */
export function checkSensitivityBudget(c: CompiledMethodology, units: number, n: number, space: ChoiceSpace, inputs: number, path: (string | number)[]): void {
  const runs = n * (inputs + 2);
  within('sensitivityRuns', runs, `runs of the Saltelli design, N × (inputs + 2) (${x(n)} × ${inputs + 2})`, path);
  within('choiceCells', runs * units * c.nodes.length, `runs × units × nodes (${x(runs)} × ${x(units)} × ${x(c.nodes.length)})`, path);
  const combinations = combinationsOf(space);
  within('combinationCells', combinations * units * c.nodes.length, `combinations of imputation, treatment and normalisation × units × nodes (${x(combinations)} × ${x(units)} × ${x(c.nodes.length)})`, path);
}

/** A panel: every year is scored as a whole cycle. */
export function checkPanelBudget(c: CompiledMethodology, units: number, years: number, path: (string | number)[]): void {
  within('panelCells', years * units * c.leaves.length, `years × units × leaves (${x(years)} × ${x(units)} × ${x(c.leaves.length)})`, path);
}
