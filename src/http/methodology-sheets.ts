// A methodology's tables (engine/methodology-table.ts) as files: CSV (the methodology's fields as
// key,value rows, a blank row, then the node table) and XLSX (sheets `methodology` and `nodes`).
// An uploaded workbook is untrusted: workbook.ts checks its ZIP before exceljs sees it. Cells are read as values: a formula counts only by the
// value the spreadsheet stored with it, and every such cell is named back to the sender.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { BUDGETS, columnLetter, type Cell, type MethodologySheets, type Sheet, type SheetIssue, SheetError } from '../engine/index.js';
import { FORMULA_START, neutralised } from './csv.js';
import { ApiProblem } from './problem.js';
import { checkWorkbookZip, notWorkbook, type WorkbookLimits } from './workbook.js';

export { XLSX_TYPE } from './workbook.js';

/** Sheet names, in either language. */
const SHEET_NAMES = { methodology: ['methodology', 'phương pháp'], nodes: ['nodes', 'chỉ tiêu'] } as const;

// ——— CSV

/** The CSV of the tables: UTF-8 with a BOM, CRLF; text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function sheetsToCsv(sheets: MethodologySheets): string {
  const text = (cells: Cell[]) => cells.map((c) => (c === null ? '' : typeof c === 'string' ? neutralised(c) : String(c)));
  const rows = [...sheets.methodology.rows.map((r) => text(r.cells)), [], ...sheets.nodes.rows.map((r) => text(r.cells))];
  return '\ufeff' + stringify(rows, { record_delimiter: '\r\n', quoted_match: [/[\r\n]/, /^'/] });
}

/** A CSV as the two tables: the first blank row ends the methodology block. Row numbers are the file's records. */
export function csvToSheets(text: string): MethodologySheets {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: false });
  } catch (e) {
    throw new ApiProblem('malformed-body', `The CSV could not be parsed: ${(e as Error).message}`);
  }
  const rows = records.map((cells, i) => ({ row: i + 1, cells: cells.map(unNeutralised) }));
  const gap = rows.findIndex((r) => r.cells.every((c) => c.trim() === ''));
  if (gap < 0) throw new ApiProblem('malformed-body', 'The CSV has no blank row: write the methodology\'s fields (field,value rows), a blank row, then the node table (its header first).');
  return { methodology: { name: 'methodology', rows: rows.slice(0, gap) }, nodes: { name: 'nodes', rows: rows.slice(gap + 1) } };
}

/** The apostrophe a CSV export puts before text that looks like a formula (OWASP), taken off again. */
const unNeutralised = (cell: string) => (cell.startsWith('\'') && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell);

// ——— XLSX out

export async function sheetsToXlsx(sheets: MethodologySheets): Promise<Uint8Array<ArrayBuffer>> {
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  Object.assign(book, { creator: 'PAR INDEX', created: new Date(0), modified: new Date(0) });
  for (const sheet of [sheets.methodology, sheets.nodes]) {
    const ws = book.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    for (const r of sheet.rows) ws.addRow(r.cells.map((c) => c ?? undefined));
    ws.getRow(1).font = { bold: true };
    ws.columns.forEach((column, k) => { column.width = k < 2 || sheet === sheets.nodes ? 22 : 14; });
  }
  return new Uint8Array(await book.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}

// ——— XLSX in

/** Limits of an uploaded methodology workbook, checked on its ZIP directory before anything is inflated. */
export const XLSX_LIMITS: WorkbookLimits & { columns: number } = {
  kind: 'a methodology workbook', entries: 200, uncompressed: 16 * 1024 * 1024, columns: 60, rows: 5_000, cells: 100_000,
  tooLong: (part, counted) => new ApiProblem('budget-exceeded', `The worksheet ${part} has ${counted.rows.toLocaleString('en')} rows and ${counted.cells.toLocaleString('en')} cells: a methodology sheet has at most ${XLSX_LIMITS.rows.toLocaleString('en')} rows and ${XLSX_LIMITS.cells.toLocaleString('en')} cells (the node budget is ${BUDGETS.methodologyNodes.toLocaleString('en')}). Nothing was read or stored.`),
};

export interface ReadWorkbook { sheets: MethodologySheets; /** cells whose value is a formula's stored result, as sheet!A1 */ formulas: string[] }

/** The two tables of a workbook, after the ZIP checks; a missing sheet, merged cells or a formula without a stored value are named. */
export async function xlsxToSheets(bytes: Uint8Array): Promise<ReadWorkbook> {
  await checkWorkbookZip(bytes, XLSX_LIMITS);
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw notWorkbook(`it could not be read (${(e as Error).message})`);
  }
  const problems: SheetIssue[] = [];
  const formulas: string[] = [];
  const find = (names: readonly string[]) => book.worksheets.find((ws) => names.includes(ws.name.normalize('NFC').trim().toLowerCase()));
  const read = (key: keyof typeof SHEET_NAMES): Sheet => {
    const ws = find(SHEET_NAMES[key]);
    if (!ws) {
      problems.push({ sheet: key, message: `no sheet named ${SHEET_NAMES[key].join(' or ')} (the workbook has ${book.worksheets.map((w) => w.name).join(', ') || 'no sheet'})` });
      return { name: key, rows: [] };
    }
    return worksheetRows(ws, problems, formulas);
  };
  const sheets = { methodology: read('methodology'), nodes: read('nodes') };
  if (problems.length) throw new SheetError(problems);
  return { sheets, formulas };
}

function worksheetRows(ws: ExcelJS.Worksheet, problems: SheetIssue[], formulas: string[]): Sheet {
  const merges = Object.values((ws as unknown as { _merges: Record<string, { range: string }> })._merges ?? {});
  for (const m of merges) problems.push({ sheet: ws.name, message: `merged cells ${m.range}: unmerge them (one value per cell)` });
  if (ws.columnCount > XLSX_LIMITS.columns) problems.push({ sheet: ws.name, message: `${ws.columnCount} columns: a methodology sheet has at most ${XLSX_LIMITS.columns}` });
  const rows: Sheet['rows'] = [];
  const width = Math.min(ws.columnCount, XLSX_LIMITS.columns);
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: Cell[] = [];
    for (let k = 1; k <= width; k++) cells.push(cellValue(row.getCell(k).value, { sheet: ws.name, row: r, column: columnLetter(k - 1) }, problems, formulas));
    rows.push({ row: r, cells });
  }
  return { name: ws.name, rows };
}

/** A cell as a plain value: rich text joined, a hyperlink's text, a formula's stored result (named), an error refused. */
function cellValue(v: ExcelJS.CellValue, at: { sheet: string; row: number; column: string }, problems: SheetIssue[], formulas: string[]): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('formula' in v || 'sharedFormula' in v) {
    const result = (v as { result?: ExcelJS.CellValue }).result;
    if (result === undefined || result === null || (typeof result === 'object' && 'error' in result)) {
      problems.push({ ...at, message: 'a formula without a stored value: type the value (formulas are not computed here)' });
      return null;
    }
    formulas.push(`${at.sheet}!${at.column}${at.row}`);
    return cellValue(result, at, problems, formulas);
  }
  if ('error' in v) {
    problems.push({ ...at, message: `the cell holds the error ${v.error}` });
    return null;
  }
  if ('text' in v) return String(v.text);
  problems.push({ ...at, message: 'a cell of a kind that is not read (type a value)' });
  return null;
}
