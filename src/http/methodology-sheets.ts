// A methodology's tables (engine/methodology-table.ts) as files: CSV (the methodology's fields as
// key,value rows, a blank row, then the node table) and XLSX (sheets `methodology` and `nodes`).
// An uploaded workbook is untrusted: workbook.ts checks its ZIP, then its own reader reads the
// cells as values (exceljs only writes). A formula is refused where it stands, as in score workbooks.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { BUDGETS, columnLetter, type Cell, type MethodologySheets, type Sheet } from '../engine/index.js';
import { FORMULA_START, neutralised } from './csv.js';
import { MAX_LISTED_ERRORS } from './permissions.js';
import { ApiProblem, type FieldError } from './problem.js';
import { cellRefusal, checkWorkbookZip, readSheets, serialToDate, SHEET_PARTS, type RawCell, type RawSheet, type WorkbookLimits } from './workbook.js';

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

/**
 * The two tables of a workbook, after the ZIP checks, read by the same small reader as score
 * workbooks: a missing sheet, merged cells, error values or a formula are named (422), the last
 * by the same rule as scores (workbook.ts: paste values).
 */
export async function xlsxToSheets(bytes: Uint8Array): Promise<MethodologySheets> {
  const book = readSheets(await checkWorkbookZip(bytes, XLSX_LIMITS, SHEET_PARTS));
  const problems: FieldError[] = [];
  const read = (key: keyof typeof SHEET_NAMES): Sheet => {
    const found = book.find((ws) => (SHEET_NAMES[key] as readonly string[]).includes(ws.name.normalize('NFC').trim().toLowerCase()));
    if (found) return worksheetRows(found, problems);
    problems.push({ sheet: key, message: `no sheet named ${SHEET_NAMES[key].join(' or ')} (the workbook has ${book.map((w) => w.name).join(', ') || 'no sheet'})` });
    return { name: key, rows: [] };
  };
  const sheets = { methodology: read('methodology'), nodes: read('nodes') };
  if (problems.length) throw workbookProblem(problems);
  return sheets;
}

function worksheetRows(ws: RawSheet, problems: FieldError[]): Sheet {
  for (const range of ws.merges) problems.push({ sheet: ws.name, message: `merged cells ${range}: unmerge them (one value per cell)` });
  const width = Math.max(0, ...[...ws.rows.values()].map((cells) => Math.max(0, ...cells.keys())));
  if (width > XLSX_LIMITS.columns) problems.push({ sheet: ws.name, message: `${width} columns: a methodology sheet has at most ${XLSX_LIMITS.columns}` });
  const rows: Sheet['rows'] = [];
  const last = Math.max(0, ...ws.rows.keys());
  for (let r = 1; r <= last; r++) {
    const raw = ws.rows.get(r);
    const cells: Cell[] = [];
    for (let k = 1; raw && k <= Math.min(width, XLSX_LIMITS.columns); k++) {
      const cell = raw.get(k);
      cells.push(cell ? cellValue(cell, { sheet: ws.name, row: r, column: columnLetter(k - 1) }, problems) : null);
    }
    rows.push({ row: r, cells });
  }
  return { name: ws.name, rows };
}

/** A cell as a plain value: a date shown as one, a formula or an error value refused where it stands. */
function cellValue(cell: RawCell, at: { sheet: string; row: number; column: string }, problems: FieldError[]): Cell {
  const refused = cellRefusal(cell);
  if (refused) {
    problems.push({ ...at, message: refused });
    return null;
  }
  if (cell.date) return typeof cell.value === 'number' ? serialToDate(cell.value) : new Date(String(cell.value));
  return cell.value;
}

/** Every problem of reading the workbook as values, as a score workbook's are answered (validation-failed, 422). */
function workbookProblem(errors: FieldError[]): ApiProblem {
  const first = errors[0];
  const where = `${first.sheet}${first.column || first.row ? '!' : ''}${first.column ?? ''}${first.row ?? ''}`;
  return new ApiProblem('validation-failed', `${errors.length} problem(s) in the workbook; nothing was written. First: ${where}: ${first.message}.${errors.length > MAX_LISTED_ERRORS ? ` The first ${MAX_LISTED_ERRORS} are listed.` : ''}`, errors.slice(0, MAX_LISTED_ERRORS));
}
