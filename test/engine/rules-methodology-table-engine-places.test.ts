// The engine's own problems placed back on the cells they come from (issue 12, survivors in
// nodeColumnKey, fieldKey, placeIssue and the import's de-duplication): a node's problem sits on
// its row and on the column its field is read from, headed as the sheet heads it; a field without a
// column is named without a letter; a problem of the whole node list has no row. A methodology
// field's problem sits in column B of its row; a legal document's in the column of its part.
import { describe, expect, it } from 'vitest';
import { BudgetError, importMethodologySheets, SheetError, type Cell, type MethodologySheets, type SheetIssue } from '../../src/engine/index.js';

const sheet = (name: string, rows: Cell[][]) => ({ name, rows: rows.map((cells, i) => ({ row: i + 1, cells })) });
const WEIGHTED: Cell[][] = [['field', 'value'], ['id', 'x'], ['mode', 'weighted'], ['missing', 'skip']];
const POINTS: Cell[][] = [['field', 'value'], ['id', 'x'], ['mode', 'points'], ['missing', 'zero']];
const tables = (fields: Cell[][], nodes: Cell[][], name = 'nodes'): MethodologySheets => ({ methodology: sheet('methodology', fields), nodes: sheet(name, nodes) });

function problemsOf(t: MethodologySheets): SheetIssue[] {
  try {
    importMethodologySheets(t);
  } catch (e) {
    if (e instanceof SheetError) return e.problems;
    throw e;
  }
  throw new Error('imported without a problem');
}

describe('a node\'s problem from the engine', () => {
  it('names the missing English name on its column, headed as the sheet heads it', () => {
    expect(problemsOf(tables(WEIGHTED, [['mã', 'tên tiếng Việt', 'tên tiếng Anh'], ['R', 'Gốc'], ['1', 'Một', 'One']], 'cây'))).toStrictEqual([
      { sheet: 'cây', node: 'R', message: 'Invalid input: expected string, received undefined', row: 2, column: 'C', field: 'tên tiếng Anh' },
    ]);
  });

  it('names the missing Vietnamese name on its column', () => {
    expect(problemsOf(tables(WEIGHTED, [['code', 'name_vi', 'name_en'], ['R', 'Gốc', 'Root'], ['1', null, 'One']]))).toStrictEqual([
      { sheet: 'nodes', node: '1', message: 'Invalid input: expected string, received undefined', row: 3, column: 'B', field: 'name_vi' },
    ]);
  });

  it('names a field the sheet has no column for by its key, without a letter', () => {
    expect(problemsOf(tables(WEIGHTED, [['code', 'name_vi'], ['R', 'Gốc'], ['1', 'Một']]))).toStrictEqual([
      { sheet: 'nodes', node: 'R', message: 'Invalid input: expected string, received undefined', row: 2, field: 'name_en' },
      { sheet: 'nodes', node: '1', message: 'Invalid input: expected string, received undefined', row: 3, field: 'name_en' },
    ]);
  });

  it('names an official provenance without its document on the document column', () => {
    expect(problemsOf(tables(WEIGHTED, [['code', 'provenance', 'note', 'văn bản'], ['R'], ['1', 'chính thức']]))).toStrictEqual([
      { sheet: 'nodes', node: '1', message: 'Invalid input: expected string, received undefined', row: 3, column: 'D', field: 'văn bản' },
    ]);
  });

  it('names a provisional provenance\'s bad note on the note column', () => {
    expect(problemsOf(tables(WEIGHTED, [['code', 'provenance', 'ghi chú', 'document'], ['R'], ['1', 'tạm tính', 'e\u0301']]))).toStrictEqual([
      { sheet: 'nodes', node: '1', message: 'text must be Unicode NFC (composed), not NFD', row: 3, column: 'C', field: 'ghi chú' },
    ]);
  });

  it('names the availability threshold on the availability column', () => {
    expect(problemsOf(tables(WEIGHTED, [['code', 'weight', 'ngưỡng đủ dữ liệu'], ['R'], ['1', 1, 2]]))).toStrictEqual([
      { sheet: 'nodes', node: '1', message: 'Too big: expected number to be <=1', row: 3, column: 'C', field: 'ngưỡng đủ dữ liệu' },
    ]);
  });

  it('names a rule\'s parameter on its own column, and the rule itself on the rule column', () => {
    expect(problemsOf(tables(POINTS, [['code', 'max', 'rule', 'target'], ['R'], ['1', 1, 'proportional', -1]]))).toStrictEqual([
      { sheet: 'nodes', node: '1', message: 'Too small: expected number to be >0', row: 3, column: 'D', field: 'target' },
    ]);
    expect(problemsOf(tables(POINTS, [['code', 'max', 'bands', 'rule', 'range'], ['R'], ['1', 1, '≥5:1; ≥7:0', 'bands', '0..10']]))).toStrictEqual([
      { sheet: 'nodes', node: '1', message: 'bands must be ordered by min, highest first', row: 3, column: 'C', field: 'bands' },
    ]);
    expect(problemsOf(tables(POINTS, [['code', 'max', 'rule'], ['R', null, 'binary'], ['1', 1, 'binary']]))).toStrictEqual([
      { sheet: 'nodes', node: 'R', message: 'only leaves have a scoring rule', row: 2, column: 'C', field: 'rule' },
    ]);
  });

  it('names a node\'s own problem on its row only, and a problem of the whole list on the sheet only', () => {
    expect(problemsOf(tables(WEIGHTED, [['code', 'weight'], ['R'], ['1', 1e308], ['2', 1e308]]))).toStrictEqual([
      { sheet: 'nodes', node: 'R', message: 'the weights of the children of R sum to Infinity: not a finite number', row: 2 },
    ]);
    expect(problemsOf(tables(WEIGHTED, [['code']]))).toStrictEqual([{ sheet: 'nodes', message: 'Too small: expected array to have >=1 items' }]);
  });
});

describe('the import says each problem once', () => {
  it('leaves out the engine\'s word on a cell the parser already named', () => {
    expect(problemsOf(tables(POINTS, [['code', 'max', 'rule'], ['R'], ['1', 'x', 'binary']]))).toStrictEqual([
      { sheet: 'nodes', row: 3, column: 'B', field: 'max', node: '1', message: 'x is not a number' },
    ]);
  });

  it('keeps a problem that has no column, even on a row already named', () => {
    const missing = 'Invalid input: expected string, received undefined';
    expect(problemsOf(tables(WEIGHTED, [['name_vi', 'name_en'], ['a', 'b'], ['c', 'd']]))).toStrictEqual([
      { sheet: 'nodes', row: 1, message: 'the first row is the header and names the column code (mã)' },
      { sheet: 'nodes', row: 2, message: 'every node needs a code' },
      { sheet: 'nodes', row: 3, message: 'every node needs a code' },
      { sheet: 'nodes', message: missing, row: 2, field: 'code' },
      { sheet: 'nodes', message: missing, row: 3, field: 'code' },
    ]);
  });

  it('lets a budget the engine finds exceeded pass through as it is', () => {
    const deep = tables(WEIGHTED, [['code'], ['R'], ['1'], ['1.1'], ['1.1.1']]);
    expect(() => importMethodologySheets(deep, { methodologyDepth: 2 })).toThrow(BudgetError);
    expect(() => importMethodologySheets(deep, { methodologyDepth: 2 })).toThrow('levels below the root (node 1.1.1, by its chain of parents): 3, more than the limit of 2 (budget methodologyDepth)');
  });
});

describe('a methodology field\'s problem from the engine', () => {
  const nodes: Cell[][] = [['code'], ['R'], ['1']];

  it('sits in column B of the field\'s row, named by its key', () => {
    expect(problemsOf(tables([...WEIGHTED, ['ngưỡng đủ dữ liệu', 2]], nodes))).toStrictEqual([
      { sheet: 'methodology', row: 5, column: 'B', field: 'availability', message: 'Too big: expected number to be <=1' },
    ]);
    expect(problemsOf(tables([...WEIGHTED, ['years', '2020; 1200']], nodes))).toStrictEqual([
      { sheet: 'methodology', row: 5, column: 'B', field: 'years', message: 'Too small: expected number to be >=1900' },
    ]);
  });

  it('names a missing name by its language, without a row', () => {
    const missing = 'Invalid input: expected string, received undefined';
    expect(problemsOf(tables([...WEIGHTED, ['name_vi', 'Chỉ số']], nodes))).toStrictEqual([{ sheet: 'methodology', field: 'name_en', message: missing }]);
    expect(problemsOf(tables([...WEIGHTED, ['name_en', 'Index']], nodes))).toStrictEqual([{ sheet: 'methodology', field: 'name_vi', message: missing }]);
  });

  it('names a default rule\'s parameter as its default_ field, on its row when there is one', () => {
    expect(problemsOf(tables([...WEIGHTED, ['default_rule', 'proportional'], ['default_target', -5]], nodes))).toStrictEqual([
      { sheet: 'methodology', row: 6, column: 'B', field: 'default_target', message: 'Too small: expected number to be >0' },
    ]);
    expect(problemsOf(tables([...WEIGHTED, ['default_rule', 'linear']], nodes))).toStrictEqual([
      { sheet: 'methodology', field: 'default_worst', message: 'Invalid input: expected number, received undefined' },
      { sheet: 'methodology', field: 'default_best', message: 'Invalid input: expected number, received undefined' },
    ]);
  });

  it('names an inherited default rule on the default rule\'s row, with the node it failed on', () => {
    expect(problemsOf(tables([...POINTS, ['default_rule', 'bands'], ['default_bands', '≥5:9']], [['code', 'max'], ['R'], ['1', 1]]))).toStrictEqual([
      { sheet: 'methodology', row: 6, column: 'B', field: 'default_bands', node: '1', message: 'band points 9 exceed max 1' },
    ]);
  });

  it('names a legal document\'s problem on its own row, in the column of its part', () => {
    expect(problemsOf(tables([...WEIGHTED, ['legal_basis', 'QĐ 1', '2020-01-01'], ['căn cứ pháp lý', 'QĐ 2', 'soon', 'Tiêu đề'], ['legal_basis', null, '2021-02-03']], nodes))).toStrictEqual([
      { sheet: 'methodology', row: 6, column: 'C', field: 'legal_basis', message: 'Invalid ISO date' },
      { sheet: 'methodology', row: 7, column: 'B', field: 'legal_basis', message: 'Invalid input: expected string, received undefined' },
    ]);
    expect(problemsOf(tables([...WEIGHTED, ['legal_basis', 'QĐ 1', '2020-01-01', 'Tie\u0301u đề']], nodes))).toStrictEqual([
      { sheet: 'methodology', row: 5, column: 'D', field: 'legal_basis', message: 'text must be Unicode NFC (composed), not NFD' },
    ]);
  });
});
