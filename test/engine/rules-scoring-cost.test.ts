// The cost of an answer, estimated before the computation (issue 12): codes count at their size as
// UTF-8 JSON, and the estimate is never below the answer actually written.
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMethodology, computeCycle, estimateAnswerBytes, textProblem } from '../../src/engine/index.js';

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
