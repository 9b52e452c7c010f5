// Derived numbers carry no binary noise: from decimal inputs (maxima, scores, targets), every
// number the engine publishes (points, percents, means, gaps, changes, what-if gains and steps,
// uncertainty shares) has at most 9 decimals, as sums are snapped. 0.7000000000000002 is a defect.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareWithPrevious, compileMethodology, computeCycle, domainCodes, evaluate, prepareScores, profile, rankUncertainty, snap, whatIf,
  type ScoreInput,
} from '../../src/engine/index.js';

const RUNS = { numRuns: 60 };

/** Every number in a value, with where it is, that has more than 9 decimals. */
function noisy(value: unknown, at = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) && snap(value) !== value ? [`${at || '/'} = ${value}`] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => noisy(v, `${at}/${k}`));
}

/** A decimal in [min, max] with `scale` steps per unit (a tenth, a hundredth), as people write them. */
const decimal = (min: number, max: number, scale: number) => fc.integer({ min: min * scale, max: max * scale }).map((k) => k / scale);

type Rule = { type: 'points' } | { type: 'proportional'; target: number } | { type: 'linear'; worst: number; best: number; cap: true } | { type: 'survey' };
interface Leaf { max: number; rule: Rule }

/** A leaf: a max with one decimal, scored by one of the rules that turn decimals into points. */
const leaf: fc.Arbitrary<Leaf> = fc.record({
  max: decimal(0.1, 50, 10),
  rule: fc.oneof(
    fc.constant<Rule>({ type: 'points' }),
    decimal(0.1, 100, 10).map((target): Rule => ({ type: 'proportional', target })),
    decimal(0.1, 100, 10).map((best): Rule => ({ type: 'linear', worst: 0, best, cap: true })),
    fc.constant<Rule>({ type: 'survey' }),
  ),
});

/** A raw value for a leaf, with two decimals (counts per option for a survey). */
function valueFor(l: Leaf): fc.Arbitrary<ScoreInput['value']> {
  if (l.rule.type === 'survey') return fc.record({ A: fc.nat(50), B: fc.nat(50), C: fc.nat(50), D: fc.integer({ min: 1, max: 50 }) });
  if (l.rule.type === 'points') return fc.integer({ min: 0, max: 100 }).map((k) => Math.round(l.max * k) / 100);
  return decimal(0, 150, 100);
}

const shape = fc.array(fc.array(leaf, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 });

/** A points-mode cycle: the methodology, 2–8 units in two regions, and two cycles of scores. */
const cycle = shape.chain((domains) => {
  const leaves = domains.flatMap((d, i) => d.map((l, j) => ({ ...l, code: `${i + 1}.${j + 1}` })));
  const sheet = fc.tuple(...leaves.map(valueFor));
  return fc.record({ sheets: fc.array(fc.tuple(sheet, sheet), { minLength: 2, maxLength: 8 }), change: valueFor(leaves[0]) })
    .map(({ sheets, change }) => ({ domains, leaves, sheets, change }));
});

type Cycle = typeof cycle extends fc.Arbitrary<infer T> ? T : never;

function methodologyOf(c: Cycle) {
  return compileMethodology({
    id: 'noise', mode: 'points', missing: 'zero',
    nodes: [{ code: 'R' }, ...c.domains.map((_, i) => ({ code: `${i + 1}`, parent: 'R' })),
      ...c.leaves.map((l) => ({ code: l.code, parent: l.code.split('.')[0], max: l.max, rule: l.rule }))],
  });
}

const unitsOf = (c: Cycle) => c.sheets.map((_, u) => ({ code: `U${u}`, attributes: { region: u % 2 ? 'North' : 'South' } }));
const scoresOf = (c: Cycle, which: 0 | 1): ScoreInput[] =>
  c.sheets.flatMap((sheet, u) => c.leaves.map((l, k) => ({ unit: `U${u}`, indicator: l.code, value: sheet[which][k] })));

describe('no float noise in derived numbers', () => {
  it('results, statistics, changes, profiles, what-if and uncertainty have at most 9 decimals', () => {
    fc.assert(fc.property(cycle, (c) => {
      const m = methodologyOf(c);
      const units = unitsOf(c);
      const now = computeCycle({ methodology: m, scores: scoresOf(c, 0), units });
      const before = computeCycle({ methodology: m, scores: scoresOf(c, 1), units });
      const codes = [...domainCodes(m), ...c.leaves.map((l) => l.code)];
      const changes = compareWithPrevious(now.results, before.results, () => [], domainCodes(m));
      const rows = now.results.map((r) => ({ ...r, change: changes.get(r.unit) ?? null }));
      const matrix = prepareScores(m, scoresOf(c, 0), units);
      const outputs = {
        results: now.results, statistics: now.statistics, changes: Object.fromEntries(changes),
        profiles: units.map((u) => profile(rows, u.code, codes, 10)),
        whatIf: units.map((u) => whatIf(m, matrix, u.code, [{ unit: u.code, indicator: c.leaves[0].code, value: c.change }])),
        uncertainty: rankUncertainty(m, matrix.units, evaluate(m, matrix), { draws: 40, perturbation: 0.3, distribution: 'uniform', seed: 3 }),
      };
      expect(noisy(outputs)).toEqual([]);
    }), RUNS);
  });

  it('the what-if path adds up: gains sum to the points needed when reachable', () => {
    const m = compileMethodology({ id: 'p', mode: 'points', missing: 'zero', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 0.3 }, { code: 'b', parent: 'R', max: 0.7 }] });
    const scores = [{ unit: 'X', indicator: 'a', value: 0.1 }, { unit: 'X', indicator: 'b', value: 0.2 }, { unit: 'Y', indicator: 'a', value: 0.3 }, { unit: 'Y', indicator: 'b', value: 0.6 }];
    const w = whatIf(m, prepareScores(m, scores), 'X', []);
    // 0.9 − 0.3 in binary is 0.6000000000000001; the engine publishes 0.6.
    expect(w.nextRank).toMatchObject({ pointsNeeded: 0.6, reachable: true, steps: [{ indicator: 'b', from: 0.2, to: 0.7, gain: 0.5 }, { indicator: 'a', from: 0.1, to: 0.2, gain: 0.1 }] });
  });
});
