// The cost of an answer, estimated before the computation (issue 12): codes count at their size as
// UTF-8 JSON, and the estimate is never below the answer actually written.
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BudgetError, checkAnswerBudget, checkComputeBudget, checkUncertaintyBudget, compileMethodology, computeCycle, estimateAnswerBytes,
  evaluate, MAX_PAIRS, prepareScores, rankUncertainty, textProblem,
} from '../../src/engine/index.js';

/** Bytes of a string written as a JSON string in UTF-8, its quotes included: the independent oracle. */
const jsonUtf8 = (s: string) => Buffer.byteLength(JSON.stringify(s), 'utf8');

// Characters of every UTF-8 length and both JSON escapes: 1 byte (a, ~), escaped to 2 (" and \),
// 2 bytes (é, ß, U+07FF), 3 bytes (U+0800, €, 中, U+FFFD), 4 bytes (a surrogate pair: 😀, 𝄞).
const char = fc.constantFrom('a', '~', '"', '\\', 'é', 'ß', '\u07ff', '\u0800', '€', '中', '\ufffd', '😀', '𝄞');
const code = fc.array(char, { minLength: 1, maxLength: 12 }).map((cs) => cs.join('')).filter((s) => textProblem(s) === undefined);

const methodology = compileMethodology({
  id: 'cost', mode: 'points', missing: 'zero',
  nodes: [{ code: 'R' }, { code: 'D1', parent: 'R' }, { code: 'x', parent: 'D1', max: 2 }, { code: 'y', parent: 'D1', max: 3 }, { code: 'D2', parent: 'R', max: 5 }],
});

describe('the estimated size of an answer', () => {
  it('counts a unit code at its size as a UTF-8 JSON string, escapes and characters outside ASCII included', () => {
    fc.assert(fc.property(code, (c) => {
      const base = estimateAnswerBytes(methodology, [{ code: 'a' }]);
      expect(estimateAnswerBytes(methodology, [{ code: c }]) - base).toBe(jsonUtf8(c) - jsonUtf8('a'));
    }), { numRuns: 300 });
  });

  it('counts each character at its UTF-8 length at the boundaries between lengths', () => {
    // U+007F 1 byte | U+0080, U+07FF 2 | U+0800, U+D7FF, U+E000, U+FFFF 3 | U+10000, U+10FFFF 4 (two UTF-16 units each)
    const base = estimateAnswerBytes(methodology, [{ code: 'a' }]);
    for (const c of ['\u007f', '\u0080', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\ud800\udc00', '\udbff\udfff']) {
      expect(estimateAnswerBytes(methodology, [{ code: c }]) - base, c.codePointAt(0)!.toString(16)).toBe(jsonUtf8(c) - jsonUtf8('a'));
    }
  });

  it('counts an attribute\'s key and value at their UTF-8 JSON size, a null as the 4 bytes of null and a separator', () => {
    const base = estimateAnswerBytes(methodology, [{ code: 'U', attributes: {} }]);
    fc.assert(fc.property(code, code, (key, value) => {
      fc.pre(key !== 'region');
      const withValue = estimateAnswerBytes(methodology, [{ code: 'U', attributes: { [key]: value } }]);
      expect(withValue - base).toBe(jsonUtf8(key) + 2 + jsonUtf8(value) + 2);
      // "key":null, → the key, its colon and comma, and null (4 bytes) with one spare
      const withNull = estimateAnswerBytes(methodology, [{ code: 'U', attributes: { [key]: null } }]);
      expect(withNull - base).toBe(jsonUtf8(key) + 2 + 5);
    }), { numRuns: 200 });
  });

  it('is never below the answer written, whatever the codes, attributes and regions', () => {
    const unit = fc.record({
      code,
      region: fc.option(fc.constantFrom('N', 'S', 'Đông Nam Bộ', '"quoted"'), { nil: undefined }),
      note: fc.option(code, { nil: null }),
    });
    fc.assert(fc.property(fc.uniqueArray(unit, { minLength: 1, maxLength: 8, selector: (u) => u.code }), fc.nat(), (units, seed) => {
      const asked = units.map((u) => ({
        code: u.code,
        attributes: { note: u.note, ...(u.region !== undefined && { region: u.region }) },
      }));
      const scores = asked.flatMap((u, i) => [
        { unit: u.code, indicator: 'x', value: (seed + i) % 3 },
        { unit: u.code, indicator: 'D2', value: ((seed * 7 + i) % 11) / 2.2 },
      ]);
      const answer = computeCycle({ methodology, scores, units: asked });
      expect(estimateAnswerBytes(methodology, asked)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(answer), 'utf8'));
    }), { numRuns: 150 });
  });
});

describe('with the uncertainty analysis', () => {
  it('the estimate is never below the answer with its analysis, tied units and long codes included', () => {
    fc.assert(fc.property(fc.uniqueArray(code, { minLength: 2, maxLength: 12 }), fc.nat(3), (codes, spread) => {
      const units = codes.map((c) => ({ code: c, attributes: { region: c.length % 2 ? 'odd' : 'even' } }));
      // few distinct values: many units tie, and many pairs are indistinguishable
      const scores = units.flatMap((u, i) => [{ unit: u.code, indicator: 'x', value: (i % (spread + 1)) / 2 }, { unit: u.code, indicator: 'D2', value: 5 - (i % 2) }]);
      const matrix = prepareScores(methodology, scores, units);
      const evaluation = evaluate(methodology, matrix);
      const out = computeCycle({ methodology, scores, units });
      const uncertainty = rankUncertainty(methodology, matrix.units, evaluation, { draws: 20, perturbation: 0.3, distribution: 'uniform', seed: 7 });
      const real = Buffer.byteLength(JSON.stringify({ ...out, uncertainty }), 'utf8');
      expect(estimateAnswerBytes(methodology, units, true)).toBeGreaterThanOrEqual(real);
    }), { numRuns: 60 });
  });
});

describe('when the indistinguishable pairs dominate the answer', () => {
  it('the estimate is still not below it: 40 tied units with codes of 100 bytes, 780 pairs of them', () => {
    const units = Array.from({ length: 40 }, (_, i) => ({ code: `${String(i).padStart(2, '0')}${'😀'.repeat(24)}` }));
    const scores = units.flatMap((u) => [{ unit: u.code, indicator: 'x', value: 1 }, { unit: u.code, indicator: 'D2', value: 3 }]);
    const matrix = prepareScores(methodology, scores, units);
    const uncertainty = rankUncertainty(methodology, matrix.units, evaluate(methodology, matrix), { draws: 10, perturbation: 0.2, distribution: 'uniform', seed: 1 });
    expect(uncertainty.indistinguishableTotal).toBe(780);
    const real = Buffer.byteLength(JSON.stringify({ ...computeCycle({ methodology, scores, units }), uncertainty }), 'utf8');
    const estimate = estimateAnswerBytes(methodology, units, true);
    expect(estimate).toBeGreaterThanOrEqual(real);
    // and it stays an estimate: the pairs are counted as they are listed (780, not 10,000 nor 40 × 39)
    expect(estimate).toBeLessThan(2 * real);
  });
});

describe('statistics per region', () => {
  it('are counted once per region: a second unit in a counted region costs what a unit without a region costs', () => {
    // same byte lengths throughout: the attribute 'region' against 'zzzzzz', the regions N and M against n
    const est = (units: { code: string; attributes: Record<string, string> }[]) => estimateAnswerBytes(methodology, units);
    const u = (code: string, key: string, value: string) => ({ code, attributes: { [key]: value } });
    const sameRegion = est([u('U', 'region', 'N'), u('V', 'region', 'N')]) - est([u('U', 'region', 'N')]);
    const noRegion = est([u('U', 'region', 'N'), u('V', 'zzzzzz', 'n')]) - est([u('U', 'region', 'N')]);
    expect(sameRegion).toBe(noRegion);
    // a new region costs its statistics: what one unit with a region costs over one without
    const newRegion = est([u('U', 'region', 'N'), u('V', 'region', 'M')]) - est([u('U', 'region', 'N')]);
    expect(newRegion - noRegion).toBe(est([u('U', 'region', 'N')]) - est([u('U', 'zzzzzz', 'n')]));
    expect(newRegion).toBeGreaterThan(noRegion);
  });
});

describe('budgets checked before a computation', () => {
  // methodology: 5 nodes (R, D1, x, y, D2), 2 domains
  const three = [{ code: 'U' }, { code: 'V' }, { code: 'W' }];
  const refusal = (f: () => void) => {
    try { f(); } catch (e) { if (e instanceof BudgetError) return { budget: e.budget, message: e.issues[0].message, path: e.issues[0].path }; throw e; }
    return null;
  };

  it('units, then units × nodes, each up to its limit inclusive', () => {
    expect(refusal(() => checkComputeBudget(methodology, three, { computeUnits: 3, cells: 15 }))).toBeNull();
    expect(refusal(() => checkComputeBudget(methodology, three, { computeUnits: 2 }))).toEqual({
      budget: 'computeUnits', message: 'units in the computation: 3, more than the limit of 2 (budget computeUnits)', path: ['units'],
    });
    expect(refusal(() => checkComputeBudget(methodology, three, { cells: 14 }))).toEqual({
      budget: 'cells', message: 'units × methodology nodes (3 × 5): 15, more than the limit of 14 (budget cells)', path: [],
    });
  });

  it('draws, draws × units and draws × units × domains, at the path given (draws by default)', () => {
    expect(refusal(() => checkUncertaintyBudget(methodology, 3, 4, ['draws'], { draws: 4, drawUnits: 12, drawCells: 24 }))).toBeNull();
    expect(refusal(() => checkUncertaintyBudget(methodology, 3, 4, undefined, { draws: 3 }))).toEqual({
      budget: 'draws', message: 'Monte Carlo draws: 4, more than the limit of 3 (budget draws)', path: ['draws'],
    });
    expect(refusal(() => checkUncertaintyBudget(methodology, 3, 4, ['uncertainty', 'draws'], { drawUnits: 11 }))).toEqual({
      budget: 'drawUnits', message: 'draws × units (4 × 3): 12, more than the limit of 11 (budget drawUnits)', path: ['uncertainty', 'draws'],
    });
    expect(refusal(() => checkUncertaintyBudget(methodology, 3, 4_000, ['draws'], { drawCells: 23_999 }))).toEqual({
      budget: 'drawCells', message: 'draws × units × domains (4,000 × 3 × 2): 24,000, more than the limit of 23,999 (budget drawCells)', path: ['draws'],
    });
  });

  it('the answer\'s estimated size, the analysis counted only when asked for', () => {
    const plain = estimateAnswerBytes(methodology, three);
    const withAnalysis = estimateAnswerBytes(methodology, three, true);
    expect(withAnalysis).toBeGreaterThan(plain);
    expect(refusal(() => checkAnswerBudget(methodology, three, false, { responseBytes: plain }))).toBeNull();
    expect(refusal(() => checkAnswerBudget(methodology, three, true, { responseBytes: plain }))).toEqual({
      budget: 'responseBytes', message: `estimated bytes of the answer: ${withAnalysis.toLocaleString('en')}, more than the limit of ${plain.toLocaleString('en')} (budget responseBytes)`, path: [],
    });
    expect(refusal(() => checkAnswerBudget(methodology, three, false))).toBeNull();
  });
});

describe('what the uncertainty analysis adds to the estimate', () => {
  // Per unit a line (100 bytes) and the longest code; per pair of units (n(n − 1)/2, at most
  // MAX_PAIRS) 10 bytes and two of the longest code; per domain (here 2) a summary of 200 bytes.
  const added = (units: { code: string }[]) => estimateAnswerBytes(methodology, units, true) - estimateAnswerBytes(methodology, units);
  const named = (n: number, code: (i: number) => string) => Array.from({ length: n }, (_, i) => ({ code: code(i) }));

  it('three units, the longest code 3 bytes as JSON plus a separator (7): 3 × 107 + 3 × 24 + 2 × 200', () => {
    expect(added([{ code: 'U' }, { code: 'VVV' }, { code: 'W' }])).toBe(3 * 107 + 3 * 24 + 2 * 200);
  });

  it('one unit has no pair; two units one', () => {
    expect(added([{ code: 'U' }])).toBe(105 + 400);
    expect(added(named(2, (i) => `U${i}`))).toBe(2 * 106 + 1 * 22 + 400);
  });

  it('the pairs are counted up to MAX_PAIRS, no further', () => {
    // 142 units: 10,011 pairs, counted as 10,000; 141 units: 9,870 pairs, all counted
    const code = (i: number) => String(i).padStart(3, '0'); // 3 characters: 7 bytes
    expect(MAX_PAIRS).toBe(10_000);
    expect(added(named(142, code))).toBe(142 * 107 + 10_000 * 24 + 400);
    expect(added(named(141, code))).toBe(141 * 107 + 9_870 * 24 + 400);
  });
});
