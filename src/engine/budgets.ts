// What one request may ask of the engine, in one place: the routes check these before any work
// starts (422 naming the limit), and the contract's descriptions and the README quote them. Each
// value keeps the heaviest request it admits to a few hundred milliseconds on a 2-core server
// (npm run bench budgets) while leaving real indexes far inside: 34–63 provinces or ~20
// ministries × ~140 nodes, COINr's ASEM 51 × 60, 10,000 uncertainty draws on a provincial cycle.
import { EngineError, jsonPointer } from './errors.js';

export const BUDGETS = {
  /** nodes of one methodology (the official ones have 9–143) */
  methodologyNodes: 2_000,
  /** levels below the root, nested or by parent chain (the official ones have 4) */
  methodologyDepth: 20,
  /** units of one computation */
  computeUnits: 10_000,
  /** units × methodology nodes of one computation: every cell is a number of the answer */
  cells: 50_000,
  /** estimated bytes of one answer, from its units, nodes and the length of their codes */
  responseBytes: 8 * 1024 * 1024,
  /** Monte Carlo draws of one uncertainty analysis */
  draws: 10_000,
  /** draws × units of one uncertainty analysis: every draw ranks every unit */
  drawUnits: 1_000_000,
  /** draws × units × domains of one uncertainty analysis: every draw recombines every unit's domains */
  drawCells: 20_000_000,
  /** draws (or Saltelli runs) × units × nodes of one analysis over choices: every run takes every unit's means up the tree */
  choiceCells: 40_000_000,
  /** distinct (imputation, treatment, normalisation) combinations × units × nodes: each is a whole pipeline and normalisation */
  combinationCells: 2_000_000,
  /** runs of one Saltelli design, N × (inputs + 2) */
  sensitivityRuns: 20_000,
  /** years × units × leaves of one panel: every year is scored */
  panelCells: 500_000,
  /** changed scores in one what-if */
  whatIfChanges: 2_000,
} as const;

export type BudgetName = keyof typeof BUDGETS;
export type Limits = { -readonly [K in BudgetName]: number };

/** A request that asks more than a budget allows: refused before any work, naming the limit. */
export class BudgetError extends EngineError {
  constructor(readonly budget: BudgetName, readonly actual: number, readonly limit: number, what: string, path: (string | number)[] = []) {
    super('budget-exceeded', [{ message: `${what}: ${fmt(actual)}, more than the limit of ${fmt(limit)} (budget ${budget})`, path }]);
  }

  /** where in the request the budget is exceeded, below a base pointer ('' for the body itself) */
  pointer(base = ''): string {
    // Stryker disable next-line ArrayDeclaration: the constructor always gives a path; the fallback only satisfies the issue type
    return jsonPointer(this.issues[0].path ?? [], base);
  }
}

const fmt = (n: number) => n.toLocaleString('en');

/** Throws a BudgetError when `actual` exceeds the named budget (or a limit a caller raised or lowered). */
export function within(name: BudgetName, actual: number, what: string, path: (string | number)[] = [], limits: Partial<Limits> = BUDGETS): void {
  const limit = limits[name] ?? BUDGETS[name];
  if (actual > limit) throw new BudgetError(name, actual, limit, what, path);
}
