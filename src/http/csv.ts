// CSV in and out, as spreadsheets write it: UTF-8 with or without BOM, comma or semicolon,
// CRLF or LF. With semicolons, a decimal comma ("2,5") is read as a decimal point.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { findReservedKey } from '../engine/index.js';
import type { FieldError } from './problem.js';
import { ApiProblem } from './problem.js';

export const SCORE_COLUMNS = ['unit', 'indicator', 'source', 'value'] as const;
/** The JSON names of ScoreIn: `reason` lets an appraiser's CSV say why it adjusts a self-assessment. */
const OPTIONAL_COLUMNS = ['note', 'evidence', 'reason'];

export interface CsvScoreRow { unit: string; indicator: string; source?: string; value: unknown; note?: string; evidence?: string; reason?: string }

/**
 * Parses a score upload; a malformed file or header is a 400, a bad cell a per-row error. The
 * parser stops one row past maxRows: the caller refuses a file that long without reading it all.
 */
export function parseScoresCsv(text: string, maxRows = Infinity): { rows: CsvScoreRow[]; errors: FieldError[] } {
  let records: string[][];
  // The header decides the delimiter: with semicolons, commas in cells are decimal commas.
  const semicolon = text.slice(0, text.search(/\r?\n|$/)).includes(';');
  try {
    records = parse(text, { bom: true, delimiter: semicolon ? ';' : ',', skip_empty_lines: true, trim: true, ...(Number.isFinite(maxRows) && { to: maxRows + 2 }) });
  } catch (e) {
    throw new ApiProblem('malformed-body', `The CSV could not be parsed: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new ApiProblem('malformed-body', 'The CSV is empty: expected a header unit,indicator,source,value and at least one row.');
  const header = records[0].map((h) => h.toLowerCase());
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (repeated.length) throw new ApiProblem('malformed-body', `The CSV header names ${[...new Set(repeated)].join(', ')} more than once.`);
  const missing = SCORE_COLUMNS.filter((c) => c !== 'source' && !header.includes(c));
  const unknown = header.filter((h) => !(SCORE_COLUMNS as readonly string[]).includes(h) && !OPTIONAL_COLUMNS.includes(h));
  if (missing.length || unknown.length) {
    throw new ApiProblem('malformed-body', `The CSV header must be ${SCORE_COLUMNS.join(',')} (optionally note,evidence,reason)${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}.`);
  }
  if (records.length === 1) throw new ApiProblem('malformed-body', 'The CSV has a header but no rows.');
  const errors: FieldError[] = [];
  const rows = records.slice(1).map((record, i) => {
    // Stryker disable next-line ConditionalExpression: record[-1] is undefined, as the cell of a column not given
    const cell = (name: string) => { const k = header.indexOf(name); return k < 0 || record[k] === '' ? undefined : record[k]; };
    const value = parseValue(cell('value'), semicolon);
    if ('error' in value) errors.push({ row: i + 1, field: 'value', unit: cell('unit'), indicator: cell('indicator'), message: value.error });
    return {
      unit: cell('unit') ?? '', indicator: cell('indicator') ?? '', source: cell('source'),
      // Stryker disable next-line StringLiteral: a refused value has no `value` either: undefined both ways
      value: 'error' in value ? undefined : value.value, note: cell('note'), evidence: cell('evidence'), reason: cell('reason'),
    };
  });
  return { rows, errors };
}

function parseValue(raw: string | undefined, decimalComma: boolean): { value: unknown } | { error: string } {
  if (raw === undefined) return { error: 'value is empty (write null for "no data")' };
  if (raw.toLowerCase() === 'null') return { value: null };
  if (raw.startsWith('{')) {
    let value: unknown;
    try { value = JSON.parse(raw); } catch { return { error: `value ${raw} is not valid JSON` }; }
    // Validation would drop the key without a word: {"__proto__": 5} would count as no answer.
    return findReservedKey(value) ? { error: 'value has the key __proto__ (a reserved name)' } : { value };
  }
  const text = decimalComma ? raw.replace(',', '.') : raw;
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  return Number.isFinite(n) ? { value: n } : { error: `value ${raw} is not a finite number` };
}

/**
 * A table as CSV text with a BOM (so spreadsheets read UTF-8 Vietnamese correctly) and CRLF.
 * A field with a line break inside is quoted whatever the break (csv-stringify quotes only the
 * record delimiter, so a bare LF would split the row in a standard reader), and so is a cell
 * neutralised against formulas (OWASP: prefix and quote).
 */
export function toCsv(header: string[], rows: unknown[][]): string {
  return '\ufeff' + stringify([header, ...rows], { record_delimiter: '\r\n', quoted_match: [/[\r\n]/, /^'/] });
}

/**
 * OWASP's CSV injection guidance: a spreadsheet reads a cell beginning with = + - @, a tab or a
 * carriage return as a formula (=HYPERLINK(…), =cmd|' /C calc'!A0, @SUM(…)). Such a text cell is
 * written with a leading apostrophe, which spreadsheets read as "text" (and toCsv quotes it).
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralised(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Display rounding for CSV and pages (JSON keeps full precision): half away from zero on the
 * number's decimal value, the shortest decimal that reads back as the same double (what JSON
 * shows). toFixed rounds the binary value instead: 1.005 is stored as 1.00499999999999989…, so
 * (1.005).toFixed(2) is "1.00" where a reader of the JSON expects 1.01. Never "-0.00".
 */
export function rounded(x: number | null | undefined, decimals: number): string {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: null and undefined are not finite either: the next line returns '' for them too
  if (x === null || x === undefined) return '';
  if (!Number.isFinite(x)) return '';
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) throw new RangeError(`decimals ${decimals} is not an integer in 0..20`);
  const { digits, point } = decimalDigits(Math.abs(x));
  const keep = point + decimals; // digits kept: the integer part and `decimals` fraction digits
  // none when keep ≤ 0: the empty string, which BigInt reads as 0
  const kept = BigInt(digits.slice(0, Math.max(keep, 0)).padEnd(keep, '0'));
  const scaled = (digits.charCodeAt(Math.max(keep, 0)) >= 53 /* '5' */ && keep >= 0 ? kept + 1n : kept).toString().padStart(decimals + 1, '0');
  const text = decimals === 0 ? scaled : `${scaled.slice(0, -decimals)}.${scaled.slice(-decimals)}`;
  // Stryker disable next-line EqualityOperator: at 0 (and -0) scaled has no digit 1-9, so x <= 0 signs nothing more
  return x < 0 && /[1-9]/.test(scaled) ? `-${text}` : text;
}

/** The shortest decimal of x ≥ 0 as digits with the decimal point after `point` of them (point may be ≤ 0). */
function decimalDigits(x: number): { digits: string; point: number } {
  // Stryker disable next-line StringLiteral: Number('') is 0 too
  const [mantissa, exponent = '0'] = x.toString().split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  return { digits: whole + fraction, point: whole.length + Number(exponent) };
}

// ——— Tables out: one column per JSON path, described by a CSV on the Web (CSVW) metadata document.

/** CSVW built-in datatypes the tables use: decimal is rounded for display, double is full precision. */
export type CsvDatatype = 'string' | 'integer' | 'decimal' | 'double' | 'boolean' | 'datetime' | 'json';

/** A column: its name is the JSON path joined with dots (unit.name.vi, domains.1.points). */
export interface CsvColumn { path: string[]; datatype: CsvDatatype; description: string; titles?: { vi: string; en: string } }

/**
 * What a CSV says about where its numbers come from: the provenance block of the JSON answers
 * (cycle-context.ts provenance()), of which this is the part the CSV needs; the metadata
 * document carries all of it, field for field.
 */
export interface CsvProvenance {
  cycle: { year: number; unitType: string; status: string; synthetic: boolean; methodology: { id: string; version: number; provisionalNodes: number; rounding: number } };
  revision: { kind: 'draft' } | { kind: 'publication'; revision: number; contentHash: string };
  notice?: string | null;
}

export const columnName = (c: CsvColumn) => c.path.join('.');

/** Objects as a CSV table: each column's path looked up in each row; decimals rounded to `decimals`. */
export function csvTable(columns: readonly CsvColumn[], rows: readonly object[], decimals: number): string {
  return toCsv(columns.map(columnName), rows.map((row) => columns.map((c) => cell(lookup(row, c.path), c.datatype, decimals))));
}

function lookup(row: object, path: string[]): unknown {
  let v: unknown = row;
  for (const key of path) v = v === null || typeof v !== 'object' ? undefined : (v as Record<string, unknown>)[key];
  return v;
}

/**
 * A cell as text; null is the empty cell (the CSVW default for null). Only text columns are
 * neutralised against formulas: a number (-0.5 in a decimal, double, integer or json column)
 * stays a number a spreadsheet computes with.
 */
function cell(v: unknown, datatype: CsvDatatype, decimals: number): string {
  if (v === null || v === undefined) return '';
  if (datatype === 'decimal') return rounded(v as number, decimals);
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return datatype === 'string' ? neutralised(text) : text;
}

/**
 * The CSVW metadata document (W3C, JSON-LD) of a table served at csvUrl. Properties beyond
 * CSVW's own must be prefixed names (dc:, schema:): the provenance is a list of
 * schema:PropertyValue named by its JSON path (cycle.year, revision.contentHash …).
 */
export function csvwMetadata(o: { title: string; csvUrl: string; columns: readonly CsvColumn[]; primaryKey: string[]; provenance: CsvProvenance }) {
  const { cycle, revision } = o.provenance;
  return {
    '@context': ['http://www.w3.org/ns/csvw', { '@language': 'en' }],
    url: o.csvUrl,
    'dc:title': `PAR INDEX ${cycle.year} ${cycle.unitType}: ${o.title}, ${revisionLabel(revision)}`,
    'dc:description': ['Column names are the names of the JSON answer joined with dots (unit.name.vi is unit.name.vi of a JSON row). Empty cells are null.',
      'A text cell that begins with = + - @, a tab or a carriage return is written with a leading apostrophe (\'), so that spreadsheets do not run it as a formula; the JSON answer has the text as stored.',
      ...(o.provenance.notice ? [o.provenance.notice] : [])].join(' '),
    'schema:additionalProperty': flatten(o.provenance).map(([name, value]) => ({ '@type': 'schema:PropertyValue', 'schema:name': name, 'schema:value': value })),
    dialect: { encoding: 'utf-8', header: true, delimiter: ',', doubleQuote: true, lineTerminators: ['\r\n'] },
    tableSchema: {
      columns: o.columns.map((c) => {
        const name = columnName(c);
        return {
          name: csvwName(name),
          titles: c.titles ? { und: [name], vi: [c.titles.vi], en: [c.titles.en] } : name,
          datatype: c.datatype, 'dc:description': c.description,
          ...(o.primaryKey.includes(name) && { required: true }),
        };
      }),
      primaryKey: o.primaryKey.map(csvwName),
    },
  };
}

/** A CSVW column name is a URI-template variable: letters, digits, _ and single dots; the rest percent-encoded. */
function csvwName(name: string): string {
  // The characters encodeURIComponent leaves as they are (~ ! ' ( ) * -) are all 0x21 to 0x7E: two hex digits, no padding.
  return name.replace(/[^A-Za-z0-9_.]/gu, (ch) => encodeURIComponent(ch) === ch
    ? `%${ch.charCodeAt(0).toString(16).toUpperCase()}` : encodeURIComponent(ch));
}

/** Leaves of an object by dotted path; null and undefined leave nothing (JSON-LD drops a null value). */
function flatten(value: object, prefix = ''): [string, string | number | boolean][] {
  return Object.entries(value).flatMap(([k, v]): [string, string | number | boolean][] => v === undefined || v === null ? []
    : typeof v === 'object' ? flatten(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v]]);
}

const revisionLabel = (r: CsvProvenance['revision']) => (r.kind === 'draft' ? 'draft' : `revision ${r.revision}`);

/**
 * The Content-Disposition of a download: par-index-<year>-<unitType>-r<revision>|draft[-scores].csv,
 * ASCII letters, digits, dot and dash only, so that the quoted filename is safe (RFC 6266).
 */
export function contentDisposition(p: { cycle: { year: number; unitType: string }; revision: CsvProvenance['revision'] }, resource: 'results' | 'scores'): string {
  const revision = p.revision.kind === 'draft' ? 'draft' : `r${p.revision.revision}`;
  const base = ['par-index', p.cycle.year, p.cycle.unitType, revision, ...(resource === 'scores' ? ['scores'] : [])].join('-');
  return `attachment; filename="${base.replace(/[^A-Za-z0-9.-]+/g, '_')}.csv"`;
}
