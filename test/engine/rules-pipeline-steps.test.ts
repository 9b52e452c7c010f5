// The pipeline's steps and its record (pipeline.ts, screen.ts): any one declared step makes a
// pipeline, and withoutPipeline removes every one; screening drops a unit's row from the year
// computed and from every panel year alike; denomination divides every year and reports a bad
// attribute once; the record says what each step did, and nothing about a step not declared.
import { describe, expect, it } from 'vitest';
import {
  applyPipeline, compileMethodology, computeCycle, EngineError, hasPipeline, preparePanel, screenUnits, withoutPipeline, type MethodologyInput,
} from '../../src/engine/index.js';

const base: MethodologyInput = {
  id: 'steps', mode: 'weighted', missing: 'skip', normalisation: { method: 'none' },
  nodes: [{ code: 'I' }, { code: 'a', parent: 'I' }, { code: 'b', parent: 'I' }],
};
const withLeaf = (leaf: Record<string, unknown>): MethodologyInput => ({ ...base, nodes: [{ code: 'I' }, { code: 'a', parent: 'I', ...leaf }, { code: 'b', parent: 'I' }] });

describe('a pipeline is declared', () => {
  it('by any one step: imputation, screening, a leaf\'s denominator or a treatment (the methodology\'s or a leaf\'s)', () => {
    const declared = [
      { ...base, imputation: { method: 'mean' } }, { ...base, screening: { minAvailability: 0.5 } },
      withLeaf({ denominator: 'pop' }), { ...base, treatment: {} }, withLeaf({ treatment: {} }),
    ] as MethodologyInput[];
    for (const doc of declared) {
      const c = compileMethodology(doc);
      expect(hasPipeline(c)).toBe(true);
      const bare = withoutPipeline(c);
      expect(hasPipeline(bare)).toBe(false);
      // nothing else changes: the same tree, weights and normalisation
      expect(bare.nodes.map((n) => [n.code, n.normalisation])).toEqual(c.nodes.map((n) => [n.code, n.normalisation]));
      expect([...bare.weight]).toEqual([...c.weight]);
    }
    expect(hasPipeline(compileMethodology(base))).toBe(false);
  });

  it('and without one the matrix is returned as it came, with no record', () => {
    const c = compileMethodology(base);
    const m = { units: [{ code: 'X', ranked: true, attributes: {} }], leafNodes: c.leaves, values: Float64Array.of(1, NaN) };
    expect(applyPipeline(c, m)).toBe(m);
  });
});

describe('screening', () => {
  it('with no leaves keeps every unit (nothing to judge)', () => {
    expect(screenUnits(new Float64Array(0), 3, 0, 1)).toEqual({ kept: [0, 1, 2], dropped: [] });
  });

  it('gives each dropped unit its count and share, to one decimal, against the threshold', () => {
    // 8 leaves: X has 1 (12.5 %), Y 4 (50 %), Z all 8
    const leaves = Array.from({ length: 8 }, (_, i) => ({ code: `l${i}`, parent: 'I' }));
    const scores = ['X', 'Y', 'Z'].flatMap((unit, u) => leaves.slice(0, [1, 4, 8][u]).map((l, i) => ({ unit, indicator: l.code, value: i })));
    const out = computeCycle({ methodology: { ...base, screening: { minAvailability: 0.55 }, nodes: [{ code: 'I' }, ...leaves] }, scores });
    expect(out.pipeline!.screening).toEqual({
      minAvailability: 0.55, kept: 1,
      dropped: [
        { unit: 'X', availability: 0.125, reason: 'values for 1 of 8 indicators (12.5 %), below the 55 % required' },
        { unit: 'Y', availability: 0.5, reason: 'values for 4 of 8 indicators (50 %), below the 55 % required' },
      ],
    });
    expect(out.results.map((r) => r.unit)).toEqual(['Z']);
  });

  it('drops a unit from every panel year, so that each kept unit is filled from its own past', () => {
    // X (dropped: no value this year) comes first; Y keeps a, misses b, had b = 8 in 2019
    const doc = { ...base, screening: { minAvailability: 0.5 }, imputation: { method: 'latest' } } as MethodologyInput;
    const rows = [
      { unit: 'X', indicator: 'b', value: 100, year: 2019 },
      { unit: 'Y', indicator: 'a', value: 1, year: 2020 }, { unit: 'Y', indicator: 'b', value: 8, year: 2019 },
      { unit: 'Z', indicator: 'a', value: 2, year: 2020 }, { unit: 'Z', indicator: 'b', value: 3, year: 2020 },
    ];
    const m = preparePanel(compileMethodology(doc), rows, undefined);
    expect(m.units.map((u) => u.code)).toEqual(['Y', 'Z']);
    expect([...m.values]).toEqual([1, 8, 2, 3]);
    expect(m.pipeline!.imputation).toEqual({ method: 'latest', year: 2020, cells: [{ indicator: 'b', unit: 'Y', value: 8, method: 'latest', from: [2019] }] });
  });
});

describe('panel imputation in the pipeline', () => {
  it('fills only missing cells, and leaves missing a cell no other year has', () => {
    // X's a is present this year (5) though 2019 had 1: kept; Y's b has no year at all: stays missing
    const rows = [
      { unit: 'X', indicator: 'a', value: 1, year: 2019 }, { unit: 'X', indicator: 'a', value: 5, year: 2020 }, { unit: 'X', indicator: 'b', value: 2, year: 2020 },
      { unit: 'Y', indicator: 'a', value: 3, year: 2019 },
    ];
    const m = preparePanel(compileMethodology({ ...base, imputation: { method: 'latest' } } as MethodologyInput), rows, undefined);
    expect([...m.values]).toEqual([5, 2, 3, NaN]);
    expect(m.pipeline!.imputation!.cells).toEqual([{ indicator: 'a', unit: 'Y', value: 3, method: 'latest', from: [2019] }]);
    expect([...m.imputed!]).toEqual([0, 0, 1, 0]);
  });
});

describe('denomination', () => {
  const units = [{ code: 'X', attributes: { pop: '4' } }, { code: 'Y', attributes: { pop: '10' } }];

  it('divides every panel year before filling from it, and records the year computed alone', () => {
    // X's a: 2019 → 40 (10 per head), missing in 2020; Y's a: 50 in 2020 (5 per head)
    const rows = [{ unit: 'X', indicator: 'a', value: 40, year: 2019 }, { unit: 'Y', indicator: 'a', value: 50, year: 2020 }, { unit: 'X', indicator: 'b', value: 1, year: 2020 }];
    const m = preparePanel(compileMethodology({ ...withLeaf({ denominator: 'pop' }), imputation: { method: 'latest' } } as MethodologyInput), rows, units);
    expect([m.values[0], m.values[2]]).toEqual([10, 5]);
    expect(m.pipeline!.denomination).toEqual([{ indicator: 'a', by: 'pop', cells: 1, unknown: [] }]);
  });

  it('divides the declared leaf wherever it sits among the leaves, and only it', () => {
    const onB = { ...base, nodes: [{ code: 'I' }, { code: 'a', parent: 'I' }, { code: 'b', parent: 'I', denominator: 'pop' }, { code: 'c', parent: 'I' }] } as MethodologyInput;
    const rows = ['X', 'Y'].flatMap((unit) => [{ unit, indicator: 'a', value: 20 }, { unit, indicator: 'b', value: 40 }, { unit, indicator: 'c', value: 60 }]);
    const m = preparePanel(compileMethodology(onB), rows, units);
    expect([...m.values]).toEqual([20, 10, 60, 20, 4, 60]);
    expect(m.pipeline!.denomination).toEqual([{ indicator: 'b', by: 'pop', cells: 2, unknown: [] }]);
  });

  it('reports a bad attribute once, however many panel years meet it', () => {
    const zero = [{ code: 'X', attributes: { pop: '0' } }];
    const rows = [2018, 2019, 2020].map((year) => ({ unit: 'X', indicator: 'a', value: 1, year }));
    try {
      preparePanel(compileMethodology(withLeaf({ denominator: 'pop' })), rows, zero);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).kind).toBe('invalid-scores');
      expect((e as EngineError).issues.map((i) => i.message)).toEqual(['indicator a is divided by attribute pop, "0" for unit X: it must be a number other than 0']);
    }
  });
});

describe('the record', () => {
  const scores = [
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 100, 200].map((value, u) => ({ unit: `U${u}`, indicator: 'a', value })),
    { unit: 'U0', indicator: 'b', value: 1 },
  ];

  it('names the year only for a panel, and has no cell for a panel method without a panel', () => {
    const latest = computeCycle({ methodology: { ...base, imputation: { method: 'latest' } } as MethodologyInput, scores });
    expect(latest.pipeline!.imputation).toEqual({ method: 'latest', cells: [] });
    expect(latest.results.find((r) => r.unit === 'U1')!.nodes.b.value).toBeNull();
    expect(computeCycle({ methodology: { ...base, imputation: { method: 'mean' } } as MethodologyInput, scores }).pipeline!.imputation!.year).toBeUndefined();
  });

  it('gives the transform only when the log was taken, and each winsorised point by unit', () => {
    const winsorised = computeCycle({ methodology: withLeaf({ treatment: {} }), scores }).pipeline!.treatment!;
    expect(winsorised.map((t) => [t.indicator, t.action, 'transform' in t])).toEqual([['a', 'winsorised', false]]);
    expect(winsorised[0].winsorised.map((w) => [w.unit, w.side, w.from, w.to])).toEqual([['U20', 'high', 100, 20], ['U21', 'high', 200, 20]]);
    const logged = computeCycle({ methodology: withLeaf({ treatment: { winsoriseMax: 1 } }), scores }).pipeline!.treatment!;
    expect(logged[0].action).toBe('log');
    expect(logged[0].transform).toEqual({ min: 1, max: 200, shift: 1.99 });
  });

  it('is absent for a step not declared', () => {
    const out = computeCycle({ methodology: { ...base, imputation: { method: 'mean' } } as MethodologyInput, scores });
    expect(Object.keys(out.pipeline!)).toEqual(['imputation']);
    expect(Object.keys(computeCycle({ methodology: withLeaf({ treatment: {} }), scores }).pipeline!)).toEqual(['treatment']);
  });
});
