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
/** One attribute of a tag's attribute text, by its unprefixed name: the cells' r, s and t without building a record per cell. */
function attribute(text: string, name: string): string | undefined {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = text.charCodeAt(at - 1);
    // a whole name: at the start, after white space, or after a prefix's colon
    if (at > 0 && before !== 0x20 && before !== 0x09 && before !== 0x0a && before !== 0x0d && before !== 0x3a) continue;
    let i = at + name.length;
    while (text[i] === ' ') i++;
    if (text[i] !== '=') continue;
    i++;
    while (text[i] === ' ') i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") continue;
    const end = text.indexOf(quote, i + 1);
    if (end === -1) return undefined;
    const value = text.slice(i + 1, end);
    return value.includes('&') ? unescapeXml(value) : value;
  }
  return undefined;
}
/** The text of the <t> elements of a string item (a plain string or rich-text runs; phonetic runs left out). */
const runText = (xml: string) => [...xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescapeXml(m[1])).join('');

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
  const shared = [...(parts.get('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)].map((m) => runText(m[1] ?? ''));
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

function worksheetCells(xml: string, shared: string[], dates: boolean[]) {
  const rows = new Map<number, Map<number, RawCell>>();
  const hiddenRows: number[] = [];
  let rowNumber = 0;
  for (const row of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const r = attribute(row[1], 'r'), hidden = attribute(row[1], 'hidden');
    rowNumber = r ? Number(r) : rowNumber + 1;
    if (hidden === '1' || hidden === 'true') hiddenRows.push(rowNumber);
    const cells = new Map<number, RawCell>();
    let column = 0;
    for (const c of (row[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const r = attribute(c[1], 'r');
      column = r ? columnNumber(r.replace(/\d+$/, '')) : column + 1;
      const cell = cellOf({ t: attribute(c[1], 't'), s: attribute(c[1], 's') }, c[2] ?? '', shared, dates);
      if (cell) cells.set(column, cell);
    }
    if (cells.size) rows.set(rowNumber, cells);
  }
  const merges = [...xml.matchAll(/<mergeCell\s([^>]*?)\/?>/g)].map((m) => attributes(m[1]).ref);
  return { rows, hiddenRows, merges };
}

function cellOf(a: { t?: string; s?: string }, inner: string, shared: string[], dates: boolean[]): RawCell | undefined {
  const formula = inner.includes('<f') ? inner.match(/<f\b[^>]*?(?:\/>|>([\s\S]*?)<\/f>)/) : null;
  const v = inner.includes('<v>') ? inner.match(/<v>([\s\S]*?)<\/v>/)?.[1] : undefined;
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
