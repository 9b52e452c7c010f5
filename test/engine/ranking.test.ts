// Competition ranks, not-ranked units, ranks within a region and per node, groups, statistics.
import { describe, expect, it } from 'vitest';
import { competitionRanks, compareWithPrevious, computeCycle, groupOf, summarise } from '../../src/engine/index.js';

const methodology = { id: 'p', mode: 'points', missing: 'zero', nodes: [{ code: 'R' }, { code: '1', parent: 'R', max: 50 }, { code: '2', parent: 'R', max: 50 }] };
const unit = (code: string, region: string, ranked = true) => ({ code, ranked, attributes: { region } });
const scores = (u: string, a: number, b: number) => [{ unit: u, indicator: '1', value: a }, { unit: u, indicator: '2', value: b }];

describe('ranking and groups', () => {
  it('competition ranking on unrounded values: 1, 2, 2, 4', () => {
    expect(competitionRanks([90, 85, 85, 80])).toEqual([1, 2, 2, 4]);
    expect(competitionRanks([89.996, 90.004])).toEqual([2, 1]); // both display as 90.00
    expect(competitionRanks([1, NaN, 2], (i) => i !== 2)).toEqual([1, null, null]);
  });

  it('groups by thresholds, A ≥ 90, B ≥ 80, C ≥ 70, D below', () => {
    const g = [{ code: 'A', min: 90 }, { code: 'B', min: 80 }, { code: 'C', min: 70 }, { code: 'D', min: 0 }];
    expect([95, 90, 89.999, 80, 70, 69.99, -5].map((x) => groupOf(x, g))).toEqual(['A', 'A', 'B', 'B', 'C', 'D', 'D']);
  });

  it('ranks the index, every domain and within regions; not-ranked units have no rank', () => {
    const units = [unit('A', 'N'), unit('B', 'N'), unit('C', 'S'), unit('D', 'S'), unit('X', 'S', false)];
    const out = computeCycle({ methodology, units, scores: [...scores('A', 45, 45), ...scores('B', 40, 45), ...scores('C', 45, 40), ...scores('D', 30, 30), ...scores('X', 50, 50)] });
    const rows = Object.fromEntries(out.results.map((r) => [r.unit, [r.index, r.rank, r.rankWithin.region, r.group, r.nodes['1'].rank]]));
    expect(rows).toEqual({
      A: [90, 1, 1, 'A', 1], B: [85, 2, 2, 'B', 3], C: [85, 2, 1, 'B', 1], D: [60, 4, 2, 'D', 4], X: [100, null, null, 'A', null],
    });
    expect(out.results.map((r) => r.unit)).toEqual(['A', 'B', 'C', 'D', 'X']);
  });

  it('describes the cycle: summary of index and domains, per region, groups, how many above the mean', () => {
    const units = [unit('A', 'N'), unit('B', 'N'), unit('C', 'S'), unit('D', 'S')];
    const out = computeCycle({ methodology, units, scores: [...scores('A', 45, 45), ...scores('B', 40, 45), ...scores('C', 45, 40), ...scores('D', 30, 30)] });
    const st = out.statistics;
    expect(st.index).toMatchObject({ n: 4, mean: 80, median: 85, min: 60, max: 90 });
    // Population sd, published snapped to 9 decimals like every derived number.
    expect(st.index.sd).toBe(Math.round(Math.sqrt((100 + 25 + 25 + 400) / 4) * 1e9) / 1e9);
    expect(st.groups).toEqual({ A: 1, B: 2, C: 0, D: 1 });
    expect(st.aboveMean).toBe(3);
    expect(st.domains['1']).toMatchObject({ n: 4, mean: 80 }); // % of max: 90, 80, 90, 60
    expect(st.by.region.S.index).toMatchObject({ n: 2, mean: 72.5 });
  });

  it('summarises empty input without inventing numbers', () => {
    expect(summarise([null])).toEqual({ n: 0, mean: null, median: null, sd: null, min: null, max: null, q1: null, q3: null });
  });
});

describe('change against the previous cycle through lineage', () => {
  const row = (u: string, index: number, rank: number, d1: number) => ({ unit: u, index, rank, nodes: { '1': { percent: d1 } } });
  const previous = [row('01', 90, 1, 80), row('02', 80, 3, 70), row('03', 84, 2, 60)];
  const lineage: Record<string, { code: string; weight?: number }[]> = {
    '02-2025': [{ code: '02' }, { code: '03' }],
    '03-2025': [{ code: '02', weight: 1 }, { code: '03', weight: 3 }],
  };
  const current = [row('01', 92, 2, 85), row('02-2025', 85, 1, 75), row('03-2025', 85, 1, 75), row('NEW', 70, 4, 50)];
  const out = compareWithPrevious(current, previous, (u) => lineage[u] ?? [], ['1']);

  it('the same unit: points; no rank change while a ranked unit (NEW) has no previous value to restate', () => {
    expect(out.get('01')).toMatchObject({ rule: 'same-unit', previousIndex: 90, indexChange: 2, previousRank: 1, domains: { '1': { previous: 80, change: 5 } } });
    expect(out.get('01')).toMatchObject({ rankRule: 'not-restatable', restatedRank: null, restatedOf: null, rankChange: null });
  });
  it('a merged unit: the mean, or the weighted mean, of its predecessors, and no rank change', () => {
    expect(out.get('02-2025')).toMatchObject({ rule: 'mean-of-predecessors', predecessors: ['02', '03'], previousIndex: 82, indexChange: 3, previousRank: null, rankChange: null });
    expect(out.get('03-2025')).toMatchObject({ rule: 'weighted-mean-of-predecessors', previousIndex: 83, domains: { '1': { previous: 62.5, change: 12.5 } } });
  });
  it('no lineage, no comparison', () => {
    expect(out.get('NEW')).toMatchObject({ rule: 'no-lineage', previousIndex: null, indexChange: null });
  });
});
