// A methodology's tables (engine/methodology-table.ts) as files: CSV (the methodology's fields as
// key,value rows, a blank row, then the node table) and XLSX (sheets `methodology` and `nodes`).
// An uploaded workbook is untrusted: its ZIP central directory is read here, before exceljs sees
// it, and a file that is not a ZIP, declares too much, or inflates past what it declares is
// refused without being inflated further. Cells are read as values: a formula counts only by the
// value the spreadsheet stored with it, and every such cell is named back to the sender.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { BUDGETS, columnLetter, type Cell, type MethodologySheets, type Sheet, type SheetIssue, SheetError } from '../engine/index.js';
import { FORMULA_START, neutralised } from './csv.js';
import { ApiProblem } from './problem.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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

/** Limits of an uploaded workbook, checked on its ZIP directory before anything is inflated. */
export const XLSX_LIMITS = { entries: 200, uncompressed: 16 * 1024 * 1024, columns: 60, rows: 5_000, cells: 100_000 };

const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) + u16(b, at + 2) * 0x10000);

interface ZipEntry { name: string; method: number; compressed: number; size: number; localOffset: number }

const notWorkbook = (why: string) => new ApiProblem('validation-failed', `The file is not an XLSX workbook: ${why}. Nothing was read or stored.`);
const tooBig = (why: string) => new ApiProblem('payload-too-large', `The workbook ${why}; a methodology workbook inflates to at most ${XLSX_LIMITS.uncompressed / 1024 / 1024} MiB in ${XLSX_LIMITS.entries} parts. Nothing was read or stored.`);

/** The entries of a ZIP from its central directory (end record first, as unzip does), refusing ZIP64, encryption and odd methods. */
export function zipEntries(b: Uint8Array): ZipEntry[] {
  if (b.length < 22 || u32(b, 0) !== 0x04034b50) throw notWorkbook('it does not begin as a ZIP archive does');
  let end = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) if (u32(b, i) === 0x06054b50) { end = i; break; }
  if (end < 0) throw notWorkbook('no ZIP directory at its end (cut short?)');
  const count = u16(b, end + 10);
  const offset = u32(b, end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw tooBig('is a ZIP64 archive');
  if (count > XLSX_LIMITS.entries) throw tooBig(`has ${count} parts`);
  const entries: ZipEntry[] = [];
  for (let p = offset, i = 0; i < count; i++) {
    if (p + 46 > b.length || u32(b, p) !== 0x02014b50) throw notWorkbook('its ZIP directory is damaged');
    const nameLength = u16(b, p + 28);
    const entry = {
      name: new TextDecoder().decode(b.subarray(p + 46, p + 46 + nameLength)), method: u16(b, p + 10),
      compressed: u32(b, p + 20), size: u32(b, p + 24), localOffset: u32(b, p + 42),
    };
    if (u16(b, p + 8) & 1) throw notWorkbook(`part ${entry.name} is encrypted`);
    if (entry.method !== 0 && entry.method !== 8) throw notWorkbook(`part ${entry.name} is compressed with method ${entry.method} (only stored and deflate)`);
    if (entry.size === 0xffffffff || entry.compressed === 0xffffffff) throw tooBig('is a ZIP64 archive');
    entries.push(entry);
    p += 46 + nameLength + u16(b, p + 30) + u16(b, p + 32);
  }
  return entries;
}

/**
 * Refuses a workbook before exceljs reads it: not a ZIP, too many parts, more declared than the
 * limit, external links, no workbook part; then inflates each part, stopping the moment it
 * exceeds what the directory declared (a zip bomb that lies about its sizes is cut off there).
 */
export async function checkWorkbookZip(b: Uint8Array): Promise<void> {
  const entries = zipEntries(b);
  const total = entries.reduce((s, e) => s + e.size, 0);
  if (total > XLSX_LIMITS.uncompressed) throw tooBig(`declares ${(total / 1024 / 1024).toFixed(1)} MiB uncompressed`);
  const linked = entries.find((e) => /^xl\/externalLinks\//i.test(e.name));
  if (linked) throw new ApiProblem('validation-failed', `The workbook links to other files (${linked.name}): external links are not read; copy the values in and upload again. Nothing was stored.`);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) throw notWorkbook('it has no xl/workbook.xml');
  for (const e of entries) {
    // Rows and cells are counted as a worksheet inflates: exceljs would take 16 s to read the
    // 180,000 rows that fit in the limits above, and the node budget would refuse them only then.
    const tags = /^xl\/worksheets\/[^/]+\.xml$/i.test(e.name) ? tagCounter() : undefined;
    await inflatedWithin(b, e, tags?.add);
    const counted = tags?.done();
    if (counted && (counted.rows > XLSX_LIMITS.rows || counted.cells > XLSX_LIMITS.cells)) {
      throw new ApiProblem('budget-exceeded', `The worksheet ${e.name} has ${counted.rows.toLocaleString('en')} rows and ${counted.cells.toLocaleString('en')} cells: a methodology sheet has at most ${XLSX_LIMITS.rows.toLocaleString('en')} rows and ${XLSX_LIMITS.cells.toLocaleString('en')} cells (the node budget is ${BUDGETS.methodologyNodes.toLocaleString('en')}). Nothing was read or stored.`);
    }
  }
}

/** Counts <row> and <c> tags of a worksheet's XML as it streams (a tag may straddle two chunks). */
function tagCounter() {
  const decoder = new TextDecoder();
  let carry = '', rows = 0, cells = 0;
  const scan = (text: string, upTo: number) => {
    for (const m of text.matchAll(/<(row|c)[\s>/]/g)) if (m.index < upTo) m[1] === 'row' ? rows++ : cells++;
  };
  return {
    add: (chunk: Uint8Array) => {
      const text = carry + decoder.decode(chunk, { stream: true });
      // a tag is at most 5 characters: one that starts in the last 5 is counted with the next chunk
      scan(text, text.length - 5);
      carry = text.slice(Math.max(0, text.length - 5));
    },
    done: () => { scan(carry + decoder.decode(), Infinity); return { rows, cells }; },
  };
}

async function inflatedWithin(b: Uint8Array, e: ZipEntry, each?: (chunk: Uint8Array) => void): Promise<void> {
  const local = e.localOffset;
  if (local + 30 > b.length || u32(b, local) !== 0x04034b50) throw notWorkbook(`part ${e.name} is not where its directory says`);
  const start = local + 30 + u16(b, local + 26) + u16(b, local + 28);
  if (start + e.compressed > b.length) throw notWorkbook(`part ${e.name} is cut short`);
  if (e.method === 0) {
    if (e.compressed !== e.size) throw notWorkbook(`part ${e.name} has inconsistent sizes`);
    each?.(b.subarray(start, start + e.size));
    return;
  }
  const stream = new Blob([b.slice(start, start + e.compressed)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.byteLength;
      if (read > e.size) {
        await reader.cancel();
        throw tooBig(`part ${e.name} inflates past the ${e.size} bytes its directory declares`);
      }
      each?.(value);
    }
  } catch (error) {
    if (error instanceof ApiProblem) throw error;
    throw notWorkbook(`part ${e.name} does not inflate (${(error as Error).message})`);
  }
}

export interface ReadWorkbook { sheets: MethodologySheets; /** cells whose value is a formula's stored result, as sheet!A1 */ formulas: string[] }

/** The two tables of a workbook, after the ZIP checks; a missing sheet, merged cells or a formula without a stored value are named. */
export async function xlsxToSheets(bytes: Uint8Array): Promise<ReadWorkbook> {
  await checkWorkbookZip(bytes);
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
