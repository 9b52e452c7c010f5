// Which sources a batch may score once per unit and leaf (issue 12), where the duplicate check's
// bookkeeping could confuse two of them: sources named like numbers on a leaf that takes any,
// a self-assessment of an appraised leaf beside a declared source, and the first leaf of the tree.
import { describe, expect, it } from 'vitest';
import { compileMethodology, EngineError, scoreRows, takesSelf, type ScoreInput } from '../../src/engine/index.js';

function duplicates(methodology: ReturnType<typeof compileMethodology>, scores: ScoreInput[]) {
  try { scoreRows(methodology, scores, [{ code: 'U' }]); } catch (e) {
    if (e instanceof EngineError) return e.issues.map((i) => [i.row, i.message]);
    throw e;
  }
  return [];
}

describe('a leaf that declares no source', () => {
  // a takes appraisal then survey; n declares none (any name, each its own source)
  const m = compileMethodology({
    id: 'n', mode: 'points', missing: 'skip', nodes: [
      { code: 'R' }, { code: 'a', parent: 'R', max: 10, source: ['appraisal', 'survey'] }, { code: 'n', parent: 'R', max: 10 },
    ],
  });
  const on = (source?: string): ScoreInput => ({ unit: 'U', indicator: 'n', value: 1, ...(source !== undefined && { source }) });

  it('takes sources named like numbers, each apart from the others and from no source at all', () => {
    expect(duplicates(m, [on(), on('0'), on('1'), on('2'), on('3'), on('-1')])).toEqual([]);
  });

  it('refuses a second score from a source named like a number, as from any other', () => {
    expect(duplicates(m, [on('1'), on('3'), on('1'), on(), on()])).toEqual([
      [2, 'duplicate score for unit U, indicator n, source 1'],
      [4, 'duplicate score for unit U, indicator n, source (none)'],
    ]);
  });
});

describe('a self-assessment of an appraised leaf', () => {
  it('is apart from every source the leaf declares, the second of them included', () => {
    // a: appraisal (first), survey (second); self is kept as the basis of the appraisal
    const m = compileMethodology({
      id: 'a', mode: 'points', missing: 'skip', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 10, source: ['appraisal', 'survey'] }],
    });
    const scores = ['survey', 'self', 'appraisal'].map((source): ScoreInput => ({ unit: 'U', indicator: 'a', value: 2, source }));
    expect(duplicates(m, scores)).toEqual([]);
    expect(duplicates(m, [...scores, { unit: 'U', indicator: 'a', value: 3, source: 'self' }])).toEqual([[3, 'duplicate score for unit U, indicator a, source self']]);
  });

  it('is scored once on the first leaf of the tree, and apart from a leaf before it that takes any source', () => {
    // q (appraisal only) is the first leaf; in the second tree n (no source) comes just before it
    for (const leaves of [[{ code: 'q', parent: 'R', max: 10, source: 'appraisal' }], [{ code: 'n', parent: 'R', max: 10 }, { code: 'q', parent: 'R', max: 10, source: 'appraisal' }]]) {
      const m = compileMethodology({ id: 'f', mode: 'points', missing: 'skip', nodes: [{ code: 'R' }, ...leaves] });
      const self: ScoreInput = { unit: 'U', indicator: 'q', value: 4, source: 'self' };
      const any: ScoreInput[] = leaves.length > 1 ? [{ unit: 'U', indicator: 'n', value: 1 }] : [];
      expect(duplicates(m, [...any, self])).toEqual([]);
      expect(duplicates(m, [...any, self, self])).toEqual([[any.length + 1, 'duplicate score for unit U, indicator q, source self']]);
    }
  });
});

describe('the leaves a unit self-assesses (the form and the template both ask)', () => {
  it('a leaf taking self, one scored by appraisal, and one naming no source; not survey alone', () => {
    expect(takesSelf({ sources: ['self'] })).toBe(true);
    expect(takesSelf({ sources: ['appraisal'] })).toBe(true);
    expect(takesSelf({ sources: [] })).toBe(true);
    expect(takesSelf({ sources: ['survey'] })).toBe(false);
    expect(takesSelf({ sources: ['survey', 'appraisal'] })).toBe(true);
  });
});
