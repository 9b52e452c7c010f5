// An uploaded workbook is untrusted: its ZIP central directory is read here, before any XLSX
// reader sees it, and a file that is not a ZIP, declares too much, or inflates past what it
// declares is refused without being inflated further. Shared by methodology and score uploads.
import { ApiProblem } from './problem.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What one kind of workbook may hold: checked on the ZIP directory, and rows and cells as each worksheet inflates. */
export interface WorkbookLimits {
  /** how the refusals name the workbook: "a methodology workbook" */
  kind: string;
  entries: number; uncompressed: number; rows: number; cells: number;
  /** the refusal of a worksheet with too many rows or cells */
  tooLong: (part: string, counted: { rows: number; cells: number }) => ApiProblem;
}

const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) + u16(b, at + 2) * 0x10000);

interface ZipEntry { name: string; method: number; compressed: number; size: number; localOffset: number }

export const notWorkbook = (why: string) => new ApiProblem('validation-failed', `The file is not an XLSX workbook: ${why}. Nothing was read or stored.`);
const tooBig = (limits: WorkbookLimits, why: string) => new ApiProblem('payload-too-large', `The workbook ${why}; ${limits.kind} inflates to at most ${limits.uncompressed / 1024 / 1024} MiB in ${limits.entries} parts. Nothing was read or stored.`);

/** The entries of a ZIP from its central directory (end record first, as unzip does), refusing ZIP64, encryption and odd methods. */
export function zipEntries(b: Uint8Array, limits: WorkbookLimits): ZipEntry[] {
  if (b.length < 22 || u32(b, 0) !== 0x04034b50) throw notWorkbook(looksEncrypted(b) ? 'it is encrypted (password-protected): save it without a password' : 'it does not begin as a ZIP archive does');
  let end = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) if (u32(b, i) === 0x06054b50) { end = i; break; }
  if (end < 0) throw notWorkbook('no ZIP directory at its end (cut short?)');
  const count = u16(b, end + 10);
  const offset = u32(b, end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw tooBig(limits, 'is a ZIP64 archive');
  if (count > limits.entries) throw tooBig(limits, `has ${count} parts`);
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
    if (entry.size === 0xffffffff || entry.compressed === 0xffffffff) throw tooBig(limits, 'is a ZIP64 archive');
    entries.push(entry);
    p += 46 + nameLength + u16(b, p + 30) + u16(b, p + 32);
  }
  return entries;
}

/** A password-protected workbook is an OLE compound file (D0 CF 11 E0), not a ZIP. */
const looksEncrypted = (b: Uint8Array) => b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

/**
 * Refuses a workbook before it is read: not a ZIP, too many parts, more declared than the limit,
 * external links, macros, no workbook part; then inflates each part, stopping the moment it
 * exceeds what the directory declared (a zip bomb that lies about its sizes is cut off there).
 * Returns the text of the parts `keep` asks for (inflated once, here).
 */
export async function checkWorkbookZip(b: Uint8Array, limits: WorkbookLimits, keep: (name: string) => boolean = () => false): Promise<Map<string, string>> {
  const entries = zipEntries(b, limits);
  const total = entries.reduce((s, e) => s + e.size, 0);
  if (total > limits.uncompressed) throw tooBig(limits, `declares ${(total / 1024 / 1024).toFixed(1)} MiB uncompressed`);
  const linked = entries.find((e) => /^xl\/externalLinks\//i.test(e.name));
  if (linked) throw new ApiProblem('validation-failed', `The workbook links to other files (${linked.name}): external links are not read; copy the values in and upload again. Nothing was stored.`);
  const macros = entries.find((e) => /^xl\/vbaProject\.bin$/i.test(e.name));
  if (macros) throw new ApiProblem('validation-failed', `The workbook carries macros (${macros.name}): save it as an .xlsx workbook without macros. Nothing was stored.`);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) throw notWorkbook('it has no xl/workbook.xml');
  const kept = new Map<string, string>();
  for (const e of entries) {
    // Rows and cells are counted as a worksheet inflates: a reader would take seconds on the
    // rows that fit in the limits above, and refuse them only then.
    const tags = /^xl\/worksheets\/[^/]+\.xml$/i.test(e.name) ? tagCounter() : undefined;
    const text = keep(e.name) ? textCollector() : undefined;
    const over = (n: { rows: number; cells: number }) => n.rows > limits.rows || n.cells > limits.cells;
    await inflatedWithin(b, e, limits, (chunk) => {
      text?.add(chunk);
      // a million rows are refused at the first chunk past the limit, not after inflating them all
      if (tags && over(tags.add(chunk))) throw limits.tooLong(e.name, tags.done());
    });
    const counted = tags?.done();
    if (counted && over(counted)) throw limits.tooLong(e.name, counted);
    if (text) kept.set(e.name, text.done());
  }
  return kept;
}

function textCollector() {
  const decoder = new TextDecoder();
  const parts: string[] = [];
  return { add: (chunk: Uint8Array) => { parts.push(decoder.decode(chunk, { stream: true })); }, done: () => parts.join('') + decoder.decode() };
}

/**
 * Counts <row> and <c> tags of a worksheet's XML as it streams, on the bytes (ASCII tags, no
 * decoding): a tag may straddle two chunks, so the last bytes of one are scanned with the next.
 */
function tagCounter() {
  const LT = 0x3c, C = 0x63, R = 0x72, O = 0x6f, W = 0x77;
  const ends = (b: number) => b === 0x20 || b === 0x3e || b === 0x2f || b === 0x09 || b === 0x0a || b === 0x0d;
  let carry = new Uint8Array(0), rows = 0, cells = 0;
  /** Tags starting before `upTo`, whose following bytes are all within `b`. */
  const scan = (b: Uint8Array, upTo: number) => {
    for (let i = b.indexOf(LT); i !== -1 && i < upTo; i = b.indexOf(LT, i + 1)) {
      if (b[i + 1] === C && ends(b[i + 2])) cells++;
      else if (b[i + 1] === R && b[i + 2] === O && b[i + 3] === W && ends(b[i + 4])) rows++;
    }
  };
  return {
    add: (chunk: Uint8Array) => {
      const b = carry.length ? concat(carry, chunk) : chunk;
      // a tag is at most 5 bytes: one that starts in the last 4 is counted with the next chunk
      const upTo = Math.max(0, b.length - 4);
      scan(b, upTo);
      carry = b.slice(upTo);
      return { rows, cells };
    },
    done: () => { scan(carry, carry.length); carry = new Uint8Array(0); return { rows, cells }; },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function inflatedWithin(b: Uint8Array, e: ZipEntry, limits: WorkbookLimits, each: (chunk: Uint8Array) => void): Promise<void> {
  const local = e.localOffset;
  if (local + 30 > b.length || u32(b, local) !== 0x04034b50) throw notWorkbook(`part ${e.name} is not where its directory says`);
  const start = local + 30 + u16(b, local + 26) + u16(b, local + 28);
  if (start + e.compressed > b.length) throw notWorkbook(`part ${e.name} is cut short`);
  if (e.method === 0) {
    if (e.compressed !== e.size) throw notWorkbook(`part ${e.name} has inconsistent sizes`);
    each(b.subarray(start, start + e.size));
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
        throw tooBig(limits, `part ${e.name} inflates past the ${e.size} bytes its directory declares`);
      }
      each(value);
    }
  } catch (error) {
    if (error instanceof ApiProblem) throw error;
    throw notWorkbook(`part ${e.name} does not inflate (${(error as Error).message})`);
  }
}

// ——— Reading worksheets as values, from the parts checkWorkbookZip kept: a small reader of the
// SpreadsheetML a workbook holds (shared strings, number formats, cells), many times faster than
// loading the whole workbook model, and one that never evaluates anything.

/** A cell as stored: a value, and what the spreadsheet says about it. */
export interface RawCell {
  value: string | number | boolean | null;
  /** a number shown as a date or time by its format */
  date?: boolean;
  /** the formula, when the cell has one (its value is then the spreadsheet's cached result) */
  formula?: string;
  /** an error value (#DIV/0!, #REF! …) */
  error?: string;
}

export interface RawSheet {
  name: string;
  state: 'visible' | 'hidden' | 'veryHidden';
  /** by row number, then column number (both 1-based) */
  rows: Map<number, Map<number, RawCell>>;
  hiddenRows: number[];
  merges: string[];
}

/** The parts checkWorkbookZip must keep for readSheets. */
export const SHEET_PARTS = (name: string) => name === 'xl/workbook.xml' || name === 'xl/_rels/workbook.xml.rels' || name === 'xl/sharedStrings.xml'
  || name === 'xl/styles.xml' || /^xl\/worksheets\/[^/]+\.xml$/i.test(name);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'' };
const unescapeXml = (s: string) => s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => (e[0] === '#'
  ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e.toLowerCase()]));
/** Attributes of a tag's attribute text, by local name (r:id is id). */
function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    // the cheap checks first: a sheet has tens of thousands of cells, few with a prefix or an entity
    const name = m[1].includes(':') ? m[1].replace(/^\w+:/, '') : m[1];
    const value = m[2] ?? m[3];
    out[name] = value.includes('&') ? unescapeXml(value) : value;
  }
  return out;
}
/** The text of the <t> elements of a string item (a plain string or rich-text runs; phonetic runs left out). */
const runText = (xml: string) => [...xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescapeXml(m[1])).join('');

/**
 * The shared strings, in order. Most items are one plain <t> (what Excel writes for typed text): read
 * by index without a regular expression; rich text and phonetic runs go through runText.
 */
function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  for (let at = xml.indexOf('<si'); at !== -1; at = xml.indexOf('<si', at + 3)) {
    if (!endsName(xml, at + 3)) continue;
    const gt = xml.indexOf('>', at);
    if (gt === -1) break;
    if (xml.charCodeAt(gt - 1) === 0x2f) { out.push(''); continue; }
    const end = xml.indexOf('</si>', gt);
    if (end === -1) break;
    out.push(plainText(xml, gt + 1, end) ?? runText(xml.slice(gt + 1, end)));
    at = end;
  }
  return out;
}

/** The text of an item that is exactly one <t>…</t> (with or without attributes); undefined otherwise. */
function plainText(xml: string, from: number, to: number): string | undefined {
  if (!xml.startsWith('<t', from) || !endsName(xml, from + 2)) return undefined;
  const gt = xml.indexOf('>', from);
  if (gt === -1 || gt >= to || xml.charCodeAt(gt - 1) === 0x2f) return undefined;
  if (!xml.startsWith('</t>', to - 4)) return undefined;
  const text = xml.slice(gt + 1, to - 4);
  if (text.includes('<')) return undefined;
  return text.includes('&') ? unescapeXml(text) : text;
}

/** Number formats built into Excel that show a date or time. */
const DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
const isDateCode = (code: string) => /[dmyhs]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, ''));

/** For each cell style (the s attribute), whether its number format shows a date. */
function dateStyles(styles: string | undefined): boolean[] {
  if (!styles) return [];
  const custom = new Map<number, string>();
  for (const m of styles.matchAll(/<numFmt\s([^>]*?)\/?>/g)) { const a = attributes(m[1]); custom.set(Number(a.numFmtId), a.formatCode ?? ''); }
  const xfs = styles.match(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/)?.[1] ?? '';
  return [...xfs.matchAll(/<xf\s([^>]*?)\/?>/g)].map((m) => {
    const id = Number(attributes(m[1]).numFmtId ?? 0);
    return DATE_FORMATS.has(id) || (custom.has(id) && isDateCode(custom.get(id)!));
  });
}

/** A1-style column letters as a number (A = 1). */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

/** The sheets of a checked workbook, in workbook order, their cells read as stored. */
export function readSheets(parts: Map<string, string>): RawSheet[] {
  const shared = sharedStrings(parts.get('xl/sharedStrings.xml') ?? '');
  const dates = dateStyles(parts.get('xl/styles.xml'));
  const targets = new Map<string, string>();
  for (const m of (parts.get('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<Relationship\s([^>]*?)\/?>/g)) {
    const a = attributes(m[1]);
    targets.set(a.Id, a.Target.startsWith('/') ? a.Target.slice(1) : `xl/${a.Target}`);
  }
  return [...parts.get('xl/workbook.xml')!.matchAll(/<sheet\s([^>]*?)\/?>/g)].map((m) => {
    const a = attributes(m[1]);
    const xml = parts.get(targets.get(a.id) ?? '') ?? '';
    return { name: a.name ?? '', state: (a.state as RawSheet['state']) ?? 'visible', ...worksheetCells(xml, shared, dates) };
  });
}

// The worksheet is scanned by index, the way the ZIP checks count its tags: no regular expression
// over rows, no copy of a row, a tag or its attributes; a cell allocates its value and one record.

const isSpace = (ch: number) => ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d;
/** Whether the character at `at` ends a tag's name (white space, >, /). */
const endsName = (xml: string, at: number) => { const ch = xml.charCodeAt(at); return isSpace(ch) || ch === 0x3e || ch === 0x2f; };

/** Where the value of attribute `name` starts in xml[from, to) (just past its quote), or -1. */
function attributeStart(xml: string, from: number, to: number, name: string): number {
  const first = name.charCodeAt(0);
  // a bounded scan of the tag (indexOf would run on to the end of the sheet for an absent name)
  for (let at = from; at < to; at++) {
    if (xml.charCodeAt(at) !== first || !xml.startsWith(name, at)) continue;
    const before = xml.charCodeAt(at - 1);
    // a whole name: after white space, or after a prefix's colon
    if (!isSpace(before) && before !== 0x3a) continue;
    let i = at + name.length;
    while (xml.charCodeAt(i) === 0x20) i++;
    if (xml.charCodeAt(i) !== 0x3d) continue;
    i++;
    while (xml.charCodeAt(i) === 0x20) i++;
    const quote = xml.charCodeAt(i);
    if (quote === 0x22 || quote === 0x27) return i + 1;
  }
  return -1;
}
/** The value of attribute `name` in xml[from, to). */
function attributeIn(xml: string, from: number, to: number, name: string): string | undefined {
  const start = attributeStart(xml, from, to, name);
  if (start === -1) return undefined;
  const end = xml.indexOf(xml[start - 1], start);
  if (end === -1) return undefined;
  const value = xml.slice(start, end);
  return value.includes('&') ? unescapeXml(value) : value;
}
/** A whole number of digits from `at` (a style, a shared string's index), or -1 when there is none. */
function digitsAt(xml: string, at: number): number {
  let n = -1;
  for (let ch = xml.charCodeAt(at); ch >= 0x30 && ch <= 0x39; ch = xml.charCodeAt(++at)) n = (n === -1 ? 0 : n * 10) + ch - 0x30;
  return n;
}
/** The column number of a cell reference's letters (A1 → 1), from `at`; 0 when it has none. */
function columnAt(xml: string, at: number): number {
  let n = 0;
  for (let ch = xml.charCodeAt(at) | 0x20; ch >= 0x61 && ch <= 0x7a; ch = xml.charCodeAt(++at) | 0x20) n = n * 26 + ch - 0x60;
  return n;
}

function worksheetCells(xml: string, shared: string[], dates: boolean[]) {
  const rows = new Map<number, Map<number, RawCell>>();
  const hiddenRows: number[] = [];
  let rowNumber = 0;
  for (let at = xml.indexOf('<row'); at !== -1; at = xml.indexOf('<row', at + 4)) {
    if (!endsName(xml, at + 4)) continue;
    const gt = xml.indexOf('>', at);
    if (gt === -1) break;
    const closed = xml.charCodeAt(gt - 1) === 0x2f;
    const r = attributeIn(xml, at + 4, gt, 'r'), hidden = attributeIn(xml, at + 4, gt, 'hidden');
    rowNumber = r ? Number(r) : rowNumber + 1;
    if (hidden === '1' || hidden === 'true') hiddenRows.push(rowNumber);
    if (closed) continue;
    const end = xml.indexOf('</row>', gt);
    if (end === -1) break;
    const cells = rowCells(xml, gt + 1, end, shared, dates);
    if (cells.size) rows.set(rowNumber, cells);
    at = end;
  }
  const merges = [...xml.matchAll(/<mergeCell\s([^>]*?)\/?>/g)].map((m) => attributes(m[1]).ref);
  return { rows, hiddenRows, merges };
}

/** The cells of the row body xml[from, to), by column number. */
function rowCells(xml: string, from: number, to: number, shared: string[], dates: boolean[]): Map<number, RawCell> {
  const cells = new Map<number, RawCell>();
  let column = 0;
  for (let at = xml.indexOf('<c', from); at !== -1 && at < to; at = xml.indexOf('<c', at + 2)) {
    if (!endsName(xml, at + 2)) continue;
    const gt = xml.indexOf('>', at);
    if (gt === -1 || gt > to) break;
    const closed = xml.charCodeAt(gt - 1) === 0x2f;
    const ref = attributeStart(xml, at + 2, gt, 'r');
    column = ref === -1 ? column + 1 : columnAt(xml, ref) || column + 1;
    const end = closed ? gt : xml.indexOf('</c>', gt);
    if (end === -1 || end > to) break;
    const style = attributeStart(xml, at + 2, gt, 's');
    const cell = cellAt(xml, gt + 1, closed ? gt + 1 : end, attributeIn(xml, at + 2, gt, 't'), style === -1 ? 0 : digitsAt(xml, style), shared, dates);
    if (cell) cells.set(column, cell);
    // the next search starts at at + 2: just past this cell (a self-closed one ends at gt)
    at = (closed ? gt + 1 : end + 4) - 2;
  }
  return cells;
}

/** Whether xml[from, to) holds a tag beginning with the letter `letter` (<f, a formula): a bounded scan, as indexOf would not stop at `to`. */
function hasTag(xml: string, from: number, to: number, letter: number): boolean {
  for (let i = from; i < to - 1; i++) if (xml.charCodeAt(i) === 0x3c && xml.charCodeAt(i + 1) === letter) return true;
  return false;
}

/** A cell from its body xml[from, to), its type (t) and style (s). */
function cellAt(xml: string, from: number, to: number, t: string | undefined, s: number, shared: string[], dates: boolean[]): RawCell | undefined {
  if (hasTag(xml, from, to, 0x66) || t === 'inlineStr') return cellOf({ t, s: String(s) }, xml.slice(from, to), shared, dates);
  const open = from === to ? -1 : xml.indexOf('<v>', from);
  const close = open === -1 || open >= to ? -1 : xml.indexOf('</v>', open + 3);
  if (close === -1 || close > to) return cellOf({ t, s: String(s) }, '', shared, dates);
  if (t === 's') {
    const index = digitsAt(xml, open + 3);
    return { value: (index === -1 ? undefined : shared[index]) ?? '' };
  }
  return cellOf({ t, s: String(s) }, xml.slice(open, close + 4), shared, dates);
}

/** The text between <v> and </v>, without a regular expression (most cells have one and nothing else). */
function valueText(inner: string): string | undefined {
  const open = inner.indexOf('<v>');
  if (open === -1) return undefined;
  const close = inner.indexOf('</v>', open + 3);
  return close === -1 ? undefined : inner.slice(open + 3, close);
}

function cellOf(a: { t?: string; s?: string }, inner: string, shared: string[], dates: boolean[]): RawCell | undefined {
  const formula = inner.includes('<f') ? inner.match(/<f\b[^>]*?(?:\/>|>([\s\S]*?)<\/f>)/) : null;
  const v = valueText(inner);
  const base = formula ? { formula: unescapeXml(formula[1] ?? '') || '(shared)' } : {};
  switch (a.t) {
    case 's': return v === undefined ? undefined : { ...base, value: shared[Number(v)] ?? '' };
    case 'inlineStr': return { ...base, value: runText(inner.match(/<is>([\s\S]*?)<\/is>/)?.[1] ?? '') };
    case 'str': return { ...base, value: v === undefined ? null : unescapeXml(v) };
    case 'b': return { ...base, value: v === '1' || v === 'true' };
    case 'e': return { ...base, value: null, error: v === undefined ? '#ERROR' : unescapeXml(v) };
    case 'd': return { ...base, value: v ?? null, date: true };
    default:
      if (v === undefined) return formula ? { ...base, value: null } : undefined;
      return { ...base, value: Number(v), ...(dates[Number(a.s ?? 0)] && { date: true }) };
  }
}

/** A date cell's serial number as a date (1900 date system). */
export const serialToDate = (value: number) => new Date(Math.round((value - 25569) * 86400000));

/** A date cell's serial number as an ISO date, for messages. */
export function serialDate(value: string | number | boolean | null): string {
  if (typeof value !== 'number') return String(value);
  const d = serialToDate(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().slice(0, 10);
}

/**
 * What is wrong with a cell whatever its sheet or column: one rule for every uploaded workbook
 * (scores and methodologies). A formula is refused where it stands: what is uploaded is what a
 * person typed, and the result a spreadsheet cached with a formula may be stale (or forged).
 */
export function cellRefusal(cell: RawCell): string | undefined {
  if (cell.formula) return `a formula (=${cell.formula}): paste values instead (copy, then Paste Special → Values) or type the value; formulas are not computed here, nor their stored results trusted`;
  if (cell.error) return `the cell holds the error ${cell.error}`;
  return undefined;
}
