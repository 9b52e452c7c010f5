// What an analysis over choices, a Saltelli design or a panel may cost, checked before any work:
// each product at exactly its limit passes, one more is refused naming the budget, the sizes that
// make the product (formatted as the README quotes them) and where the request asks for it.
// Only imputation, treatment and normalisation multiply the combinations computed once each.
import { describe, expect, it } from 'vitest';
import {
  BudgetError, BUDGETS, checkChoiceBudget, checkPanelBudget, checkSensitivityBudget, combinationsOf, compileMethodology, type ChoiceSpace,
} from '../../src/engine/index.js';

/** A root and `leaves` leaves: leaves + 1 nodes. */
const tree = (leaves: number) => compileMethodology({
  id: 'cost', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' },
  nodes: [{ code: 'I' }, ...Array.from({ length: leaves }, (_, i) => ({ code: `x${i}`, parent: 'I' }))],
});
const ten = tree(9); // 10 nodes, 9 leaves
const alternatives = <T>(n: number, alternative: T): T[] => Array.from({ length: n }, () => alternative);

/** The refusal as the API reports it, or null when the request is within every budget. */
function refusal(check: () => void): { budget: string; actual: number; limit: number; message: string; pointer: string } | null {
  try {
    check();
    return null;
  } catch (e) {
    if (!(e instanceof BudgetError)) throw e;
    return { budget: e.budget, actual: e.actual, limit: e.limit, message: e.issues[0].message, pointer: e.pointer() };
  }
}

describe('combinations computed once each', () => {
  it('are the product of the imputation, treatment and normalisation alternatives; weights and aggregation add none', () => {
    expect(combinationsOf({})).toBe(1);
    expect(combinationsOf({ imputation: [{ method: 'mean' }, false], treatment: alternatives(3, false), normalisation: alternatives(5, { method: 'rank' }) } as ChoiceSpace)).toBe(30);
    expect(combinationsOf({ weights: { perturbation: 0.2, distribution: 'uniform' }, aggregation: alternatives(7, 'geometric') } as ChoiceSpace)).toBe(1);
    expect(combinationsOf({ treatment: alternatives(4, false) } as ChoiceSpace)).toBe(4);
  });
});

describe('uncertainty over choices', () => {
  const path = ['choices', 'draws'];

  it('refuses more draws than the limit, one above it', () => {
    expect(refusal(() => checkChoiceBudget(ten, 1, BUDGETS.draws, {}, path))).toBeNull();
    expect(refusal(() => checkChoiceBudget(ten, 1, BUDGETS.draws + 1, {}, path))).toEqual({
      budget: 'draws', actual: 10_001, limit: 10_000, pointer: '/choices/draws',
      message: 'runs over the choices: 10,001, more than the limit of 10,000 (budget draws)',
    });
  });

  it('refuses draws × units above the limit, naming both', () => {
    expect(refusal(() => checkChoiceBudget(ten, 100, 10_000, {}, path))).toBeNull(); // 1,000,000 exactly
    expect(refusal(() => checkChoiceBudget(ten, 101, 10_000, {}, path))).toEqual({
      budget: 'drawUnits', actual: 1_010_000, limit: 1_000_000, pointer: '/choices/draws',
      message: 'runs × units (10,000 × 101): 1,010,000, more than the limit of 1,000,000 (budget drawUnits)',
    });
  });

  it('refuses draws × units × nodes above the limit (every run takes every unit\'s means up the tree)', () => {
    const fifty = tree(49);
    expect(refusal(() => checkChoiceBudget(fifty, 80, 10_000, {}, path))).toBeNull(); // 40,000,000 exactly
    expect(refusal(() => checkChoiceBudget(fifty, 81, 10_000, {}, path))).toEqual({
      budget: 'choiceCells', actual: 40_500_000, limit: 40_000_000, pointer: '/choices/draws',
      message: 'runs × units × nodes (10,000 × 81 × 50): 40,500,000, more than the limit of 40,000,000 (budget choiceCells)',
    });
  });

  it('refuses combinations × units × nodes above the limit, whatever the draws', () => {
    const space = (normalisations: number) => ({ imputation: alternatives(10, false), treatment: alternatives(10, false), normalisation: alternatives(normalisations, { method: 'rank' }) } as ChoiceSpace);
    expect(refusal(() => checkChoiceBudget(ten, 100, 1, space(20), path))).toBeNull(); // 2,000 × 100 × 10 = 2,000,000
    expect(refusal(() => checkChoiceBudget(ten, 100, 1, space(21), path))).toEqual({
      budget: 'combinationCells', actual: 2_100_000, limit: 2_000_000, pointer: '/choices/draws',
      message: 'combinations of imputation, treatment and normalisation × units × nodes (2,100 × 100 × 10): 2,100,000, more than the limit of 2,000,000 (budget combinationCells)',
    });
  });
});

describe('a Saltelli design', () => {
  const path = ['sensitivity', 'n'];

  it('refuses N × (inputs + 2) runs above the limit', () => {
    expect(refusal(() => checkSensitivityBudget(ten, 1, 5_000, {}, 2, path))).toBeNull(); // 20,000 exactly
    expect(refusal(() => checkSensitivityBudget(ten, 1, 5_001, {}, 2, path))).toEqual({
      budget: 'sensitivityRuns', actual: 20_004, limit: 20_000, pointer: '/sensitivity/n',
      message: 'runs of the Saltelli design, N × (inputs + 2) (5,001 × 4): 20,004, more than the limit of 20,000 (budget sensitivityRuns)',
    });
  });

  it('refuses its runs × units × nodes above the limit', () => {
    const twenty = tree(19);
    expect(refusal(() => checkSensitivityBudget(twenty, 100, 5_000, {}, 2, path))).toBeNull(); // 20,000 × 100 × 20 = 40,000,000
    expect(refusal(() => checkSensitivityBudget(twenty, 101, 5_000, {}, 2, path))).toEqual({
      budget: 'choiceCells', actual: 40_400_000, limit: 40_000_000, pointer: '/sensitivity/n',
      message: 'runs × units × nodes (20,000 × 101 × 20): 40,400,000, more than the limit of 40,000,000 (budget choiceCells)',
    });
  });

  it('refuses combinations × units × nodes above the limit', () => {
    const space = (treatments: number) => ({ treatment: alternatives(treatments, false) } as ChoiceSpace);
    expect(refusal(() => checkSensitivityBudget(ten, 1_000, 1, space(200), 1, path))).toBeNull(); // 200 × 1,000 × 10
    expect(refusal(() => checkSensitivityBudget(ten, 1_000, 1, space(201), 1, path))).toEqual({
      budget: 'combinationCells', actual: 2_010_000, limit: 2_000_000, pointer: '/sensitivity/n',
      message: 'combinations of imputation, treatment and normalisation × units × nodes (201 × 1,000 × 10): 2,010,000, more than the limit of 2,000,000 (budget combinationCells)',
    });
  });
});

describe('a panel', () => {
  it('refuses years × units × leaves (not nodes) above the limit', () => {
    // 9 leaves: 5 × 11,111 × 9 = 499,995 passes; with nodes (10) it would be 555,550
    expect(refusal(() => checkPanelBudget(ten, 11_111, 5, ['scores']))).toBeNull();
    expect(refusal(() => checkPanelBudget(ten, 11_112, 5, ['scores']))).toEqual({
      budget: 'panelCells', actual: 500_040, limit: 500_000, pointer: '/scores',
      message: 'years × units × leaves (5 × 11,112 × 9): 500,040, more than the limit of 500,000 (budget panelCells)',
    });
  });
});
