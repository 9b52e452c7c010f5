// The model of the methodology's choices (choices.ts) against an oracle built from the public
// path: a run that picks alternatives ranks the units exactly as evaluate() ranks them under a
// methodology rewritten with those alternatives (each inner node's mean, every leaf's
// normalisation, the imputation, the treatment, the weights), availability thresholds, unranked
// units and units without an index included. Perturbed weights: uniform within ±p, or normal with
// σ = p / 2 floored at 1 % of the weight; the root's weight never moves. Picks are ⌊x · n⌋.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChoiceModel, compileMethodology, declaredChoices, evaluate, normal, pickFrom, prepareScores, rawData,
  type Aggregation, type ChoiceSpace, type MethodologyInput, type Pick, type UnitInput,
} from '../../src/engine/index.js';

const LEAVES = ['a', 'b', 'c', 'd', 'e'];
const doc: MethodologyInput = {
  id: 'choices', mode: 'weighted', missing: 'skip', normalisation: { method: 'minmax', min: 1, max: 100 },
  imputation: { method: 'mean' },
  nodes: [
    { code: 'I' },
    { code: 'D1', parent: 'I', weight: 2, availabilityThreshold: 0.6 },
    { code: 'a', parent: 'D1' }, { code: 'b', parent: 'D1', weight: 2 }, { code: 'c', parent: 'D1', direction: -1 },
    { code: 'D2', parent: 'I', aggregation: 'geometric' },
    { code: 'd', parent: 'D2', weight: 3 }, { code: 'e', parent: 'D2' },
  ],
};
const space: ChoiceSpace = {
  normalisation: [{ method: 'minmax', min: 1, max: 10 }, { method: 'rank' }, { method: 'goalposts', lower: -10, upper: 60, scale: 100 }],
  aggregation: ['arithmetic', 'geometric', 'harmonic', { method: 'power', p: 2 }, { method: 'power', p: 0.5 }],
  imputation: [false, { method: 'median' }],
  treatment: [false, { skewness: 2, kurtosis: 3.5, winsoriseMax: 1, transform: 'log' }],
} as ChoiceSpace;

/** The methodology with the picked alternatives written into it, as an author would. */
function rewritten(pick: Pick): MethodologyInput {
  const aggregation = pick.aggregation >= 0 ? space.aggregation![pick.aggregation] : undefined;
  const imputation = pick.imputation >= 0 ? space.imputation![pick.imputation] : undefined;
  const treatment = pick.treatment >= 0 ? space.treatment![pick.treatment] : undefined;
  const { imputation: own, ...rest } = doc;
  return {
    ...rest,
    ...(pick.normalisation >= 0 && { normalisation: space.normalisation![pick.normalisation] }),
    ...(imputation === undefined ? { imputation: own } : imputation === false ? {} : { imputation }),
    ...(treatment && { treatment }),
    nodes: doc.nodes.map((n) => (aggregation && !LEAVES.includes(n.code) ? { ...n, aggregation: aggregation as Aggregation } : n)),
  } as MethodologyInput;
}

/** Competition ranks of the units ranked and with an index, 0 for the others. */
function oracleRanks(pick: Pick, scores: { unit: string; indicator: string; value: number }[], units: UnitInput[]): number[] {
  const c = compileMethodology(rewritten(pick));
  const { index } = evaluate(c, prepareScores(c, scores, units), pick.weight ? { weight: pick.weight } : {});
  const eligible = (u: number) => units[u].ranked !== false && Number.isFinite(index[u]);
  return units.map((_, u) => (eligible(u) ? 1 + units.filter((__, w) => eligible(w) && index[w] > index[u]).length : 0));
}

const cell = fc.option(fc.integer({ min: 0, max: 50 }), { nil: null, freq: 4 });
const table = fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 3, maxLength: 7 });
const pickArb = fc.record({
  normalisation: fc.integer({ min: -1, max: 2 }), aggregation: fc.integer({ min: -1, max: 4 }),
  imputation: fc.integer({ min: -1, max: 1 }), treatment: fc.integer({ min: -1, max: 1 }),
  weights: fc.option(fc.array(fc.double({ min: 0.1, max: 5, noNaN: true }), { minLength: 8, maxLength: 8 }), { nil: undefined }),
});

describe('a run of the model', () => {
  it('ranks as evaluate() does under the methodology rewritten with the picked alternatives (property)', () => {
    fc.assert(fc.property(table, pickArb, fc.nat(6), (rows, p, unranked) => {
      const units: UnitInput[] = rows.map((_, u) => ({ code: `U${u}`, ranked: u !== unranked }));
      // a value 1 000 in a so that a treatment has an outlier to treat
      const scores = rows.flatMap((r, u) => r.flatMap((v, s) => (v === null ? [] : [{ unit: `U${u}`, indicator: LEAVES[s], value: s === 0 && v === 50 ? 1_000 : v }])));
      const c = compileMethodology(doc);
      const model = new ChoiceModel(c, rawData(c, scores, units), space);
      const pick: Pick = { normalisation: p.normalisation, aggregation: p.aggregation, imputation: p.imputation, treatment: p.treatment, ...(p.weights && { weight: Float64Array.from(p.weights) }) };
      expect([...model.ranks(pick, new Int32Array(units.length))]).toEqual(oracleRanks(pick, scores, units));
      const own: Pick = { normalisation: -1, aggregation: -1, imputation: -1, treatment: -1 };
      expect([...model.nominalRanks]).toEqual(oracleRanks(own, scores, units));
    }), { numRuns: 150, seed: 5 });
  });

  it('leaves a node missing below its availability threshold under every mean (D1 needs 2 of its 3 children)', () => {
    // U0 has only a in D1: D1 missing, its index from D2 alone; U1 has a and b
    const scores = [
      { unit: 'U0', indicator: 'a', value: 50 }, { unit: 'U0', indicator: 'd', value: 1 }, { unit: 'U0', indicator: 'e', value: 1 },
      { unit: 'U1', indicator: 'a', value: 1 }, { unit: 'U1', indicator: 'b', value: 1 }, { unit: 'U1', indicator: 'd', value: 2 }, { unit: 'U1', indicator: 'e', value: 2 },
    ];
    const units = [{ code: 'U0' }, { code: 'U1' }];
    const noImputation = { ...space, imputation: [false] } as ChoiceSpace;
    const c = compileMethodology(doc);
    const model = new ChoiceModel(c, rawData(c, scores, units), noImputation);
    for (let a = -1; a < 5; a++) {
      const pick = { normalisation: -1, aggregation: a, imputation: 0, treatment: -1 };
      expect([...model.ranks(pick, new Int32Array(2))]).toEqual(oracleRanks(pick, scores, units));
    }
  });
});

describe('means that cannot take a value', () => {
  // goalposts from 0: U0's d (0) normalises to 0, under D2, a geometric mean in the methodology itself
  const zero = { ...space, normalisation: [{ method: 'goalposts', lower: 0, upper: 50, scale: 100 }, { method: 'zscore', mean: 0, sd: 1 }], imputation: [false], treatment: [false] } as ChoiceSpace;
  const scores = [
    { unit: 'U0', indicator: 'a', value: 5 }, { unit: 'U0', indicator: 'b', value: 10 }, { unit: 'U0', indicator: 'd', value: 0 }, { unit: 'U0', indicator: 'e', value: 30 },
    { unit: 'U1', indicator: 'a', value: 40 }, { unit: 'U1', indicator: 'b', value: 30 }, { unit: 'U1', indicator: 'd', value: 20 }, { unit: 'U1', indicator: 'e', value: 10 },
    { unit: 'U2', indicator: 'a', value: 20 }, { unit: 'U2', indicator: 'b', value: 20 }, { unit: 'U2', indicator: 'd', value: 10 }, { unit: 'U2', indicator: 'e', value: 20 },
  ];
  const units = [{ code: 'U0' }, { code: 'U1' }, { code: 'U2' }];
  const c = compileMethodology(doc);
  const model = new ChoiceModel(c, rawData(c, scores, units), zero);
  const pick = (normalisation: number, aggregation: number) => ({ normalisation, aggregation, imputation: 0, treatment: 0 });
  const oracle = (normalisation: number, aggregation: number) => {
    const { imputation: _, ...rest } = rewritten(pick(-1, aggregation));
    const rc = compileMethodology({ ...rest, normalisation: zero.normalisation![normalisation] } as MethodologyInput);
    const { index } = evaluate(rc, prepareScores(rc, scores, units));
    return units.map((_, u) => 1 + units.filter((__, w) => index[w] > index[u]).length);
  };

  it('a zero enters the arithmetic mean and a power mean with p > 0, whatever the methodology\'s own means', () => {
    for (const a of [0, 3, 4]) expect([...model.ranks(pick(0, a), new Int32Array(3))]).toEqual(oracle(0, a));
  });

  it('a negative value (a z-score) enters the arithmetic mean', () => {
    expect([...model.ranks(pick(1, 0), new Int32Array(3))]).toEqual(oracle(1, 0));
  });

  it('geometric and harmonic refuse a zero, a power mean with p > 0 a negative value, naming the mean, unit, node and child', () => {
    expect(() => model.ranks(pick(0, 1), new Int32Array(3))).toThrow(expect.objectContaining({
      kind: 'invalid-computation',
      issues: [{ unit: 'U0', node: 'D2', message: 'geometric mean needs values > 0; child d is 0 under one of the alternatives (choose normalisations with a positive range for this mean)' }],
    }));
    expect(() => model.ranks(pick(0, 2), new Int32Array(3))).toThrow(expect.objectContaining({
      issues: [expect.objectContaining({ message: expect.stringMatching(/^harmonic mean needs values > 0; child d is 0 /) })],
    }));
    expect(() => model.ranks(pick(1, 3), new Int32Array(3))).toThrow(expect.objectContaining({
      issues: [expect.objectContaining({ message: expect.stringMatching(/^power \(p = 2\) mean needs values ≥ 0; child \w is -/) })],
    }));
  });
});

describe('the methodology\'s own choices', () => {
  it('reuse the nominal pipeline and leaves: a run with none declared computes nothing new', () => {
    const c = compileMethodology(doc);
    const model = new ChoiceModel(c, rawData(c, [{ unit: 'U0', indicator: 'a', value: 1 }, { unit: 'U1', indicator: 'a', value: 2 }], undefined), { aggregation: ['harmonic'] } as ChoiceSpace);
    const own = pickFrom(declaredChoices({ aggregation: ['harmonic'] } as ChoiceSpace), [0.3]);
    expect(own).toEqual({ normalisation: -1, aggregation: 0, imputation: -1, treatment: -1 });
    model.ranks(own, new Int32Array(2));
    expect(model.combinations).toEqual({ pipelines: 1, normalisations: 1 });
  });

  it('refuse the points mode, saying why', () => {
    const points = compileMethodology({ id: 'p', mode: 'points', missing: 'zero', nodes: [{ code: 'I' }, { code: 'a', parent: 'I', max: 1 }] });
    expect(() => new ChoiceModel(points, rawData(points, [], []), {})).toThrow(expect.objectContaining({
      kind: 'invalid-computation',
      issues: [{ message: 'uncertainty over choices and sensitivity analysis need the weighted mode: points mode has no normalisation or means to choose' }],
    }));
  });
});

describe('availability thresholds', () => {
  it('a node with exactly its threshold\'s share of children has a value (D2 at 0.5: one of two)', () => {
    const halfDoc = { ...doc, imputation: undefined, nodes: doc.nodes.map((n) => (n.code === 'D2' ? { ...n, weight: 10, availabilityThreshold: 0.5 } : n)) } as MethodologyInput;
    const c = compileMethodology(halfDoc);
    // U0 leads on D1 but trails on D2, where it has d alone: with D2 it is second, without it first
    const scores = [
      { unit: 'U0', indicator: 'a', value: 2 }, { unit: 'U0', indicator: 'b', value: 2 }, { unit: 'U0', indicator: 'd', value: 1 },
      { unit: 'U1', indicator: 'a', value: 1 }, { unit: 'U1', indicator: 'b', value: 1 }, { unit: 'U1', indicator: 'd', value: 50 }, { unit: 'U1', indicator: 'e', value: 1 },
    ];
    const e = evaluate(c, prepareScores(c, scores));
    expect(Number.isFinite(e.values[c.nodes.findIndex((n) => n.code === 'D2')])).toBe(true);
    const model = new ChoiceModel(c, rawData(c, scores, undefined), {});
    expect([...model.nominalRanks]).toEqual([2, 1]);
    expect([...model.ranks({ normalisation: -1, aggregation: -1, imputation: -1, treatment: -1 }, new Int32Array(2))]).toEqual([2, 1]);
  });
});

describe('perturbed weights', () => {
  const c = compileMethodology(doc);
  const model = () => new ChoiceModel(c, rawData(c, [{ unit: 'U0', indicator: 'a', value: 1 }], [{ code: 'U0' }]), {});
  /** A stream of the given numbers, counting how many were read. */
  const stream = (xs: number[]) => {
    let i = 0;
    const next = () => xs[i++ % xs.length];
    return Object.assign(next, { read: () => i });
  };

  it('uniform: each weight below the root times 1 + (2r − 1) p, one draw each; the root unmoved', () => {
    const r = stream([0, 0.75, 0.5, 1 - 2 ** -53, 0.25, 0.1, 0.9]);
    const w = model().perturbedWeights({ perturbation: 0.2, distribution: 'uniform' }, r);
    expect(r.read()).toBe(c.nodes.length - 1);
    expect(w[0]).toBe(c.weight[0]);
    const expected = [0, 0.75, 0.5, 1 - 2 ** -53, 0.25, 0.1, 0.9].map((x, i) => c.weight[i + 1] * (1 + (2 * x - 1) * 0.2));
    expected.forEach((v, i) => expect(w[i + 1]).toBeCloseTo(v, 12));
  });

  it('normal: σ = p / 2, never below 1 % of the weight, two draws each; the root unmoved', () => {
    const xs = [0.3, 0.1, 0.8, 0.6, 0.05, 0.0, 0.5, 0.9, 0.2, 0.7, 0.4, 0.25, 0.35, 0.45];
    const r = stream(xs);
    const w = model().perturbedWeights({ perturbation: 0.4, distribution: 'normal' }, r);
    expect(r.read()).toBe(2 * (c.nodes.length - 1));
    expect(w[0]).toBe(c.weight[0]);
    const replay = stream(xs);
    for (let i = 1; i < c.nodes.length; i++) expect(w[i]).toBeCloseTo(c.weight[i] * (1 + Math.max(-0.99, (normal(replay) * 0.4) / 2)), 12);
    // a perturbation of 100 sends most shocks below −99 %: those weights are 1 % of their own
    const floored = model().perturbedWeights({ perturbation: 100, distribution: 'normal' }, stream([0.01, 0.5]));
    for (let i = 1; i < c.nodes.length; i++) expect(floored[i]).toBeCloseTo(c.weight[i] * 0.01, 12);
  });
});

describe('picks', () => {
  it('take alternative ⌊x · n⌋ of each declared choice, in the declared order, and a weight set the same way', () => {
    const choices = declaredChoices({ ...space, weights: { perturbation: 0.1, distribution: 'uniform' } });
    expect(choices).toEqual([{ name: 'weights', alternatives: 0 }, { name: 'normalisation', alternatives: 3 }, { name: 'aggregation', alternatives: 5 }, { name: 'imputation', alternatives: 2 }, { name: 'treatment', alternatives: 2 }]);
    const sets = [Float64Array.of(1), Float64Array.of(2), Float64Array.of(3), Float64Array.of(4)];
    expect(pickFrom(choices, [0.5, 0.34, 0.2, 0.49, 0.99], sets)).toEqual({ weight: sets[2], normalisation: 1, aggregation: 1, imputation: 0, treatment: 1 });
    expect(pickFrom(choices, [0.24, 0, 0.999, 0.5, 0], sets)).toEqual({ weight: sets[0], normalisation: 0, aggregation: 4, imputation: 1, treatment: 0 });
    // without weight sets the weights stay the methodology's; a choice not declared keeps its own (−1)
    expect(pickFrom(declaredChoices({ weights: space.weights ?? { perturbation: 0.1, distribution: 'normal' }, imputation: space.imputation }), [0.7, 0.7])).toEqual({ normalisation: -1, aggregation: -1, imputation: 1, treatment: -1 });
  });
});
