// Reading the methodology block and the node rows (issue 12, survivors in readMethodologyBlock,
// readLegal and readNodes): the block's header row is optional, blank rows are skipped, values
// are trimmed; a problem of the block is on column B, headed "value"; a node's default parent is
// its code's dotted prefix (never for the first row), else the root wherever the code column is.
import { describe, expect, it } from 'vitest';
import { BudgetError, METHODOLOGY_FIELDS, parseMethodologySheets, type Cell } from '../../src/engine/index.js';

const sheet = (name: string, rows: Cell[][]) => ({ name, rows: rows.map((cells, i) => ({ row: i + 1, cells })) });
const read = (fields: Cell[][], nodes: Cell[][] = [['code'], ['R']], limits?: object) =>
  parseMethodologySheets({ methodology: sheet('methodology', fields), nodes: sheet('nodes', nodes) }, limits);

describe('the methodology block', () => {
  it('is read without a header row, blank rows skipped, values trimmed', () => {
    const parsed = read([['id', '  mini  '], [null, '  '], ['mode', 'points']]);
    expect(parsed.issues).toEqual([]);
    expect(parsed.document).toMatchObject({ id: 'mini', mode: 'points' });
  });

  it('names an unknown field, even one spelled like a header, with every field', () => {
    expect(read([['value', 'x']]).issues).toStrictEqual([
      { sheet: 'methodology', row: 1, column: 'A', field: 'value', message: `unknown field value: the fields are ${METHODOLOGY_FIELDS.map((c) => c.key).join(', ')}` },
    ]);
  });

  it('names a bad value on column B of its row, headed value', () => {
    expect(read([['field', 'value'], ['version', 'two']]).issues).toStrictEqual([
      { sheet: 'methodology', row: 2, column: 'B', field: 'value', message: 'two is not a number' },
    ]);
  });

  it('keeps a name given in one language only, for the engine to name the other', () => {
    expect(read([['name_vi', 'Chỉ số']]).document.name).toEqual({ vi: 'Chỉ số' });
  });

  it('names a legal document\'s date typed as a number on its date cell, and leaves the date out', () => {
    const parsed = read([['legal_basis', 'QĐ 1', 45000, 'Đề án']]);
    expect(parsed.issues).toStrictEqual([{ sheet: 'methodology', row: 1, column: 'C', field: 'date', message: '45000 is not a date: write it as YYYY-MM-DD' }]);
    expect(parsed.document.legalBasis).toEqual([{ document: 'QĐ 1', title: 'Đề án' }]);
  });
});

describe('the node rows', () => {
  const parents = (nodes: Cell[][]) => (read([['id', 'x']], nodes).document.nodes as Record<string, unknown>[]).map((n) => n.parent);

  it('give a node the root as parent wherever the code column is, and no parent to the first row', () => {
    expect(parents([['name_vi', 'code'], ['Gốc', 'PAR.2024'], ['Một', '1'], ['Một chấm', '.5'], ['Hai', '1.2']])).toEqual([undefined, 'PAR.2024', 'PAR.2024', '1']);
  });

  it('name a row without a code on its sheet', () => {
    expect(read([['id', 'x']], [['code', 'name_vi'], ['R'], [null, 'Một']], { methodologyNodes: 5 }).issues).toStrictEqual([
      { sheet: 'nodes', row: 3, column: 'A', field: 'code', message: 'every node needs a code' },
    ]);
  });

  it('name document and note given without a provenance', () => {
    expect(read([['id', 'x']], [['code', 'document', 'note'], ['R', 'QĐ', 'tạm']]).issues.map((i) => `${i.column} ${i.message}`)).toEqual([
      'B document is given without a provenance (official or provisional)', 'C note is given without a provenance (official or provisional)',
    ]);
  });

  it('are counted against the budget, header aside', () => {
    const nodes: Cell[][] = [['code'], ['R'], ['1'], ['2']];
    expect(read([['id', 'x']], nodes, { methodologyNodes: 3 }).issues).toEqual([]);
    expect(() => read([['id', 'x']], nodes, { methodologyNodes: 2 })).toThrow(BudgetError);
  });
});
