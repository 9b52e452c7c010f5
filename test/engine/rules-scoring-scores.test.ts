// Scores in (issue 12): which (unit, leaf, source) a batch may score once, which source counts,
// what a refused row says, and which units a batch names. Known answers by hand, and a naive oracle
// (string keys in a Set) for duplicates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMethodology, EngineError, prepareScores, scoreRows, type ScoreInput } from '../../src/engine/index.js';

// p takes appraisal then self; q appraisal only (a self-assessment is kept apart); r declares no
// source (any, by name); t survey only (the default when none is named)
const methodology = compileMethodology({
  id: 's', mode: 'points', missing: 'skip', nodes: [
    { code: 'R' },
    { code: 'p', parent: 'R', max: 10, source: ['appraisal', 'self'] },
    { code: 'q', parent: 'R', max: 10, source: 'appraisal' },
    { code: 'r', parent: 'R', max: 10 },
    { code: 't', parent: 'R', max: 10, source: 'survey' },
  ],
});
const sourcesOf: Record<string, (string | undefined)[]> = {
  p: ['appraisal', 'self'], q: ['appraisal', 'self'], r: [undefined, 'x', 'y', 'self'], t: [undefined, 'survey'],
};
/** What the source named resolves to: the leaf's only source, or no source ('') where it declares none. */
const resolved = (indicator: string, source: string | undefined) => source ?? (indicator === 't' ? 'survey' : '');

function issuesOf(f: () => unknown) {
  try { f(); } catch (e) { if (e instanceof EngineError) return e.issues; throw e; }
  return [];
}

describe('duplicates', () => {
  it('a (unit, leaf, source) is scored once per batch; any other combination is new (against a naive oracle)', () => {
    const row = fc.record({
      unit: fc.constantFrom('U0', 'U1', 'U2'),
      indicator: fc.constantFrom('p', 'q', 'r', 't'),
      pick: fc.nat(3),
      value: fc.integer({ min: 0, max: 10 }),
    }).map(({ unit, indicator, pick, value }): ScoreInput => {
      const source = sourcesOf[indicator][pick % sourcesOf[indicator].length];
      return { unit, indicator, value, ...(source !== undefined && { source }) };
    });
    fc.assert(fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
      const seen = new Set<string>();
      const expected: [number, string][] = [];
      rows.forEach((r, i) => {
        const key = JSON.stringify([r.unit, r.indicator, resolved(r.indicator, r.source)]);
        if (seen.has(key)) expected.push([i, `duplicate score for unit ${r.unit}, indicator ${r.indicator}, source ${resolved(r.indicator, r.source) || '(none)'}`]);
        seen.add(key);
      });
      const units = [{ code: 'U0' }, { code: 'U1' }, { code: 'U2' }];
      expect(issuesOf(() => scoreRows(methodology, rows, units)).map((i) => [i.row, i.message])).toEqual(expected);
    }), { numRuns: 500 });
  });

  it('a unit listed twice is refused, naming it', () => {
    expect(issuesOf(() => scoreRows(methodology, [], [{ code: 'U' }, { code: 'V' }, { code: 'U' }]))).toEqual([{ unit: 'U', message: 'unit U is listed twice' }]);
  });
});

describe('which score counts', () => {
  const cell = (scores: ScoreInput[], indicator: string) => {
    const m = prepareScores(methodology, scores, [{ code: 'U' }]);
    return m.values[m.leafNodes.indexOf(methodology.byCode.get(indicator)!)];
  };

  it('the first source in the leaf\'s order of precedence, whichever comes first in the batch', () => {
    expect(cell([{ unit: 'U', indicator: 'p', value: 3, source: 'self' }, { unit: 'U', indicator: 'p', value: 7, source: 'appraisal' }], 'p')).toBe(7);
    expect(cell([{ unit: 'U', indicator: 'p', value: 7, source: 'appraisal' }, { unit: 'U', indicator: 'p', value: 3, source: 'self' }], 'p')).toBe(7);
    expect(cell([{ unit: 'U', indicator: 'p', value: 3, source: 'self' }], 'p')).toBe(3);
  });

  it('a self-assessment of an appraised leaf is recorded but never counts, even alone', () => {
    const { rows } = scoreRows(methodology, [{ unit: 'U', indicator: 'q', value: 9, source: 'self' }], [{ code: 'U' }]);
    expect(rows).toEqual([{ unit: 0, slot: 1, source: 'self', precedence: 0, value: 9, counted: false }]);
    expect(cell([{ unit: 'U', indicator: 'q', value: 9, source: 'self' }], 'q')).toBeNaN();
    expect(cell([{ unit: 'U', indicator: 'q', value: 9, source: 'self' }, { unit: 'U', indicator: 'q', value: 4, source: 'appraisal' }], 'q')).toBe(4);
  });

  it('a leaf that declares no source takes any name, each counting with the same precedence: the first in the batch', () => {
    const { rows } = scoreRows(methodology, [{ unit: 'U', indicator: 'r', value: 2, source: 'y' }, { unit: 'U', indicator: 'r', value: 5 }], [{ code: 'U' }]);
    expect(rows.map((r) => [r.source, r.precedence, r.counted])).toEqual([['y', 0, true], ['', 0, true]]);
    expect(cell([{ unit: 'U', indicator: 'r', value: 2, source: 'y' }, { unit: 'U', indicator: 'r', value: 5 }], 'r')).toBe(2);
  });

  it('on a leaf that declares no source, a self-assessment is a source like any other and counts', () => {
    expect(cell([{ unit: 'U', indicator: 'r', value: 5, source: 'self' }], 'r')).toBe(5);
  });

  it('an explicit null is no data: the cell stays missing, and a lower source still counts', () => {
    expect(cell([{ unit: 'U', indicator: 't', value: null }], 't')).toBeNaN();
    expect(cell([{ unit: 'U', indicator: 'p', value: null, source: 'appraisal' }, { unit: 'U', indicator: 'p', value: 3, source: 'self' }], 'p')).toBe(3);
  });
});

describe('a refused row', () => {
  it('names the row, the field, the unit, the indicator and the value refused', () => {
    const issues = issuesOf(() => scoreRows(methodology, [
      { unit: 'Z', indicator: 'p', value: 1, source: 'self' },
      { unit: 'U', indicator: 'nope', value: 1 },
      { unit: 'U', indicator: 't', value: 1, source: 'self' },
      { unit: 'U', indicator: 'q', value: 11, source: 'appraisal' },
    ], [{ code: 'U' }]));
    expect(issues).toEqual([
      { row: 0, field: 'unit', unit: 'Z', node: 'p', message: 'unknown unit Z', value: 'Z' },
      { row: 1, field: 'indicator', unit: 'U', node: 'nope', message: 'unknown indicator nope', value: 'nope' },
      { row: 2, field: 'source', unit: 'U', node: 't', message: 'indicator t does not take source self (takes survey)', value: 'self' },
      { row: 3, field: 'value', unit: 'U', node: 'q', message: 'value 11 is outside [0, 10]', value: 11 },
    ]);
  });

  it('a source the leaf does not take is refused, listing all it takes', () => {
    expect(issuesOf(() => scoreRows(methodology, [{ unit: 'U', indicator: 'p', value: 1, source: 'survey' }], [{ code: 'U' }])).map((i) => i.message))
      .toEqual(['indicator p does not take source survey (takes appraisal, self)']);
  });

  it('a leaf without a rule in weighted mode takes a finite number only', () => {
    const weighted = compileMethodology({ id: 'w', mode: 'weighted', missing: 'skip', nodes: [{ code: 'I' }, { code: 'a', parent: 'I' }] });
    expect(scoreRows(weighted, [{ unit: 'U', indicator: 'a', value: -1234.5 }]).rows[0].value).toBe(-1234.5);
    for (const value of [Infinity, { A: 1 }]) {
      expect(issuesOf(() => scoreRows(weighted, [{ unit: 'U', indicator: 'a', value }])).map((i) => i.message)).toEqual(['value must be a finite number']);
    }
  });

  it('in weighted mode a points rule does not bound the raw value, any other rule applies', () => {
    const weighted = compileMethodology({
      id: 'w', mode: 'weighted', missing: 'skip', nodes: [
        { code: 'I' }, { code: 'a', parent: 'I', max: 100, rule: { type: 'points' } }, { code: 'b', parent: 'I', max: 1, rule: { type: 'binary' } },
      ],
    });
    expect(scoreRows(weighted, [{ unit: 'U', indicator: 'a', value: 250 }]).rows[0].value).toBe(250);
    expect(issuesOf(() => scoreRows(weighted, [{ unit: 'U', indicator: 'b', value: 0.5 }])).map((i) => i.message)).toEqual(['value 0.5 is not 0 or 1']);
  });
});

describe('the units of a batch', () => {
  it('are those its scores name, once each, in the order they first appear, ranked and without attributes', () => {
    const { units } = scoreRows(methodology, [
      { unit: 'V', indicator: 't', value: 1 }, { unit: 'U', indicator: 't', value: 1 }, { unit: 'V', indicator: 'r', value: 1 },
    ]);
    expect(units).toEqual([{ code: 'V', ranked: true, attributes: {} }, { code: 'U', ranked: true, attributes: {} }]);
  });
});
