// The methodology table's cell syntaxes, each rule at its edge (issue 12): what a cell reads as,
// and the problem it names, on its sheet, row and column. Known answers by hand, through
// parseMethodologySheets (the table's own problems, before the engine's structural checks).
import { describe, expect, it } from 'vitest';
import { parseMethodologySheets, place, type Cell, type MethodologySheets } from '../../src/engine/index.js';

const sheet = (name: string, rows: Cell[][]) => ({ name, rows: rows.map((cells, i) => ({ row: i + 1, cells })) });

/** One node row R, then one row under the given headers (the nodes sheet), with the methodology fields given. */
function parse(headers: string[], row: Cell[], fields: Cell[][] = []) {
  const sheets: MethodologySheets = {
    methodology: sheet('methodology', [['field', 'value'], ['id', 'x'], ...fields]),
    nodes: sheet('nodes', [['code', ...headers], ['R'], ['1', ...row]]),
  };
  const parsed = parseMethodologySheets(sheets);
  const node = (parsed.document.nodes as Record<string, unknown>[])[1];
  return { node, document: parsed.document, issues: parsed.issues.map((i) => `${place(i)} ${i.message}`) };
}
const cellOf = (header: string, cell: Cell) => parse([header], [cell]);

describe('numbers in cells', () => {
  it('a point for decimals, a sign, an exponent, a leading or trailing point, the typographic minus', () => {
    const read = (text: string) => cellOf('max', text).node.max;
    expect(['1.5', '+3', '-2', '\u22124.5', '.5', '5.', '1e3', '2E-2', ' 7 '].map(read)).toEqual([1.5, 3, -2, -4.5, 0.5, 5, 1000, 0.02, 7]);
  });

  it('a decimal comma is named with the number written with a point (thousands points dropped)', () => {
    expect(cellOf('max', '2,5').issues).toEqual(['nodes!B3 2,5 has a decimal comma: write it with a point (2.5)']);
    expect(cellOf('max', '1.234,5').issues).toEqual(['nodes!B3 1.234,5 has a decimal comma: write it with a point (1234.5)']);
    expect(cellOf('max', '-0,25').issues).toEqual(['nodes!B3 -0,25 has a decimal comma: write it with a point (-0.25)']);
  });

  it('words, thousands commas, hexadecimal and numbers beyond a double are refused, each named', () => {
    expect(cellOf('max', 'two').issues).toEqual(['nodes!B3 two is not a number']);
    expect(cellOf('max', '1,234,5').issues).toEqual(['nodes!B3 1,234,5 is not a number']);
    expect(cellOf('max', '0x1A').issues).toEqual(['nodes!B3 0x1A is not a number']);
    expect(cellOf('max', '1e400').issues).toEqual(['nodes!B3 1e400 is beyond what a number can hold']);
  });

  it('typed cells: a finite number as it is; infinity, a date or a truth value named; blank is no value', () => {
    expect(cellOf('max', 2.5).node.max).toBe(2.5);
    expect(cellOf('max', Infinity).issues).toEqual(['nodes!B3 Infinity is not a finite number']);
    expect(cellOf('max', new Date(Date.UTC(2025, 11, 31))).issues).toEqual(['nodes!B3 a date (2025-12-31) where a number belongs']);
    expect(cellOf('max', true).issues).toEqual(['nodes!B3 true where a number belongs']);
    for (const blank of [null, '', '   ']) expect(cellOf('max', blank)).toMatchObject({ issues: [], node: { code: '1' } });
    expect('max' in cellOf('max', '  ').node).toBe(false);
  });
});

describe('truth values (cap)', () => {
  const cap = (cell: Cell) => parse(['rule', 'target', 'cap'], ['proportional', 100, cell]);

  it('true/false, có/không, yes/no in any case, or a typed truth value', () => {
    expect(['TRUE', 'false', 'Có', 'KHÔNG', 'yes', 'No', true, false].map((c) => (cap(c).node.rule as { cap: boolean }).cap)).toEqual([true, false, true, false, true, false, true, false]);
  });

  it('anything else is named; blank is no cap', () => {
    expect(cap('maybe').issues).toEqual(['nodes!D3 maybe is not true or false (có / không)']);
    expect(cap(null).node.rule).toEqual({ type: 'proportional', target: 100 });
  });
});

describe('bands', () => {
  const bands = (text: string, range?: string) => parse(['rule', 'bands', 'range'], ['bands', text, range ?? null]);

  it('≥ or >= a value: points, or a share of the max with %; else takes the lowest value of the range', () => {
    expect(bands('≥100:1; >= 80 : 50%; else:0').node.rule).toEqual({ type: 'bands', bands: [{ min: 100, points: 1 }, { min: 80, share: 0.5 }, { min: 0, points: 0 }] });
    expect(bands('≥10:2; còn lại:1', '-5..20').node.rule).toEqual({ type: 'bands', bands: [{ min: 10, points: 2 }, { min: -5, points: 1 }], range: [-5, 20] });
    expect(bands('≥10:2; ELSE:1').node.rule).toMatchObject({ bands: [{ min: 10, points: 2 }, { min: 0, points: 1 }] });
  });

  it('each malformed band is named with the syntax it should have', () => {
    expect(bands('>80:1').issues).toEqual(['nodes!C3 band ">80:1" is not ≥value:points (or ≥value:share%, or else:points); bands include their lower bound: write ≥ or >=']);
    expect(bands('80:1').issues).toEqual(['nodes!C3 band "80:1" is not ≥value:points (or ≥value:share%, or else:points)']);
    expect(bands('else:0; ≥5:1').issues).toEqual(['nodes!C3 band "else:0": else is the last band']);
    expect(bands('≥8,5:1').issues).toEqual(['nodes!C3 band "≥8,5:1": 8,5 has a decimal comma: write it with a point (8.5)']);
    expect(bands('≥8:one').issues).toEqual(['nodes!C3 band "≥8:one": one is not a number']);
    expect(bands(';').issues).toEqual(['nodes!C3 no band: write ≥100:1; ≥80:0.5; else:0']);
  });

  it('a range that is not lowest..highest is named', () => {
    expect(bands('≥1:1', '0-100').issues).toEqual(['nodes!D3 range "0-100" is not lowest..highest, e.g. 0..100']);
    expect(bands('≥1:1', 'a..100').issues).toEqual(['nodes!D3 range "a..100" is not lowest..highest, e.g. 0..100']);
    expect(bands('≥1:1', ' 1 .. 2 ').node.rule).toMatchObject({ range: [1, 2] });
  });
});

describe('survey options and groups', () => {
  it('options: code=value pairs; a pair without a value, with two, or without a code is named', () => {
    const options = (text: string) => parse(['rule', 'options'], ['survey', text]);
    expect(options('A = 1; B=0.5;').node.rule).toEqual({ type: 'survey', options: [{ code: 'A', value: 1 }, { code: 'B', value: 0.5 }] });
    expect(options('A=1; B').issues).toEqual(['nodes!C3 "B" is not like A=1; B=0.6; C=0.2; D=0']);
    expect(options('A=1=2').issues).toEqual(['nodes!C3 "A=1=2" is not like A=1; B=0.6; C=0.2; D=0']);
    expect(options('=1').issues).toEqual(['nodes!C3 "=1" is not like A=1; B=0.6; C=0.2; D=0']);
    expect(options('A=x').issues).toEqual(['nodes!C3 "A=x" is not like A=1; B=0.6; C=0.2; D=0 (x is not a number)']);
    expect(options(' ; ').issues).toEqual(['nodes!C3 empty: write A=1; B=0.6; C=0.2; D=0']);
  });

  it('groups: code≥min or code>=min, on the groups field\'s row', () => {
    expect(parse([], [], [['groups', 'A≥90; B>=0']]).document.groups).toEqual([{ code: 'A', min: 90 }, { code: 'B', min: 0 }]);
    expect(parse([], [], [['groups', 'A=90']]).issues).toEqual(['methodology!B3 "A=90" is not like A≥90; B≥80; C≥70; D≥0']);
  });
});

describe('normalisation, years and the methodology block', () => {
  it('a method alone, or with name=number parameters; a parameter without a number is named', () => {
    expect(cellOf('normalisation', 'minmax').node.normalisation).toEqual({ method: 'minmax' });
    expect(cellOf('normalisation', 'goalposts: lower=0; upper = 100; scale=10').node.normalisation).toEqual({ method: 'goalposts', lower: 0, upper: 100, scale: 10 });
    expect(cellOf('normalisation', 'goalposts: lower').issues).toEqual(['nodes!B3 normalisation parameter "lower" is not name=number (no value)']);
    expect(cellOf('normalisation', 'zscore: mean=a=1').issues).toEqual(['nodes!B3 normalisation parameter "mean=a=1" is not name=number (a=1 is not a number)']);
  });

  it('years: a typed number, or a list; a bad year named', () => {
    expect(parse([], [], [['years', 2024]]).document.years).toEqual([2024]);
    expect(parse([], [], [['years', '2022; 2023']]).document.years).toEqual([2022, 2023]);
    expect(parse([], [], [['years', '2022; later']]).issues).toEqual(['methodology!B3 year later is not a number']);
  });

  it('a repeated field is named on its second row; the notes keep their spaces', () => {
    expect(parse([], [], [['mode', 'points'], ['mode', 'weighted']]).issues).toEqual(['methodology!A4 field mode appears twice']);
    expect(parse([], [], [['notes', '  indented\n']]).document.notes).toBe('  indented\n');
  });

  it('a legal document\'s date typed as a number is named; dates as text or dates are kept', () => {
    expect(parse([], [], [['legal_basis', 'QĐ 1', 45000]]).issues).toEqual(['methodology!C3 45000 is not a date: write it as YYYY-MM-DD']);
    expect(parse([], [], [['legal_basis', 'QĐ 1', new Date(Date.UTC(2022, 10, 10)), 'Tên']]).document.legalBasis).toEqual([{ document: 'QĐ 1', date: '2022-11-10', title: 'Tên' }]);
  });
});

describe('rules and provenance', () => {
  it('a parameter without a rule, a parameter the rule does not take, an unknown rule: each named on its cell', () => {
    expect(parse(['target'], [100]).issues).toEqual(['nodes!B3 target is given without a rule']);
    expect(parse(['rule', 'worst'], ['proportional', 0]).issues).toEqual(['nodes!C3 rule proportional takes no worst']);
    expect(parse(['rule'], ['stars']).issues).toEqual(['nodes!B3 unknown rule stars: one of points, binary, bands, proportional, linear, survey']);
  });

  it('the default rule may be none (no rule for leaves without one), and says so when unknown', () => {
    expect(parse([], [], [['default_rule', 'None']]).document.defaultRule).toBeNull();
    expect(parse([], [], [['default_rule', 'stars']]).issues).toEqual(['methodology!B3 unknown rule stars: one of points, binary, bands, proportional, linear, survey, none']);
    expect(parse([], [], [['default_rule', 'linear'], ['default_worst', 0], ['default_best', 10]]).document.defaultRule).toEqual({ type: 'linear', worst: 0, best: 10 });
    expect(parse([], [], [['default_target', 5]]).issues).toEqual(['methodology!B3 target is given without a rule']);
  });

  it('a rule whose parameter cannot be read is left out, its cell named', () => {
    const { node, issues } = parse(['rule', 'target'], ['proportional', 'lots']);
    expect(issues).toEqual(['nodes!C3 lots is not a number']);
    expect('rule' in node).toBe(false);
  });

  it('provenance: official with its document, provisional with its note as typed; a document without a status named', () => {
    expect(parse(['provenance', 'document'], ['Chính thức', 'QĐ 2']).node.provenance).toEqual({ status: 'official', document: 'QĐ 2' });
    expect(parse(['provenance', 'note'], ['tạm tính', ' chờ số liệu ']).node.provenance).toEqual({ status: 'provisional', note: ' chờ số liệu ' });
    expect(parse(['document'], ['QĐ 2']).issues).toEqual(['nodes!B3 document is given without a provenance (official or provisional)']);
    expect(parse(['provenance'], ['draft']).issues).toEqual(['nodes!B3 draft is not official (chính thức) or provisional (tạm tính)']);
  });

  it('sources: one as text, several separated by ;', () => {
    expect(cellOf('source', 'appraisal').node.source).toBe('appraisal');
    expect(cellOf('source', 'appraisal; self;').node.source).toEqual(['appraisal', 'self']);
  });
});

describe('headers', () => {
  it('matched in either language, whatever the case, spacing and Unicode form (NFD typed)', () => {
    const { node, issues } = parse(['  ĐIỂM   TỐI ĐA '.normalize('NFD')], [3]);
    expect(issues).toEqual([]);
    expect(node.max).toBe(3);
  });

  it('a nodes sheet without a code column, or without any row, is named on its first row', () => {
    const noCode = parseMethodologySheets({ methodology: sheet('m', [['id', 'x']]), nodes: sheet('n', [['max'], [1]]) });
    expect(noCode.issues.map((i) => `${place(i)} ${i.message}`)).toEqual(['n!1 the first row is the header and names the column code (mã)', 'n!2 every node needs a code']);
    const empty = parseMethodologySheets({ methodology: sheet('m', [['id', 'x']]), nodes: sheet('n', []) });
    expect(empty.issues.map((i) => `${place(i)} ${i.message}`)).toEqual(['n!1 the first row is the header and names the column code (mã)']);
  });

  it('the methodology block\'s header row is optional', () => {
    const noHeader = parseMethodologySheets({ methodology: sheet('m', [['id', 'x'], ['mode', 'points']]), nodes: sheet('n', [['code'], ['R']]) });
    expect(noHeader).toMatchObject({ issues: [], document: { id: 'x', mode: 'points' } });
  });
});
