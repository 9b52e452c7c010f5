// CSV downloads: display rounding with known answers, column names that are the JSON paths,
// the CSVW metadata that describes each table and carries its provenance, and file names.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { computeCycle, type Change, type MethodologyInput } from '../../src/engine/index.js';
import { contentDisposition, parseScoresCsv, rounded, type CsvProvenance } from '../../src/http/csv.js';
import { resultsCsv, resultsCsvMetadata, scoresCsv, scoresCsvMetadata } from '../../src/http/present.js';
import type { CycleReport } from '../../src/store/results.js';

describe('display rounding: half away from zero on the decimal value', () => {
  // [value, 2 decimals, 0 decimals, 3 decimals]; toFixed gives 1.00 for 1.005, 2.67 for 2.675, -0.01 for -0.005 only by luck
  const table: [number, string, string, string][] = [
    [0.125, '0.13', '0', '0.125'],
    [1.005, '1.01', '1', '1.005'],
    [2.675, '2.68', '3', '2.675'],
    [-0.005, '-0.01', '0', '-0.005'],
    [89.995, '90.00', '90', '89.995'],
    [0.5, '0.50', '1', '0.500'],
    [-2.5, '-2.50', '-3', '-2.500'],
    [1.0005, '1.00', '1', '1.001'],
    [-0.004, '0.00', '0', '-0.004'],
    [0.1 + 0.2, '0.30', '0', '0.300'],
    [99.9999, '100.00', '100', '100.000'],
    [0, '0.00', '0', '0.000'],
    [1e-7, '0.00', '0', '0.000'],
    [1e21, '1000000000000000000000.00', '1000000000000000000000', '1000000000000000000000.000'],
  ];
  it.each(table)('%d → %s (2), %s (0), %s (3)', (x, two, zero, three) => {
    expect([rounded(x, 2), rounded(x, 0), rounded(x, 3)]).toEqual([two, zero, three]);
  });

  it('leaves no data empty and refuses an impossible precision', () => {
    expect([rounded(null, 2), rounded(undefined, 2), rounded(NaN, 2)]).toEqual(['', '', '']);
    expect(rounded(5e-7, 6)).toBe('0.000001');
    expect(() => rounded(1, -1)).toThrow(RangeError);
  });
});

const DOMAINS = [
  { code: '1', name: { vi: 'Công tác chỉ đạo, điều hành', en: 'Direction and management' } },
  { code: '2', name: { vi: 'Cải cách thể chế', en: 'Institutional reform' } },
];

/** A report of two units over two domains (index: % of the total 3), computed by the engine as the store would. */
function report(mode: 'points' | 'weighted' = 'points'): CycleReport {
  const weighted = mode === 'weighted';
  const methodology: MethodologyInput = {
    id: 'csv-test', mode, missing: 'zero', unitType: 'province', ...(weighted ? { normalisation: { method: 'none' } } : { total: 3 }),
    nodes: [
      { code: 'R' },
      { code: '1', parent: 'R', name: DOMAINS[0].name, ...(weighted ? { weight: 1 } : { max: 1 }) },
      { code: '1.1', parent: '1', source: 'appraisal', ...(weighted ? { weight: 1 } : { max: 1 }) },
      { code: '2', parent: 'R', name: DOMAINS[1].name, ...(weighted ? { weight: 1 } : { max: 2 }) },
      { code: '2.1', parent: '2', source: 'appraisal', ...(weighted ? { weight: 1 } : { max: 2 }) },
    ],
  };
  const scores = [['A', '1.1', 0.125], ['A', '2.1', 1.005], ['B', '1.1', 0.5], ['B', '2.1', 0.175]] as const;
  const computed = computeCycle({
    methodology, units: [{ code: 'A', attributes: { region: 'RRD' } }, { code: 'B', attributes: { region: 'MKD' } }],
    scores: scores.map(([unit, indicator, value]) => ({ unit, indicator, value })),
  });
  const change: Change = { rule: 'same-unit', predecessors: ['A'], previousIndex: 1.135, indexChange: -0.005, previousRank: 2, restatedRank: 2, restatedOf: 2, rankRule: 'same-units', rankChange: 1, domains: {} };
  return {
    cycle: { year: 2023, unitType: 'province', status: 'published', dataVersion: 1, synthetic: true, methodology: { id: 'csv-test', version: 1 } },
    domains: DOMAINS.map((d) => ({ ...d, max: weighted ? null : d.code === '1' ? 1 : 2 })),
    leaves: [{ code: '1.1' }, { code: '2.1' }],
    rows: computed.results.map((r) => ({
      ...r, name: { vi: `Tỉnh ${r.unit}`, en: `Province ${r.unit}` }, region: r.attributes.region, change: r.unit === 'A' ? change : null,
    })),
    statistics: computed.statistics,
    computedAt: '2026-12-02T10:00:00.000Z',
  };
}

const provenance = (rounding = 2, revision: CsvProvenance['revision'] = { kind: 'publication', revision: 1, contentHash: 'c0ffee' }): CsvProvenance => ({
  cycle: { year: 2023, unitType: 'province', status: 'published', synthetic: true, methodology: { id: 'csv-test', version: 1, provisionalNodes: 2, rounding } },
  revision, notice: 'SYNTHETIC demo data',
});

/** A CSV as header and records keyed by header; checks the BOM and CRLF spreadsheets need. */
function read(csv: string): { header: string[]; rows: Record<string, string>[] } {
  expect(csv.startsWith('\ufeff')).toBe(true);
  expect(csv).toContain('\r\n');
  const [header, ...records]: string[][] = parse(csv, { bom: true });
  return { header, rows: records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

const RESULT_HEADER = ['rank', 'unit.code', 'unit.name.vi', 'unit.name.en', 'unit.region', 'index', 'group', 'rankInRegion', 'ranked', 'missing', 'imputed',
  'domains.1.points', 'domains.1.percent', 'domains.1.rank', 'domains.2.points', 'domains.2.percent', 'domains.2.rank',
  'change.indexChange', 'change.rankChange', 'change.restatedRank', 'change.rankRule', 'change.rule'];

describe('results CSV', () => {
  it('names its columns by the JSON paths, domains by code', () => {
    expect(read(resultsCsv(report(), {}, provenance())).header).toEqual(RESULT_HEADER);
  });

  it('rounds every decimal to the methodology\'s rounding and leaves null empty', () => {
    const [a, b] = read(resultsCsv(report(), {}, provenance(2))).rows;
    expect(a).toMatchObject({
      rank: '1', 'unit.code': 'A', 'unit.name.vi': 'Tỉnh A', 'unit.region': 'RRD', index: '37.67', rankInRegion: '1', ranked: 'true', missing: '0',
      'domains.1.points': '0.13', 'domains.1.percent': '12.50', 'domains.2.points': '1.01', 'domains.2.percent': '50.25',
      'change.indexChange': '-0.01', 'change.rankChange': '1', 'change.restatedRank': '2', 'change.rankRule': 'same-units', 'change.rule': 'same-unit',
    });
    expect(b).toMatchObject({ 'unit.code': 'B', index: '22.50', 'domains.2.points': '0.18', 'change.indexChange': '', 'change.rule': '' });
    expect(read(resultsCsv(report(), {}, provenance(0))).rows[0]).toMatchObject({ index: '38', 'domains.1.percent': '13', 'domains.2.points': '1' });
    expect(read(resultsCsv(report(), {}, provenance(3))).rows[0]).toMatchObject({ index: '37.667', 'domains.1.points': '0.125', 'domains.2.points': '1.005' });
  });

  it('follows the query: a region, a sort', () => {
    expect(read(resultsCsv(report(), { region: 'MKD' }, provenance())).rows.map((r) => r['unit.code'])).toEqual(['B']);
    expect(read(resultsCsv(report(), { sort: '-unit' }, provenance())).rows.map((r) => r['unit.code'])).toEqual(['B', 'A']);
  });

  it('gives a weighted methodology\'s domains their value, not points', () => {
    const { header } = read(resultsCsv(report('weighted'), {}, provenance()));
    expect(header.filter((h) => h.startsWith('domains.'))).toEqual(['domains.1.value', 'domains.1.rank', 'domains.2.value', 'domains.2.rank']);
  });
});

describe('CSVW metadata of the results', () => {
  const meta = resultsCsvMetadata(report(), provenance(), 'results.csv?revision=1');
  const property = (name: string) => meta['schema:additionalProperty'].find((p) => p['schema:name'] === name)?.['schema:value'];

  it('is a CSVW document for the CSV at the given URL, one column per CSV column, in order', () => {
    expect(meta['@context'][0]).toBe('http://www.w3.org/ns/csvw');
    expect(meta.url).toBe('results.csv?revision=1');
    expect(meta.tableSchema.columns.map((c) => c.name)).toEqual(RESULT_HEADER);
    expect(meta.tableSchema.primaryKey).toEqual(['unit.code']);
  });

  it('types each column and names the domains in Vietnamese and English', () => {
    const column = (name: string) => meta.tableSchema.columns.find((c) => c.name === name)!;
    expect([column('rank').datatype, column('index').datatype, column('ranked').datatype, column('unit.name.vi').datatype]).toEqual(['integer', 'decimal', 'boolean', 'string']);
    expect(column('domains.2.percent').titles).toEqual({ und: ['domains.2.percent'], vi: ['Cải cách thể chế: % điểm tối đa'], en: ['Institutional reform: % of maximum'] });
    expect(column('index').titles).toBe('index');
    expect(column('unit.code')).toMatchObject({ required: true });
  });

  it('carries the provenance of the JSON answers: cycle, revision and hash, methodology, synthetic, provisional nodes, rounding', () => {
    expect([property('cycle.year'), property('cycle.unitType'), property('cycle.status'), property('cycle.synthetic')]).toEqual([2023, 'province', 'published', true]);
    expect([property('revision.kind'), property('revision.revision'), property('revision.contentHash')]).toEqual(['publication', 1, 'c0ffee']);
    expect([property('cycle.methodology.id'), property('cycle.methodology.version'), property('cycle.methodology.provisionalNodes'), property('cycle.methodology.rounding')])
      .toEqual(['csv-test', 1, 2, 2]);
    expect(property('notice')).toBe('SYNTHETIC demo data');
    expect(meta['dc:title']).toBe('PAR INDEX 2023 province: results, revision 1');
  });

  it('says draft for the live draft', () => {
    const draft = resultsCsvMetadata(report(), provenance(2, { kind: 'draft' }), 'results.csv?revision=draft');
    expect(draft['schema:additionalProperty'].filter((p) => p['schema:name'].startsWith('revision.'))).toEqual([{ '@type': 'schema:PropertyValue', 'schema:name': 'revision.kind', 'schema:value': 'draft' }]);
  });

  it('percent-encodes what a CSVW column name may not hold', () => {
    const odd = report();
    odd.domains[0].code = 'A-1';
    for (const r of odd.rows) r.nodes['A-1'] = r.nodes['1'];
    const names = resultsCsvMetadata(odd, provenance(), 'results.csv').tableSchema.columns.map((c) => c.name);
    expect(names).toContain('domains.A%2D1.points');
    expect(read(resultsCsv(odd, {}, provenance())).header).toContain('domains.A-1.points');
  });
});

describe('scores CSV', () => {
  const rows = [
    { unit: '01', indicator: '1.1.1', source: 'self', value: 0.5, points: 0.5, note: null, evidence: 'Báo cáo 12/BC-UBND', updatedAt: '2026-12-02T10:00:00.000Z', updatedBy: 'k1' },
    { unit: '01', indicator: '4.2', source: 'survey', value: { A: 120, B: 30 }, points: 0.30000000000000004, note: 'n', evidence: null, updatedAt: '2026-12-02T10:00:00.000Z', updatedBy: 'admin' },
    { unit: '02', indicator: '1.1.1', source: 'appraisal', value: null, points: null, note: null, evidence: null, updatedAt: '2026-12-02T10:00:00.000Z', updatedBy: 'k2' },
  ];

  it('names its columns as the JSON does and keeps values exactly as stored', () => {
    const { header, rows: out } = read(scoresCsv(rows));
    expect(header).toEqual(['unit', 'indicator', 'source', 'value', 'points', 'note', 'evidence', 'updatedAt', 'updatedBy']);
    expect(out.map((r) => [r.value, r.points, r.note, r.evidence])).toEqual([
      ['0.5', '0.5', '', 'Báo cáo 12/BC-UBND'], ['{"A":120,"B":30}', '0.30000000000000004', 'n', ''], ['', '', '', ''],
    ]);
  });

  it('has CSVW metadata with its key and provenance', () => {
    const meta = scoresCsvMetadata(provenance(), 'scores.csv');
    expect(meta.tableSchema.columns.map((c) => [c.name, c.datatype])).toEqual([['unit', 'string'], ['indicator', 'string'], ['source', 'string'], ['value', 'json'],
      ['points', 'double'], ['note', 'string'], ['evidence', 'string'], ['updatedAt', 'datetime'], ['updatedBy', 'string']]);
    expect(meta.tableSchema.primaryKey).toEqual(['unit', 'indicator', 'source']);
    expect(meta['dc:title']).toBe('PAR INDEX 2023 province: scores, revision 1');
  });

  it('still reads the upload header, and a reason column as the JSON body has one', () => {
    const { rows: plain, errors } = parseScoresCsv('unit,indicator,source,value,note,evidence\r\n01,1.1.1,self,0.5,,BC 12\r\n');
    expect(errors).toEqual([]);
    expect(plain).toEqual([{ unit: '01', indicator: '1.1.1', source: 'self', value: 0.5, note: undefined, evidence: 'BC 12', reason: undefined }]);
    expect(parseScoresCsv('unit,indicator,source,value,reason\n01,1.1.1,appraisal,0.25,hồ sơ thiếu\n').rows[0].reason).toBe('hồ sơ thiếu');
  });
});

describe('file names of downloads', () => {
  it('name year, unit type and revision, ASCII only', () => {
    expect(contentDisposition(provenance(), 'results')).toBe('attachment; filename="par-index-2023-province-r1.csv"');
    expect(contentDisposition(provenance(2, { kind: 'draft' }), 'scores')).toBe('attachment; filename="par-index-2023-province-draft-scores.csv"');
    const odd = provenance();
    odd.cycle.unitType = 'bộ "ngành"';
    expect(contentDisposition(odd, 'results')).toBe('attachment; filename="par-index-2023-b_ng_nh_-r1.csv"');
  });
});
