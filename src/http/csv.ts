// CSV in and out, as spreadsheets write it: UTF-8 with or without BOM, comma or semicolon,
// CRLF or LF. With semicolons, a decimal comma ("2,5") is read as a decimal point.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FieldError } from './problem.js';
import { ApiProblem } from './problem.js';

export const SCORE_COLUMNS = ['unit', 'indicator', 'source', 'value'] as const;
const OPTIONAL_COLUMNS = ['note', 'evidence'];

export interface CsvScoreRow { unit: string; indicator: string; source?: string; value: unknown; note?: string; evidence?: string }

/** Parses a score upload; a malformed file or header is a 400, a bad cell a per-row error. */
export function parseScoresCsv(text: string): { rows: CsvScoreRow[]; errors: FieldError[] } {
  let records: string[][];
  // The header decides the delimiter: with semicolons, commas in cells are decimal commas.
  const semicolon = text.slice(0, text.search(/\r?\n|$/)).includes(';');
  try {
    records = parse(text, { bom: true, delimiter: semicolon ? ';' : ',', skip_empty_lines: true, trim: true });
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
    throw new ApiProblem('malformed-body', `The CSV header must be ${SCORE_COLUMNS.join(',')} (optionally note,evidence)${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}.`);
  }
  if (records.length === 1) throw new ApiProblem('malformed-body', 'The CSV has a header but no rows.');
  const errors: FieldError[] = [];
  const rows = records.slice(1).map((record, i) => {
    const cell = (name: string) => { const k = header.indexOf(name); return k < 0 || record[k] === '' ? undefined : record[k]; };
    const value = parseValue(cell('value'), semicolon);
    if ('error' in value) errors.push({ row: i + 1, field: 'value', unit: cell('unit'), indicator: cell('indicator'), message: value.error });
    return {
      unit: cell('unit') ?? '', indicator: cell('indicator') ?? '', source: cell('source'),
      value: 'error' in value ? undefined : value.value, note: cell('note'), evidence: cell('evidence'),
    };
  });
  return { rows, errors };
}

function parseValue(raw: string | undefined, decimalComma: boolean): { value: unknown } | { error: string } {
  if (raw === undefined) return { error: 'value is empty (write null for "no data")' };
  if (raw.toLowerCase() === 'null') return { value: null };
  if (raw.startsWith('{')) {
    try { return { value: JSON.parse(raw) }; } catch { return { error: `value ${raw} is not valid JSON` }; }
  }
  const text = decimalComma ? raw.replace(',', '.') : raw;
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  return Number.isFinite(n) ? { value: n } : { error: `value ${raw} is not a finite number` };
}

/** A table as CSV text with a BOM (so spreadsheets read UTF-8 Vietnamese correctly) and CRLF. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return '\ufeff' + stringify([header, ...rows], { record_delimiter: '\r\n' });
}

/** Display rounding for CSV and pages; JSON keeps full precision. */
export function rounded(x: number | null | undefined, decimals: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '' : x.toFixed(decimals);
}

export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  return format === 'csv' || (format === undefined && /\btext\/csv\b/.test(accept ?? '') && !/application\/json/.test(accept ?? ''));
}
