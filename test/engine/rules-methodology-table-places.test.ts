// Where the methodology table's problems are said to be, and what a table may leave blank
// (issue 12, survivors of the methodology-table mutation run): a problem's place is the sheet, then
// `!` and the column letter and row when known; a SheetError's messages start with that place and
// carry the node when there is one; an unknown column names every column in both languages; a
// blank header cell is no column; blank rows at the end are no rows, one in the middle is named;
// the typographic minus is a sign only in front of a number.
import { describe, expect, it } from 'vitest';
import { importMethodologySheets, NODE_COLUMNS, parseMethodologySheets, place, SheetError, type Cell, type MethodologySheets } from '../../src/engine/index.js';

const sheet = (name: string, rows: Cell[][]) => ({ name, rows: rows.map((cells, i) => ({ row: i + 1, cells })) });
const tables = (nodes: Cell[][]): MethodologySheets => ({
  methodology: sheet('methodology', [['field', 'value'], ['id', 'x'], ['mode', 'weighted'], ['missing', 'skip']]),
  nodes: sheet('nodes', nodes),
});
const said = (t: MethodologySheets) => parseMethodologySheets(t).issues.map((i) => `${place(i)} ${i.message}`);

describe('a problem\'s place', () => {
  it('is the sheet, then ! with the column and the row when known', () => {
    expect(place({ sheet: 'nodes', message: '' })).toBe('nodes');
    expect(place({ sheet: 'nodes', row: 3, message: '' })).toBe('nodes!3');
    expect(place({ sheet: 'nodes', column: 'B', message: '' })).toBe('nodes!B');
    expect(place({ sheet: 'nodes', column: 'AA', row: 12, message: '' })).toBe('nodes!AA12');
  });

  it('starts each message of a SheetError, which names the node when there is one', () => {
    const e = new SheetError([{ sheet: 'nodes', row: 4, column: 'E', node: '1.2', message: 'bad max' }, { sheet: 'methodology', message: 'no id' }]);
    expect(e.issues).toEqual([{ message: 'nodes!E4: bad max', node: '1.2' }, { message: 'methodology: no id' }]);
    expect(e.kind).toBe('invalid-methodology');
  });

  it('is the cell of a bad value when a whole import is refused, with its node', () => {
    try {
      importMethodologySheets(tables([['code', 'weight'], ['R'], ['1', 'heavy']]));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SheetError);
      expect((e as SheetError).problems).toEqual([{ sheet: 'nodes', row: 3, column: 'B', field: 'weight', node: '1', message: 'heavy is not a number' }]);
      expect((e as SheetError).issues[0]).toEqual({ message: 'nodes!B3: heavy is not a number', node: '1' });
    }
  });
});

describe('headers and rows', () => {
  it('an unknown column names every column, each with its Vietnamese header', () => {
    const [problem] = said(tables([['code', 'colour'], ['R']]));
    expect(problem).toBe(`nodes!B1 unknown column colour: the columns are ${NODE_COLUMNS.map((c) => `${c.key} (${c.vi})`).join(', ')}`);
    expect(problem).toContain('code (mã), parent (mã cha), name_vi (tên tiếng Việt)');
  });

  it('a blank header cell is no column, and the columns after it are read', () => {
    const parsed = parseMethodologySheets(tables([['code', null, '  ', 'weight'], ['R'], ['1', null, null, 2]]));
    expect(parsed.issues).toEqual([]);
    expect((parsed.document.nodes as Record<string, unknown>[])[1]).toMatchObject({ code: '1', weight: 2 });
  });

  it('blank rows at the end are no rows; one in the middle is named on its row', () => {
    const trailing = parseMethodologySheets(tables([['code'], ['R'], ['1'], [null, '  '], [null]]));
    expect(trailing.issues).toEqual([]);
    expect((trailing.document.nodes as unknown[]).length).toBe(2);
    expect(trailing.nodeRows).toEqual([2, 3]);
    const middle = parseMethodologySheets(tables([['code'], ['R'], [''], ['1'], []]));
    expect(middle.issues.map((i) => `${place(i)} ${i.message}`)).toEqual(['nodes!3 empty row in the middle of the table: delete it']);
    expect(middle.nodeRows).toEqual([2, 4]);
  });
});

describe('the typographic minus', () => {
  it('is a sign in front of a number, and nowhere else', () => {
    const read = (cell: string) => parseMethodologySheets(tables([['code', 'weight'], ['R'], ['1', cell]]));
    expect((read('\u22122.5').document.nodes as Record<string, unknown>[])[1].weight).toBe(-2.5);
    expect(read('1e\u22122').issues.map((i) => i.message)).toEqual(['1e\u22122 is not a number']);
  });
});
