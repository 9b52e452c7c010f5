// Exports are safe to open (issue 11 §3): a text cell a spreadsheet would run as a formula is
// neutralised (OWASP CSV injection: a leading apostrophe, quoted) while numbers stay numbers; a
// line break inside a cell is quoted, so a standard reader keeps the row whole; and no public
// answer names a writer's key id: writers are published by role.
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { resultsCsv, scoresCsv } from '../../src/http/present.js';
import type { FrozenScore } from '../../src/store/workflow.js';
import { ADMIN_TOKEN, as, freshApp, json, post, put } from './harness.js';

const FORMULAS = ['=HYPERLINK("https://evil.example/","Bấm vào đây")', "=cmd|' /C calc'!A0", '@SUM(1+1)', '+1+1', '-2+3', '\t=1+1', '\r=1+1'];

const score = (over: Partial<FrozenScore>): FrozenScore => ({
  unit: '01', indicator: '1.1.1', source: 'self', value: 0.5, points: 0.5, note: null, evidence: null,
  updatedAt: '2026-12-02T10:00:00.000Z', updatedBy: 'unit', ...over,
});

/** Records of a CSV as a standard reader sees them (csv-parse, RFC 4180), keyed by the header. */
function records(csv: string): Record<string, string>[] {
  const [header, ...rows]: string[][] = parse(csv, { bom: true, relax_column_count: false });
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe('CSV cells a spreadsheet would run', () => {
  it('are written with a leading apostrophe and quoted, in every text column', () => {
    const csv = scoresCsv(FORMULAS.map((note, i) => score({ indicator: `1.1.${i + 1}`, note, evidence: note })));
    const rows = records(csv);
    expect(rows).toHaveLength(FORMULAS.length);
    expect(rows.map((r) => r.note)).toEqual(FORMULAS.map((f) => `'${f}`));
    expect(rows.map((r) => r.evidence)).toEqual(FORMULAS.map((f) => `'${f}`));
    for (const f of FORMULAS) expect(csv).toContain(`"'${f.replace(/"/g, '""')}"`);
    // no cell of the file, as a reader parses it, starts with a formula character
    expect((parse(csv, { bom: true }) as string[][]).flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });

  it('leave numbers alone: -0.5 in a number column stays a number, text that is not a formula stays as is', () => {
    const rows = records(scoresCsv([score({ value: -0.5, points: -0.5, note: 'Điểm trừ -0,5 theo biên bản', evidence: "'trích dẫn'" })]));
    expect(rows[0]).toMatchObject({ value: '-0.5', points: '-0.5', note: 'Điểm trừ -0,5 theo biên bản', evidence: "'trích dẫn'" });
    const raw = scoresCsv([score({ value: -0.5, points: -1e-7 })]);
    expect(raw).toContain(',-0.5,-1e-7,');
  });

  it('keeps a negative change a number in the results table (decimal columns are not text)', () => {
    const report = {
      cycle: { year: 2024, unitType: 'province', status: 'published', dataVersion: 1, synthetic: true, methodology: { id: 'm', version: 1 } },
      domains: [], leaves: [], computedAt: '2026-12-02T10:00:00.000Z',
      statistics: { index: {}, domains: {}, groups: {}, aboveMean: 0, by: {} },
      rows: [{
        unit: '01', name: { vi: '=Hà Nội', en: 'Hanoi' }, region: 'RRD', ranked: true, attributes: {}, index: 80, rank: 1, rankWithin: {}, group: 'B',
        missing: 0, imputed: 0, nodes: {}, change: { rule: 'same-unit', predecessors: [], previousIndex: 80.5, indexChange: -0.5, previousRank: 1, rankChange: -2, domains: {} },
      }],
    } as never;
    const provenance = { cycle: { year: 2024, unitType: 'province', status: 'published', synthetic: true, methodology: { id: 'm', version: 1, provisionalNodes: 0, rounding: 2 } }, revision: { kind: 'draft' as const } };
    const [row] = records(resultsCsv(report, {}, provenance));
    expect(row).toMatchObject({ 'change.indexChange': '-0.50', 'change.rankChange': '-2', 'unit.name.vi': "'=Hà Nội" });
  });

  it('quote a line feed or carriage return inside a cell, so the row stays one row', () => {
    const csv = scoresCsv([score({ note: 'dòng 1\ndòng 2' }), score({ indicator: '1.1.2', note: 'a\rb' }), score({ indicator: '1.1.3', note: 'cuối' })]);
    expect(csv).toContain('"dòng 1\ndòng 2"');
    expect(records(csv).map((r) => r.note)).toEqual(['dòng 1\ndòng 2', 'a\rb', 'cuối']);
  });
});

describe('exports and public answers through the API', () => {
  let api: Awaited<ReturnType<typeof freshApp>>;
  const CYCLE = '/v1/cycles/2026/province';
  const keys = { unit01: { key: '', id: '' }, appraiser: { key: '', id: '' } };
  const status = (to: string, key?: string) => api.request(`${CYCLE}/status`, post({ status: to }, key));

  beforeAll(async () => {
    api = await freshApp();
    for (const [name, body] of [['unit01', { role: 'unit', unit: '01' }], ['appraiser', { role: 'appraiser' }]] as const) {
      const created = await json(await api.request('/v1/api-keys', post(body)));
      keys[name] = { key: created.key, id: created.id };
    }
    expect((await api.request('/v1/cycles', post({ year: 2026, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
    // five formulas (a stored note may not hold a tab or a carriage return), and a note of two lines
    const indicators = ['1.1.1', '1.1.2', '1.1.3', '1.2.1', '1.2.2', '1.2.3'];
    const notes = [...FORMULAS.slice(0, 5), 'Dòng một\nDòng hai'];
    const own = notes.map((note, i) => ({ unit: '01', indicator: indicators[i], source: 'self', value: 0.25, note }));
    const upload = await api.request(`${CYCLE}/scores`, put({ scores: own }, 'application/json', keys.unit01.key));
    expect(upload.status, await upload.clone().text()).toBe(200);
  });

  it('neutralise formulas and keep a multi-line note one row in scores.csv, while JSON has the text as stored', async () => {
    const res = await api.request(`${CYCLE}/scores.csv?revision=draft&unit=01`, as());
    const rows = records(await res.text());
    expect(rows).toHaveLength(6);
    expect(rows.slice(0, 5).map((r) => r.note)).toEqual(FORMULAS.slice(0, 5).map((f) => `'${f}`));
    expect(rows[5].note).toBe('Dòng một\nDòng hai');
    const stored = (await json(await api.request(`${CYCLE}/scores?revision=draft&unit=01`, as()))).scores;
    expect(stored.map((s: any) => s.note)).toEqual([...FORMULAS.slice(0, 5), 'Dòng một\nDòng hai']);
  });

  it('name writers by role in every public answer, the published bundle included; an admin\'s draft keeps the key id', async () => {
    const draft = (await json(await api.request(`${CYCLE}/scores?revision=draft`, as()))).scores;
    expect(new Set(draft.map((s: any) => s.updatedBy))).toEqual(new Set([keys.unit01.id]));
    const ownDraft = (await json(await api.request(`${CYCLE}/scores?revision=draft`, as({}, keys.unit01.key)))).scores;
    expect(new Set(ownDraft.map((s: any) => s.updatedBy))).toEqual(new Set(['unit']));
    expect((await status('appraisal')).status).toBe(200);
    const appraised = [{ unit: '01', indicator: '1.1.1', source: 'appraisal', value: 0.25 }];
    expect((await api.request(`${CYCLE}/scores`, put({ scores: appraised }, 'application/json', keys.appraiser.key))).status).toBe(200);
    expect((await api.request(`${CYCLE}/scores`, put({ scores: [{ unit: '01', indicator: '1.6', source: 'survey', value: 1.5 }] }))).status).toBe(200);
    for (const to of ['review', 'published']) expect((await status(to)).status).toBe(200);

    const secrets = [keys.unit01.id, keys.appraiser.id, 'env-admin', 'par_', keys.unit01.key, ADMIN_TOKEN];
    const PUBLIC = ['scores', 'scores.csv', 'scores?revision=1', 'scores.csv?revision=1', 'revisions', 'revisions/1/bundle', 'revisions/1/diff/1',
      'results', 'results.csv', 'results.csv-metadata.json', 'statistics', 'units/01', 'units/01/strengths', 'units/01/peers'];
    for (const path of PUBLIC) {
      for (const init of [{}, as({}, keys.unit01.key)]) {
        const res = await api.request(`${CYCLE}/${path}`, init);
        expect(res.status, path).toBe(200);
        const text = await res.text();
        for (const secret of secrets) expect(text.includes(secret), `${path} shows ${secret}`).toBe(false);
      }
    }
    const published = (await json(await api.request(`${CYCLE}/scores`))).scores;
    expect(Object.fromEntries(published.map((s: any) => [`${s.indicator}/${s.source}`, s.updatedBy]))).toMatchObject({ '1.1.1/self': 'unit', '1.1.1/appraisal': 'appraiser', '1.6/survey': 'admin' });
    expect((await json(await api.request(`${CYCLE}/revisions`))).revisions[0].publishedBy).toBe('admin');
    expect((await json(await api.request('/v1/cycles/2024/province/revisions'))).revisions[0].publishedBy).toBe('system');
  });
});
