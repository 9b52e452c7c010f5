// The export of a methodology as tables (issue 12, survivors in firstDifference, the export's
// refusal and the cells it writes): two JSON values differ at the first path where they do, in
// key order, undefined members aside, 0 and -0 alike; the export refuses by name what it cannot
// carry, and writes each cell as a person would type it, reading back as the same document.
import { describe, expect, it } from 'vitest';
import { EngineError, exportMethodologySheets, importMethodologySheets, type Cell } from '../../src/engine/index.js';
import { firstDifference } from '../../src/engine/methodology-table.js';

const refusal = (document: unknown) => {
  try {
    exportMethodologySheets(document);
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).kind).toBe('invalid-methodology');
    return (e as EngineError).issues;
  }
  throw new Error('exported');
};
const cellsOf = (rows: { row: number; cells: Cell[] }[]) => rows.map((r) => r.cells);
const base = { id: 'mini', mode: 'weighted', missing: 'skip' };

describe('the first difference between two JSON values', () => {
  it('is undefined for equal values, whatever the key order, undefined members, 0 and -0, NaN', () => {
    expect(firstDifference({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBeUndefined();
    expect(firstDifference({ a: undefined, b: 1 }, { b: 1 })).toBeUndefined();
    expect(firstDifference(0, -0)).toBeUndefined();
    expect(firstDifference(Number.NaN, Number.NaN)).toBeUndefined();
  });

  it('is the path of the first differing element, and of an element only one array has', () => {
    expect(firstDifference([1, 2, 3], [1, 5, 3])).toEqual([1]);
    expect(firstDifference([1], [1, 2])).toEqual([1]);
    expect(firstDifference([1, 2], [1])).toEqual([1]);
    expect(firstDifference({ n: [0, [4, 5]] }, { n: [0, [4, 6]] })).toEqual(['n', 1, 1]);
  });

  it('is the first differing key in sorted order, and a key only one side has', () => {
    expect(firstDifference({ b: 1, a: 1 }, { b: 2, a: 2 })).toEqual(['a']);
    expect(firstDifference({}, { x: 1 })).toEqual(['x']);
    expect(firstDifference({ x: 1 }, {})).toEqual(['x']);
  });

  it('is the path itself where the kinds differ or a number differs from 0', () => {
    expect(firstDifference({ a: 1 }, 5, ['at'])).toEqual(['at']);
    expect(firstDifference(0, 5)).toEqual([]);
    expect(firstDifference(5, 0)).toEqual([]);
    expect(firstDifference(1, -1)).toEqual([]);
  });
});

describe('the export refuses, by name', () => {
  it('what is not a methodology document', () => {
    for (const bad of [null, 'x', [], { id: 'x' }, { nodes: 'R' }]) expect(refusal(bad)).toEqual([{ message: 'not a methodology document' }]);
  });

  it('every field the tables do not know, and nested children', () => {
    expect(refusal({ ...base, colour: 'red', nodes: [{ code: 'R', children: [], size: 1 }] })).toEqual([
      { message: 'a spreadsheet cannot carry field colour (/colour)' },
      { message: 'a spreadsheet cannot carry nested children of node R (/nodes/0/children): the table is flat, one row per node naming its parent' },
      { message: 'a spreadsheet cannot carry field size of node R (/nodes/0/size)' },
    ]);
  });

  it('a node that is not an object (not a crash)', () => {
    expect(refusal({ ...base, nodes: [{ code: 'R' }, 5, null] })).toEqual([
      { message: 'a spreadsheet cannot carry node 1, which is not an object (/nodes/1)' },
      { message: 'a spreadsheet cannot carry node 2, which is not an object (/nodes/2)' },
    ]);
  });

  it('a value that would read back differently, with its path', () => {
    expect(refusal({ ...base, nodes: [{ code: 'R' }, { code: '1', parent: 'R', weight: Infinity }] })).toEqual([
      { message: 'a spreadsheet cannot carry this document as written: it would read back differently at /nodes/1/weight', path: ['nodes', 1, 'weight'] },
    ]);
  });
});

describe('the exported tables', () => {
  it('are headed in Vietnamese unless asked otherwise, rows numbered from 1, each sheet named', () => {
    const sheets = exportMethodologySheets({ ...base, nodes: [{ code: 'R' }, { code: '1', parent: 'R' }] });
    expect(sheets.methodology.name).toBe('methodology');
    expect(sheets.nodes.name).toBe('nodes');
    expect(sheets.methodology.rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(sheets.nodes.rows.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(cellsOf(sheets.methodology.rows)).toEqual([['trường', 'giá trị', 'ngày', 'tiêu đề'], ['mã phương pháp', 'mini'], ['cách tính', 'weighted'], ['thiếu dữ liệu', 'skip']]);
    expect(sheets.nodes.rows[0].cells.slice(0, 3)).toEqual(['mã', 'mã cha', 'tên tiếng Việt']);
    expect(exportMethodologySheets({ ...base, nodes: [{ code: 'R' }] }, 'en').nodes.rows[0].cells.slice(0, 3)).toEqual(['code', 'parent', 'name_vi']);
  });

  it('write a legal document in as few cells as it has parts, and no row for a field left out', () => {
    const doc = { ...base, legalBasis: [{ document: 'QĐ 1' }, { document: 'QĐ 2', date: '2020-01-02' }, { document: 'QĐ 3', date: '2021-03-04', title: 'Đề án' }], nodes: [{ code: 'R' }] };
    expect(cellsOf(exportMethodologySheets(doc, 'en').methodology.rows).slice(1)).toEqual([
      ['id', 'mini'], ['legal_basis', 'QĐ 1'], ['legal_basis', 'QĐ 2', '2020-01-02'], ['legal_basis', 'QĐ 3', '2021-03-04', 'Đề án'], ['mode', 'weighted'], ['missing', 'skip'],
    ]);
  });

  it('write bands as typed (else for the lowest, shares as short percentages) and sources with a ; only when one', () => {
    const doc = {
      id: 'p', mode: 'points', missing: 'zero',
      nodes: [
        { code: 'R' },
        { code: '1', parent: 'R', max: 4, source: ['a', 'b'], rule: { type: 'bands', bands: [{ min: 100, points: 4 }, { min: 80, share: 0.07 }, { min: 0, points: 0 }] } },
        { code: '2', parent: 'R', max: 4, source: ['a'], rule: { type: 'bands', bands: [{ min: 100, points: 4 }, { min: 5, points: 1 }], range: [5, 100] } },
        { code: '3', parent: 'R', max: 4, source: 'survey', rule: { type: 'bands', bands: [{ min: 100, points: 4 }, { min: 5, points: 1 }] } },
      ],
    };
    const sheets = exportMethodologySheets(doc, 'en');
    const column = (key: string) => sheets.nodes.rows.slice(1).map((r) => r.cells[(sheets.nodes.rows[0].cells as string[]).indexOf(key)]);
    expect(column('bands')).toEqual([null, '≥100:4; ≥80:7%; else:0', '≥100:4; else:1', '≥100:4; ≥5:1']);
    expect(column('source')).toEqual([null, 'a; b', 'a;', 'survey']);
    expect(importMethodologySheets(sheets).document).toStrictEqual(doc);
  });

  it('keep a parent written on the first row, and the nodes of a sheet larger than the import budget', () => {
    const rooted = { ...base, nodes: [{ code: 'R.1', parent: 'R' }] };
    expect(exportMethodologySheets(rooted, 'en').nodes.rows[1].cells.slice(0, 2)).toEqual(['R.1', 'R']);
    expect(exportMethodologySheets({ ...base, nodes: [] }, 'en').nodes.rows).toHaveLength(1);
    const many = { ...base, nodes: [{ code: 'R' }, ...Array.from({ length: 2_000 }, (_, i) => ({ code: `${i + 1}`, parent: 'R' }))] };
    expect(exportMethodologySheets(many).nodes.rows).toHaveLength(2_002);
  });
});
