// The 2025 mergers through the JSON routes: a province's change in places is measured against the
// 2024 cycle re-ranked on the 34 provinces (restated), and the results and the scorecard agree.
import { beforeAll, describe, expect, it } from 'vitest';
import units from '../../data/units.json';
import { freshApp, json } from './harness.js';

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => { api = await freshApp(); });

/** 2024's index of each 2025 province, by hand: its own, or the plain mean of its whole predecessors. */
function restated2024(y2024: Map<string, number>, code: string): number {
  if (y2024.has(code)) return y2024.get(code)!;
  const preds = units.units.find((u) => u.code === code)!.predecessors.filter((p: { code: string; part?: boolean }) => !p.part).map((p) => y2024.get(p.code)!);
  return preds.reduce((s, x) => s + x, 0) / preds.length;
}

describe('rank change across the 2025 mergers', () => {
  it('measures Nghệ An\'s places against its restated 2024 rank among the 34, not its rank among 63', async () => {
    const r2025 = (await json(await api.request('/v1/cycles/2025/province/results'))).results;
    const r2024 = (await json(await api.request('/v1/cycles/2024/province/results'))).results;
    expect([r2025.length, r2024.length]).toEqual([34, 63]);
    const y2024 = new Map<string, number>(r2024.map((r: any) => [r.unit.code, r.index]));
    const values = r2025.map((r: any) => restated2024(y2024, r.unit.code));
    const ngheAn = r2025.find((r: any) => r.unit.code === '40');
    const mine = restated2024(y2024, '40');
    const expectedRank = 1 + values.filter((v: number) => v > mine + 1e-9).length;
    expect(ngheAn.change).toMatchObject({
      rule: 'same-unit', rankRule: 'restated-on-current-units', restatedOf: 34, restatedRank: expectedRank,
      previousRank: r2024.find((r: any) => r.unit.code === '40').rank, rankChange: expectedRank - ngheAn.rank,
    });
    // Every ranked province has a restated rank among the 34, computed as above.
    for (const [i, r] of r2025.entries()) expect(r.change.restatedRank).toBe(1 + values.filter((v: number) => v > values[i] + 1e-9).length);
  });

  it('restates a merged province by its predecessors\' mean, and the scorecard says the same as the results', async () => {
    const r2025 = (await json(await api.request('/v1/cycles/2025/province/results'))).results;
    const haiPhong = r2025.find((r: any) => r.unit.code === '31-2025');
    expect(haiPhong.change).toMatchObject({ rule: 'mean-of-predecessors', previousRank: null, rankRule: 'restated-on-current-units' });
    expect(haiPhong.change.rankChange).toBe(haiPhong.change.restatedRank - haiPhong.rank);
    const card = await json(await api.request('/v1/cycles/2025/province/units/31-2025'));
    expect(card.change).toEqual(haiPhong.change);
  });

  it('keeps the published rank where the units are the same both years (2024 against 2023)', async () => {
    const r2024 = (await json(await api.request('/v1/cycles/2024/province/results'))).results;
    const r2023 = new Map((await json(await api.request('/v1/cycles/2023/province/results'))).results.map((r: any) => [r.unit.code, r.rank]));
    for (const r of r2024) expect(r.change).toMatchObject({ rankRule: 'same-units', restatedRank: r2023.get(r.unit.code), rankChange: (r2023.get(r.unit.code) as number) - r.rank });
  });

  it('says so where no restatement is possible: the 2025 ministries (a successor with only part-predecessors)', async () => {
    const r2025 = (await json(await api.request('/v1/cycles/2025/ministry/results'))).results;
    expect(r2025.find((r: any) => r.unit.code === 'MOHA-2025').change).toMatchObject({ rule: 'no-lineage', previousIndex: null });
    expect(r2025.every((r: any) => r.change.rankRule === 'not-restatable' && r.change.rankChange === null)).toBe(true);
  });

  it('the CSV carries the restated rank and the rule', async () => {
    const csv = await (await api.request('/v1/cycles/2025/province/results.csv')).text();
    const [header, ...lines] = csv.replace(/^\ufeff/, '').trim().split(/\r?\n/);
    const cols = header.split(',');
    const ngheAn = lines.find((l) => l.split(',')[cols.indexOf('unit.code')] === '40')!.split(',');
    expect(ngheAn[cols.indexOf('change.rankRule')]).toBe('restated-on-current-units');
    expect(Number(ngheAn[cols.indexOf('change.restatedRank')])).toBeGreaterThan(0);
  });
});
