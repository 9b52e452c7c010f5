// The methodology's spreadsheet shape: tables ↔ document, problems placed on sheet, row and column.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  BudgetError, columnLetter, compileMethodology, EngineError, exportMethodologySheets, importMethodologySheets,
  METHODOLOGY_FIELDS, NODE_COLUMNS, SheetError, treeSummary, type Cell, type MethodologySheets,
} from '../../src/engine/index.js';
import { mulberry32 } from '../../src/engine/index.js';

const dir = new URL('../../data/methodologies/', import.meta.url);
const stored = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8'))] as const);

const sheet = (name: string, rows: Cell[][]) => ({ name, rows: rows.map((cells, i) => ({ row: i + 1, cells })) });
const HEAD = ['field', 'value'];
const NODE_HEAD = ['code', 'parent', 'name_vi', 'name_en', 'max', 'source', 'rule', 'bands', 'target', 'options', 'provenance', 'document'];

/** A small valid pair of tables; `nodes` replaces the node rows. */
function tables(nodes?: Cell[][], fields: Cell[][] = []): MethodologySheets {
  return {
    methodology: sheet('methodology', [[...HEAD], ['id', 'mini'], ['mode', 'points'], ['missing', 'zero'], ...fields]),
    nodes: sheet('nodes', [[...NODE_HEAD], ...(nodes ?? [
      ['R', null, 'Chỉ số', 'Index', null, null, null, null, null, null, null, null],
      ['1', null, 'Lĩnh vực 1', 'Domain 1', 6, null, null, null, null, null, null, null],
      ['1.1', null, 'Tiêu chí', 'Criterion', 4, 'appraisal', 'bands', '≥100:4; ≥80:50%; else:0', null, null, 'official', 'Quyết định 876/QĐ-BNV'],
      ['1.2', null, 'Tiêu chí', 'Criterion', 2, 'appraisal', 'proportional', null, 100, null, 'provisional', null],
      ['2', null, 'Khảo sát', 'Survey', 4, 'survey', 'survey', null, null, 'A=1; B=0.5; C=0', null, null],
    ])]),
  };
}

function problemsOf(s: MethodologySheets) {
  try {
    importMethodologySheets(s);
  } catch (e) {
    if (e instanceof SheetError) return e.problems;
    throw e;
  }
  throw new Error('imported without a problem');
}

describe('round trip: export then import gives the same document (the same content hash)', () => {
  test.each(stored)('%s, in Vietnamese and in English headers', (_, doc) => {
    for (const lang of ['vi', 'en'] as const) {
      const { document } = importMethodologySheets(exportMethodologySheets(doc, lang));
      expect(document).toStrictEqual(doc);
    }
  });

  test('every rule, normalisation and methodology field survives (a generated methodology per seed)', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      const doc = generated(seed);
      for (const k of ['screening', 'imputation', 'treatment']) if (k in doc) seen.add(k);
      for (const n of doc.nodes as Record<string, unknown>[]) for (const k of ['denominator', 'treatment', 'aggregation']) if (k in n) seen.add(`${k}:${JSON.stringify(n[k])}`);
      compileMethodology(doc); // valid to begin with
      const { document } = importMethodologySheets(exportMethodologySheets(doc));
      expect(document, `seed ${seed}`).toStrictEqual(doc);
    }
    // the seeds reach every field the table gained for the weighted pipeline
    expect([...seen].filter((k) => !k.includes(':'))).toEqual(expect.arrayContaining(['screening', 'imputation', 'treatment']));
    expect(seen).toContain('treatment:false');
    expect(seen).toContain('treatment:{}');
    expect(seen).toContain('aggregation:{"method":"power","p":-0.5}');
    expect([...seen].some((k) => k.startsWith('denominator:'))).toBe(true);
  });
});

describe('import', () => {
  test('blank parents are the dotted prefix or the root; bands in points and shares; rule parameters in plain columns', () => {
    const { document, compiled } = importMethodologySheets(tables());
    const nodes = document.nodes as any[];
    expect(nodes.map((n) => n.parent)).toEqual([undefined, 'R', '1', '1', 'R']);
    expect(nodes[2].rule).toEqual({ type: 'bands', bands: [{ min: 100, points: 4 }, { min: 80, share: 0.5 }, { min: 0, points: 0 }] });
    expect(nodes[3].rule).toEqual({ type: 'proportional', target: 100 });
    expect(nodes[4].rule).toEqual({ type: 'survey', options: [{ code: 'A', value: 1 }, { code: 'B', value: 0.5 }, { code: 'C', value: 0 }] });
    expect(nodes[2].provenance).toEqual({ status: 'official', document: 'Quyết định 876/QĐ-BNV' });
    expect(nodes[3].provenance).toEqual({ status: 'provisional' });
    expect(compiled.nodes[0].max).toBe(10);
    expect(treeSummary(compiled)).toMatchObject({ nodes: 5, leaves: 3, levels: [1, 2, 2], total: 10, domains: [{ code: '1', max: 6, nodes: 3, leaves: 2 }, { code: '2', max: 4, nodes: 1, leaves: 1 }] });
  });

  test('Vietnamese headers and fields are read as the English ones; >= as ≥; a list of sources', () => {
    const vi = (key: string) => NODE_COLUMNS.find((c) => c.key === key)!.vi;
    const s: MethodologySheets = {
      methodology: sheet('phương pháp', [['trường', 'giá trị'], ['mã phương pháp', 'vi'], ['cách tính', 'points'], ['thiếu dữ liệu', 'zero'], ['xếp nhóm', 'A>=5; B≥0'], ['các năm', 2026]]),
      nodes: sheet('chỉ tiêu', [[vi('code'), vi('name_vi'), vi('name_en'), vi('max'), vi('source'), vi('rule'), vi('bands')],
        ['R', 'Chỉ số', 'Index', null, null, null, null], ['1', 'Một', 'One', 10, 'appraisal; self', 'bands', '>=50:10; else:0']]),
    };
    const { document } = importMethodologySheets(s);
    expect(document).toMatchObject({ id: 'vi', groups: [{ code: 'A', min: 5 }, { code: 'B', min: 0 }], years: [2026] });
    expect((document.nodes as any[])[1]).toMatchObject({ source: ['appraisal', 'self'], rule: { bands: [{ min: 50, points: 10 }, { min: 0, points: 0 }] } });
    expect(NODE_COLUMNS.concat(METHODOLOGY_FIELDS).every((c) => c.vi === c.vi.normalize('NFC'))).toBe(true);
  });

  test('every problem at once, each on its sheet, row and column, with its node', () => {
    const problems = problemsOf(tables([
      ['R', null, 'Chỉ số', 'Index', null, null, null, null, null, null, null, null],
      ['1', null, 'Một', 'One', 5, null, null, null, null, null, null, null],
      ['1.1', null, 'a', 'a', '2,5', 'appraisal', 'points', null, null, null, null, null],
      ['1.1', null, 'b', 'b', 1, 'appraisal', 'stars', null, null, null, null, null],
      ['1.2', null, 'c', 'c', 'two', 'appraisal', 'bands', '>80:1', null, null, null, null],
      ['9.1', null, 'd', 'd', 1, 'appraisal', null, null, null, null, null, null],
      ['2', null, 'e', 'e', 1, 'appraisal', 'points', null, 100, null, 'maybe', null],
    ]));
    const at = (column: string, row: number) => problems.filter((p) => p.column === column && p.row === row).map((p) => p.message).join(' | ');
    expect(at('E', 4)).toMatch(/2,5 has a decimal comma: write it with a point \(2\.5\)/);
    expect(at('G', 5)).toMatch(/unknown rule stars/);
    expect(at('E', 6)).toMatch(/two is not a number/);
    expect(at('H', 6)).toMatch(/bands include their lower bound: write ≥/);
    expect(at('I', 8)).toMatch(/rule points takes no target/);
    expect(at('K', 8)).toMatch(/maybe is not official/);
    // the engine's own structural rules, placed back on the node's row
    expect(at('A', 5)).toMatch(/duplicate code 1\.1/);
    expect(at('B', 7)).toMatch(/parent 9 does not exist/);
    expect(problems.every((p) => p.sheet === 'nodes')).toBe(true);
    expect(problems.find((p) => p.row === 5 && p.column === 'A')).toMatchObject({ node: '1.1', field: 'code' });
  });

  test('children that do not sum to the parent\'s max, and a declared total, are placed on the parent\'s max and the total field', () => {
    const problems = problemsOf(tables([
      ['R', null, 'Chỉ số', 'Index', null, null, null, null, null, null, null, null],
      ['1', null, 'Một', 'One', 5, null, null, null, null, null, null, null],
      ['1.1', null, 'a', 'a', 2, null, null, null, null, null, null, null],
      ['1.2', null, 'b', 'b', 2, null, null, null, null, null, null, null],
    ], [['total', 100]]));
    expect(problems).toContainEqual(expect.objectContaining({ sheet: 'nodes', row: 3, column: 'E', node: '1', message: expect.stringMatching(/children's max sum to 4, not the node's max 5/) }));
    expect(problems).toContainEqual(expect.objectContaining({ sheet: 'methodology', row: 5, column: 'B', field: 'total' }));
  });

  test('table problems: unknown column, repeated column, empty row in the middle, a date where a number belongs, an unknown field', () => {
    const s = tables();
    s.nodes.rows[0].cells.push('colour', 'code');
    s.nodes.rows.splice(2, 0, { row: 99, cells: [null, '', null] });
    s.nodes.rows[3].cells[4] = new Date(Date.UTC(2024, 0, 2));
    s.methodology.rows.push({ row: 7, cells: ['flavour', 'x'] });
    const problems = problemsOf(s);
    expect(problems).toContainEqual(expect.objectContaining({ row: 1, column: 'M', message: expect.stringMatching(/unknown column colour/) }));
    expect(problems).toContainEqual(expect.objectContaining({ row: 1, column: 'N', message: 'column code appears twice' }));
    expect(problems).toContainEqual(expect.objectContaining({ row: 99, message: expect.stringMatching(/empty row/) }));
    expect(problems).toContainEqual(expect.objectContaining({ column: 'E', message: 'a date (2024-01-02) where a number belongs' }));
    expect(problems).toContainEqual(expect.objectContaining({ sheet: 'methodology', row: 7, column: 'A', message: expect.stringMatching(/unknown field flavour/) }));
  });

  describe('the weighted pipeline: screening, imputation, outlier treatment, denominators, power means', () => {
    const W_HEAD = ['code', 'weight', 'normalisation', 'aggregation', 'denominator', 'treatment'];
    /** A weighted methodology; `cells` fill leaf 1's last four columns, `fields` add to the block. */
    const weighted = (leaf: Cell[] = [], fields: Cell[][] = []): MethodologySheets => ({
      methodology: sheet('methodology', [HEAD, ['id', 'w'], ['mode', 'weighted'], ['missing', 'skip'], ...fields]),
      nodes: sheet('nodes', [W_HEAD, ['R', null, null, null, null, null], ['1', 1, 'minmax', ...leaf], ['2', 1, 'minmax', null, null, null]]),
    });

    test('each in its own field or column, in the syntax of the normalisation (method: name=value; …)', () => {
      const { document } = importMethodologySheets(weighted(['power: p=2', 'population', 'skewness=2.5; transform=logSkew'], [
        ['ngưỡng sàng lọc đơn vị', 0.75], ['imputation', 'groupMean: by=region'], ['treatment', 'mặc định'], ['aggregation', 'power: p=-1'],
        ['normalisation', 'distanceToTarget: target=80; cap=false'],
      ]));
      expect(document).toMatchObject({
        screening: { minAvailability: 0.75 }, imputation: { method: 'groupMean', by: 'region' }, treatment: {}, aggregation: { method: 'power', p: -1 },
        normalisation: { method: 'distanceToTarget', target: 80, cap: false },
      });
      expect((document.nodes as any[])[1]).toEqual({ code: '1', parent: 'R', weight: 1, normalisation: { method: 'minmax' }, aggregation: { method: 'power', p: 2 }, denominator: 'population', treatment: { skewness: 2.5, transform: 'logSkew' } });
      expect((importMethodologySheets(weighted([null, null, 'không'])).document.nodes as any[])[1].treatment).toBe(false);
      expect(importMethodologySheets(weighted([], [['imputation', 'latest']])).document.imputation).toEqual({ method: 'latest' });
      expect(importMethodologySheets(weighted([], [['imputation', 'interpolate']])).document.imputation).toEqual({ method: 'interpolate' });
    });

    test('a bad value is named on its cell: the table\'s syntax first, then the engine\'s own checks', () => {
      const problems = problemsOf(weighted(['power: p=x', null, 'sometimes'], [
        ['screening', 1.5], ['imputation', 'groupMean'], ['treatment', 'none'], ['aggregation', 'mean of all'],
      ]));
      const lines = problems.map((p) => `${p.sheet}!${p.column ?? ''}${p.row ?? ''} ${p.message}`);
      expect(lines).toEqual(expect.arrayContaining([
        'nodes!D3 aggregation parameter "p=x" is not name=number (x is not a number)',
        'nodes!F3 treatment "sometimes" is not default, none or its parameters, e.g. skewness=2; kurtosis=3.5; winsoriseMax=5; transform=log',
        'methodology!B7 treatment "none" is not default or its parameters, e.g. skewness=2; kurtosis=3.5; winsoriseMax=5; transform=log',
        expect.stringMatching(/^methodology!B5 .*1/),
        expect.stringMatching(/^methodology!B6 a group method names the attribute/),
        expect.stringMatching(/^methodology!B8 /),
      ]));
      expect(lines.filter((l) => l.startsWith('methodology!B5'))).toHaveLength(1);
      expect(problemsOf(weighted([null, null, 'skewness=2; skewness=3'])).map((p) => p.message)).toEqual(['treatment parameter "skewness" is given twice']);
      expect(problemsOf(weighted([null, null, 'winsoriseMax=2,5'])).map((p) => `${p.column}${p.row} ${p.message}`))
        .toEqual(['F3 treatment parameter "winsoriseMax=2,5" is not name=number (2,5 has a decimal comma: write it with a point (2.5))']);
    });

    test('a denominator or treatment in points mode is the engine\'s refusal, placed on its column', () => {
      const s = tables();
      s.nodes.rows[0].cells.push('denominator');
      s.nodes.rows[3].cells.push('population');
      expect(problemsOf(s)).toContainEqual(expect.objectContaining({ row: 4, column: 'M', field: 'denominator', node: '1.1' }));
    });
  });

  test('a nodes sheet longer than the node budget is refused before its rows are read', () => {
    const s = tables();
    for (let i = 0; i < 2001; i++) s.nodes.rows.push({ row: i + 10, cells: [`x${i}`] });
    expect(() => importMethodologySheets(s)).toThrow(BudgetError);
  });
});

describe('export', () => {
  test('refuses, naming them, fields the tables do not know and nested children', () => {
    const doc = structuredClone(stored[0][1]);
    doc.pipeline = { steps: [] };
    doc.nodes[1].weightSet = 'x';
    doc.nodes[0].children = [];
    try {
      exportMethodologySheets(doc);
      throw new Error('exported');
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
      const messages = (e as EngineError).issues.map((i) => i.message);
      expect(messages).toEqual([
        'a spreadsheet cannot carry field pipeline (/pipeline)',
        `a spreadsheet cannot carry nested children of node ${doc.nodes[0].code} (/nodes/0/children): the table is flat, one row per node naming its parent`,
        `a spreadsheet cannot carry field weightSet of node ${doc.nodes[1].code} (/nodes/1/weightSet)`,
      ]);
    }
  });

  test('refuses a value that would read back differently, naming where', () => {
    const doc = structuredClone(stored[0][1]);
    doc.years = [];
    expect(() => exportMethodologySheets(doc)).toThrow(/read back differently at \/years/);
  });

  test('writes headers in the asked language, a blank parent where it is the default, a one-source list with a trailing ;', () => {
    const doc = { id: 'x', mode: 'points', missing: 'zero', nodes: [{ code: 'R' }, { code: 'A', parent: 'R', max: 1, source: ['self'] }, { code: 'A.1', parent: 'R', max: 1 }] };
    const s = exportMethodologySheets(doc, 'en');
    expect(s.nodes.rows[0].cells.slice(0, 3)).toEqual(['code', 'parent', 'name_vi']);
    expect(s.nodes.rows.map((r) => r.cells.slice(0, 2))).toEqual([['code', 'parent'], ['R', null], ['A', null], ['A.1', 'R']]);
    expect(s.nodes.rows[2].cells[7]).toBe('self;');
    expect(exportMethodologySheets(doc, 'vi').nodes.rows[0].cells[0]).toBe('mã');
  });

  test('column letters', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});

/** A random valid methodology exercising every field the tables carry. */
function generated(seed: number): Record<string, unknown> {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const maybe = <T>(v: T) => (rnd() < 0.5 ? v : undefined);
  const weighted = rnd() < 0.3;
  const rules: (() => object)[] = [
    () => ({ type: 'points' }), () => ({ type: 'binary' }),
    () => ({ type: 'bands', bands: [{ min: 90, share: pick([1, 0.75, 0.3]) }, { min: 40.5, points: 0.25 }, { min: pick([0, -3]), points: 0 }], ...(rnd() < 0.5 && { range: [pick([0, -3]), 120] }) }),
    () => ({ type: 'proportional', target: pick([100, 12.5]), ...(rnd() < 0.5 && { cap: rnd() < 0.5 }) }),
    () => ({ type: 'linear', worst: 0, best: pick([100, -20]), ...(rnd() < 0.5 && { cap: rnd() < 0.5 }) }),
    () => ({ type: 'survey', ...(rnd() < 0.5 && { options: [{ code: 'A', value: 1 }, { code: 'B', value: 0.35 }] }) }),
  ];
  const norms = [{ method: 'minmax' }, { method: 'zscore', mean: 50, sd: 10 }, { method: 'goalposts', lower: 0, upper: 10, scale: 100 }, { method: 'rank' }, { method: 'distanceToTarget', target: 80, cap: false }];
  const means = ['arithmetic', 'geometric', 'harmonic', { method: 'power', p: 2 }, { method: 'power', p: -0.5 }];
  const treatments = [{}, { skewness: 1.5 }, { skewness: 2.5, kurtosis: 4, winsoriseMax: 3, transform: 'logSkew' }, { transform: 'none' }];
  const imputations = [{ method: 'mean' }, { method: 'groupMedian', by: 'region' }, { method: 'latest' }, { method: 'interpolate' }];
  const nodes: any[] = [{ code: 'R', name: { vi: 'Chỉ số', en: 'Index' } }];
  for (let d = 1; d <= 1 + Math.floor(rnd() * 4); d++) {
    nodes.push({ code: `${d}`, parent: 'R', ...(weighted && { weight: pick([1, 2.5]), aggregation: pick(means) }), ...(rnd() < 0.3 && { availabilityThreshold: 0.5 }) });
    for (let k = 1; k <= 1 + Math.floor(rnd() * 3); k++) {
      const rule = pick(rules)();
      nodes.push({
        code: `${d}.${k}`, parent: k === 1 || rnd() < 0.8 ? `${d}` : 'R', name: { vi: `Tiêu chí ${d}.${k} “đặc biệt”`, en: `Criterion, ${k}` },
        ...(weighted ? {
          weight: pick([1, 0.1 + 0.2]), ...(rnd() < 0.5 && { normalisation: pick(norms) }), ...(rnd() < 0.5 && { direction: pick([1, -1]) }),
          ...(rnd() < 0.3 && { denominator: pick(['population', 'dân số']) }), ...(rnd() < 0.3 && { treatment: pick([false, ...treatments]) }),
        } : { max: pick([1, 2.5, 0.1 + 0.2]), rule }),
        ...(rnd() < 0.7 && { source: pick(['appraisal', 'survey', ['self'], ['appraisal', 'self']]) }),
        ...(rnd() < 0.6 && { provenance: rnd() < 0.5 ? { status: 'official', document: 'QĐ 876' } : { status: 'provisional', ...(rnd() < 0.5 && { note: 'dòng một\ndòng hai; =SUM(A1)' }) } }),
      });
    }
  }
  const doc: Record<string, unknown> = {
    id: `gen-${seed}`, mode: weighted ? 'weighted' : 'points', missing: pick(['zero', 'skip', 'impute']), nodes,
    version: maybe(seed), name: maybe({ vi: 'Bộ chỉ số', en: 'Index set' }), unitType: maybe('province'), years: maybe([2022, 2023]),
    legalBasis: maybe([{ document: 'Quyết định 876/QĐ-BNV', date: '2022-11-10' }, { document: 'Công văn 1', title: 'Hướng dẫn; “mới”' }]),
    imputeBy: maybe('region'), groups: maybe([{ code: 'A', min: 90 }, { code: 'B', min: 0 }]), rounding: maybe(3),
    notes: maybe('Ghi chú\nhai dòng'),
    ...(weighted ? {
      normalisation: maybe(pick(norms)), aggregation: maybe(pick(means)), availabilityThreshold: maybe(0.25),
      screening: maybe({ minAvailability: pick([0, 0.75, 1]) }), imputation: maybe(pick(imputations)), treatment: maybe(pick(treatments)),
    } : { defaultRule: maybe(rnd() < 0.5 ? null : pick(rules)()) }),
  };
  return JSON.parse(JSON.stringify(doc));
}
