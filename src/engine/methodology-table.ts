// A methodology as two flat tables a secretariat can type in a spreadsheet, and back: a key/value
// block for the methodology's own fields and one row per node. Pure: cells in, a document out (and
// the reverse); reading CSV or XLSX files is the edge's business. Validation is the engine's own:
// the table parser reports what only a table can get wrong (a decimal comma, bad band syntax, an
// unknown column), then compileMethodology runs on the document and its issues are placed back on
// the row and column they come from. One set of structural rules, whatever the format.
import { BUDGETS, within, type Limits } from './budgets.js';
import { compileMethodology, type CompiledMethodology } from './compile.js';
import { EngineError, type Issue } from './errors.js';

/** A cell as a spreadsheet gives it (a Date only so that a date typed where a number belongs is named). */
export type Cell = string | number | boolean | Date | null;
export interface SheetRow { /** 1-based row number in its sheet or file */ row: number; cells: Cell[] }
export interface Sheet { name: string; rows: SheetRow[] }
/** methodology: a header row (field, value, date, title) then one row per field; nodes: a header row then one row per node. */
export interface MethodologySheets { methodology: Sheet; nodes: Sheet }
export interface SheetIssue { sheet: string; row?: number; /** A1-style letter */ column?: string; /** the column's header */ field?: string; node?: string; message: string }

/** Every problem of a table, each placed on its sheet, row and column. */
export class SheetError extends EngineError {
  constructor(readonly problems: SheetIssue[]) {
    super('invalid-methodology', problems.map((p) => ({ message: `${place(p)}: ${p.message}`, ...(p.node && { node: p.node }) })));
  }
}

export const place = (p: SheetIssue) => `${p.sheet}${p.column || p.row ? '!' : ''}${p.column ?? ''}${p.row ?? ''}`;

interface Column { key: string; vi: string }
const col = (key: string, vi: string): Column => ({ key, vi });

/** The node table's columns, in the order an export writes them. Headers are matched in either language. */
export const NODE_COLUMNS: readonly Column[] = [
  col('code', 'mã'), col('parent', 'mã cha'), col('name_vi', 'tên tiếng Việt'), col('name_en', 'tên tiếng Anh'),
  col('max', 'điểm tối đa'), col('weight', 'trọng số'), col('direction', 'chiều'), col('source', 'nguồn điểm'),
  col('rule', 'cách chấm'), col('bands', 'thang điểm'), col('range', 'khoảng giá trị'), col('target', 'mục tiêu'),
  col('worst', 'giá trị kém nhất'), col('best', 'giá trị tốt nhất'), col('cap', 'giới hạn'), col('options', 'phương án trả lời'),
  col('normalisation', 'chuẩn hoá'), col('aggregation', 'cách tổng hợp'), col('availability', 'ngưỡng đủ dữ liệu'),
  col('denominator', 'mẫu số'), col('treatment', 'xử lý ngoại lai'),
  col('provenance', 'nguồn gốc'), col('document', 'văn bản'), col('note', 'ghi chú'),
];

const RULE_PARAMS = ['bands', 'range', 'target', 'worst', 'best', 'cap', 'options'] as const;
const PARAMS_OF: Record<string, readonly string[]> = {
  points: [], binary: [], bands: ['bands', 'range'], proportional: ['target', 'cap'], linear: ['worst', 'best', 'cap'], survey: ['options'],
};

/** The methodology block's fields, in the order an export writes them. */
export const METHODOLOGY_FIELDS: readonly Column[] = [
  col('id', 'mã phương pháp'), col('version', 'phiên bản'), col('name_vi', 'tên tiếng Việt'), col('name_en', 'tên tiếng Anh'),
  col('unit_type', 'loại đơn vị'), col('years', 'các năm'), col('legal_basis', 'căn cứ pháp lý'), col('mode', 'cách tính'),
  col('missing', 'thiếu dữ liệu'), col('impute_by', 'thay thế theo'), col('total', 'tổng điểm'), col('groups', 'xếp nhóm'),
  col('rounding', 'số chữ số thập phân'), col('normalisation', 'chuẩn hoá'), col('aggregation', 'cách tổng hợp'),
  col('availability', 'ngưỡng đủ dữ liệu'), col('screening', 'ngưỡng sàng lọc đơn vị'),
  col('imputation', 'cách điền giá trị thiếu'), col('treatment', 'xử lý ngoại lai'), col('default_rule', 'cách chấm mặc định'),
  ...RULE_PARAMS.map((p) => col(`default_${p}`, `${NODE_COLUMNS.find((c) => c.key === p)!.vi} mặc định`)),
  col('notes', 'ghi chú'),
];
export const METHODOLOGY_HEADER: readonly Column[] = [col('field', 'trường'), col('value', 'giá trị'), col('date', 'ngày'), col('title', 'tiêu đề')];

const PROVENANCE: Record<string, 'official' | 'provisional'> = {
  official: 'official', 'chính thức': 'official', provisional: 'provisional', 'tạm tính': 'provisional',
};
const BOOLEAN: Record<string, boolean> = { true: true, false: false, 'có': true, 'không': false, yes: true, no: false };
const RULE_TYPES = Object.keys(PARAMS_OF);
const NODE_KEYS = new Set(['code', 'parent', 'name', 'max', 'weight', 'direction', 'source', 'rule', 'normalisation', 'aggregation', 'availabilityThreshold', 'denominator', 'treatment', 'provenance']);
const METHODOLOGY_KEYS = new Set(['id', 'version', 'name', 'unitType', 'years', 'legalBasis', 'mode', 'missing', 'imputeBy', 'total', 'groups', 'rounding', 'normalisation', 'aggregation', 'availabilityThreshold', 'screening', 'imputation', 'treatment', 'defaultRule', 'notes', 'nodes']);

const norm = (s: string) => s.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
const findColumn = (columns: readonly Column[], header: string) => columns.find((c) => norm(c.key) === norm(header) || norm(c.vi) === norm(header));

/** The A1-style letter of a 0-based column index. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

// ——— Reading cells

type Problem = { error: string };
const isProblem = (v: unknown): v is Problem => typeof v === 'object' && v !== null && 'error' in v && !(v instanceof Date);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A number typed as text: a point for decimals; a decimal comma or a word is named. */
export function numberFrom(text: string): number | Problem {
  const t = text.trim().replace(/^\u2212/, '-');
  if (NUMBER.test(t)) {
    const n = Number(t);
    return Number.isFinite(n) ? n : { error: `${text} is beyond what a number can hold` };
  }
  if (/^[+-]?\d[\d.]*,\d+$/.test(t)) return { error: `${text} has a decimal comma: write it with a point (${t.replace(/\./g, '').replace(',', '.')})` };
  return { error: `${text} is not a number` };
}

function cellNumber(cell: Cell): number | Problem | undefined {
  if (cell === null || cell === '') return undefined;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : { error: `${cell} is not a finite number` };
  if (cell instanceof Date) return { error: `a date (${isoDate(cell)}) where a number belongs` };
  if (typeof cell === 'boolean') return { error: `${cell} where a number belongs` };
  return cell.trim() === '' ? undefined : numberFrom(cell);
}

function cellText(cell: Cell, trim = true): string | undefined {
  if (cell === null) return undefined;
  const text = cell instanceof Date ? isoDate(cell) : String(cell);
  const t = trim ? text.trim() : text;
  return t.trim() === '' ? undefined : t;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Reads the cells of one row by column key, collecting problems placed on their column. */
class RowReader {
  constructor(private sheet: string, private r: SheetRow, private columnOf: Map<string, number>, private issues: SheetIssue[], private headers: string[], public node?: string) {}
  cell(key: string): Cell {
    const k = this.columnOf.get(key);
    return k === undefined ? null : this.r.cells[k] ?? null;
  }
  /** how many problems have been collected so far */
  problems(): number { return this.issues.length; }
  filled(key: string): boolean { return cellText(this.cell(key)) !== undefined; }
  problem(key: string, message: string): undefined {
    const k = this.columnOf.get(key);
    this.issues.push({ sheet: this.sheet, row: this.r.row, ...(k !== undefined && { column: columnLetter(k), field: this.headers[k] }), ...(this.node && { node: this.node }), message });
    return undefined;
  }
  text(key: string, trim = true): string | undefined { return cellText(this.cell(key), trim); }
  number(key: string): number | undefined {
    const v = cellNumber(this.cell(key));
    return isProblem(v) ? this.problem(key, v.error) : v;
  }
  bool(key: string): boolean | undefined {
    const c = this.cell(key);
    if (typeof c === 'boolean') return c;
    const t = cellText(c);
    if (t === undefined) return undefined;
    const b = BOOLEAN[norm(t)];
    return b === undefined ? this.problem(key, `${t} is not true or false (có / không)`) : b;
  }
  /** A value parsed from text by a syntax (bands, options …), its problem named on the column. */
  parsed<T>(key: string, parse: (text: string) => T | Problem): T | undefined {
    const t = this.text(key);
    if (t === undefined) return undefined;
    const v = parse(t);
    return isProblem(v) ? this.problem(key, v.error) : v;
  }
}

// ——— Syntaxes of the plain columns

const parts = (text: string) => text.split(';').map((p) => p.trim()).filter(Boolean);

/** `≥100:1; ≥80:0.5; else:0`, points; `≥80:50%` a share of the max; `else` is the lowest value of the range. */
export function parseBands(text: string, lowest = 0): { min: number; points?: number; share?: number }[] | Problem {
  const list = parts(text);
  const bands = [];
  for (let i = 0; i < list.length; i++) {
    const m = /^(?:(≥|>=)\s*([^:]+?)|(else|còn lại))\s*:\s*(.+?)\s*(%?)$/i.exec(list[i]);
    if (!m) return { error: `band "${list[i]}" is not ≥value:points (or ≥value:share%, or else:points)${/^>[^=]/.test(list[i]) ? '; bands include their lower bound: write ≥ or >=' : ''}` };
    if (m[3] && i !== list.length - 1) return { error: `band "${list[i]}": else is the last band` };
    const min = m[3] ? lowest : numberFrom(m[2]);
    const earned = numberFrom(m[4]);
    if (isProblem(min)) return { error: `band "${list[i]}": ${min.error}` };
    if (isProblem(earned)) return { error: `band "${list[i]}": ${earned.error}` };
    bands.push(m[5] ? { min, share: earned / 100 } : { min, points: earned });
  }
  return bands.length ? bands : { error: 'no band: write ≥100:1; ≥80:0.5; else:0' };
}

/** `code=value; …` (survey options) or `code≥value; …` (groups). */
function parsePairs(text: string, sign: RegExp, example: string): { code: string; n: number }[] | Problem {
  const out = [];
  for (const part of parts(text)) {
    const [code, value, extra] = part.split(sign).map((s) => s.trim());
    const n = value === undefined || extra !== undefined ? { error: '' } : numberFrom(value);
    if (!code || isProblem(n)) return { error: `"${part}" is not like ${example}${isProblem(n) && n.error ? ` (${n.error})` : ''}` };
    out.push({ code, n });
  }
  return out.length ? out : { error: `empty: write ${example}` };
}

const parseOptions = (t: string) => {
  const p = parsePairs(t, /=/, 'A=1; B=0.6; C=0.2; D=0');
  return isProblem(p) ? p : p.map(({ code, n }) => ({ code, value: n }));
};
const parseGroups = (t: string) => {
  const p = parsePairs(t, /≥|>=/, 'A≥90; B≥80; C≥70; D≥0');
  return isProblem(p) ? p : p.map(({ code, n }) => ({ code, min: n }));
};

/** `0..100` */
function parseRange(text: string): [number, number] | Problem {
  const m = /^(.+?)\s*\.\.\s*(.+)$/.exec(text.trim());
  const [a, b] = m ? [numberFrom(m[1]), numberFrom(m[2])] : [];
  if (!m || isProblem(a) || isProblem(b)) return { error: `range "${text}" is not lowest..highest, e.g. 0..100` };
  return [a as number, b as number];
}

/**
 * `name=value; …`: a number, true or false (có / không), or text for the names in `textNames`.
 * `what` names the cell's kind in a problem (normalisation parameter …).
 */
function parseParams(text: string, what: string, textNames: readonly string[] = []): Record<string, unknown> | Problem {
  const out: Record<string, unknown> = {};
  for (const part of parts(text)) {
    const [key, value] = splitOnce(part, '=');
    const name = key.trim();
    if (name in out) return { error: `${what} "${name}" is given twice` };
    if (textNames.includes(name) && value?.trim()) { out[name] = value.trim(); continue; }
    const bool = value === undefined ? undefined : BOOLEAN[norm(value)];
    const n = value === undefined ? { error: 'no value' } : bool ?? numberFrom(value);
    if (isProblem(n)) return { error: `${what} "${part}" is not name=number (${n.error})` };
    out[name] = n;
  }
  return out;
}

/** `minmax`, or the method with its parameters: `goalposts: lower=0; upper=100; scale=100`, `groupMean: by=region`. */
function parseMethod(text: string, what: string, textNames: readonly string[] = []): Record<string, unknown> | Problem {
  const [method, rest] = splitOnce(text, ':');
  const params = parseParams(rest ?? '', `${what} parameter`, textNames);
  return isProblem(params) ? params : { method: method.trim(), ...params };
}

const parseNormalisation = (text: string) => parseMethod(text, 'normalisation');
const parseImputation = (text: string) => parseMethod(text, 'imputation', ['by']);

/** `arithmetic`, `geometric`, `harmonic`, or a power mean with its exponent: `power: p=2`. */
const MEAN_NAMES = ['arithmetic', 'geometric', 'harmonic'];
const parseAggregation = (text: string) => (MEAN_NAMES.includes(text.trim()) ? text.trim() : parseMethod(text, 'aggregation'));

/**
 * Outlier treatment: `default` (mặc định: COINr's rule as it stands), `none` (không: a leaf without
 * one, where `allowNone`), or its parameters `skewness=2; kurtosis=3.5; winsoriseMax=5; transform=log`.
 */
function parseTreatment(text: string, allowNone: boolean): Record<string, unknown> | false | Problem {
  const word = norm(text);
  if (word === 'default' || word === 'mặc định') return {};
  if (allowNone && (word === 'none' || word === 'không')) return false;
  if (!text.includes('=')) return { error: `treatment "${text}" is not default${allowNone ? ', none' : ''} or its parameters, e.g. skewness=2; kurtosis=3.5; winsoriseMax=5; transform=log` };
  return parseParams(text, 'treatment parameter', ['transform']);
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const k = text.indexOf(sep);
  return k < 0 ? [text, undefined] : [text.slice(0, k), text.slice(k + 1)];
}

function parseYears(cell: Cell): number[] | Problem {
  if (typeof cell === 'number') return [cell];
  const out = [];
  for (const part of parts(cellText(cell) ?? '')) {
    const n = numberFrom(part);
    if (isProblem(n)) return { error: `year ${n.error}` };
    out.push(n);
  }
  return out;
}

/**
 * A rule from its columns (`prefix` default_ in the methodology block): the type, and only the
 * parameters that type takes. Blank rule and parameters: no rule. `none` (default rule only): null.
 */
function readRule(r: RowReader, prefix = ''): Record<string, unknown> | null | undefined {
  const key = `${prefix}rule`;
  const type = r.text(key);
  const given = RULE_PARAMS.filter((p) => r.filled(prefix + p));
  if (type === undefined) {
    given.forEach((p) => r.problem(prefix + p, `${p} is given without a rule`));
    return undefined;
  }
  if (prefix && norm(type) === 'none') return null;
  const params = PARAMS_OF[type];
  if (!params) return r.problem(key, `unknown rule ${type}: one of ${RULE_TYPES.join(', ')}${prefix ? ', none' : ''}`);
  given.filter((p) => !params.includes(p)).forEach((p) => r.problem(prefix + p, `rule ${type} takes no ${p}`));
  const rule: Record<string, unknown> = { type };
  const before = r.problems();
  const range = r.parsed(prefix + 'range', parseRange);
  if (type === 'bands') Object.assign(rule, defined({ bands: r.parsed(prefix + 'bands', (t) => parseBands(t, range?.[0] ?? 0)), range }));
  if (type === 'proportional') Object.assign(rule, defined({ target: r.number(prefix + 'target'), cap: r.bool(prefix + 'cap') }));
  if (type === 'linear') Object.assign(rule, defined({ worst: r.number(prefix + 'worst'), best: r.number(prefix + 'best'), cap: r.bool(prefix + 'cap') }));
  if (type === 'survey') Object.assign(rule, defined({ options: r.parsed(prefix + 'options', parseOptions) }));
  // A rule whose parameters could not be read is left out (its cells are named): the engine's
  // structural checks then still run on the rest, instead of stopping at a half-read rule.
  return r.problems() === before ? rule : undefined;
}

/** The object without its undefined members: a blank cell is a field left out, never `undefined`. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ——— Tables to a document

interface Parsed {
  document: Record<string, unknown>;
  issues: SheetIssue[];
  /** the row (in the nodes sheet) of each node of document.nodes */
  nodeRows: number[];
  /** the row of each methodology field, and of each legal document */
  fieldRows: Map<string, number>;
  legalRows: number[];
  nodeColumns: Map<string, number>;
}

/** Reads the header of a table: each column's key by its header in either language; unknown and repeated headers named. */
function readHeader(sheet: Sheet, columns: readonly Column[], issues: SheetIssue[]): { columnOf: Map<string, number>; headers: string[] } {
  const columnOf = new Map<string, number>();
  const header = sheet.rows[0];
  const headers = (header?.cells ?? []).map((c) => cellText(c) ?? '');
  headers.forEach((h, k) => {
    if (!h) return;
    const column = findColumn(columns, h);
    const at = { sheet: sheet.name, row: header.row, column: columnLetter(k), field: h };
    if (!column) issues.push({ ...at, message: `unknown column ${h}: the columns are ${columns.map((c) => `${c.key} (${c.vi})`).join(', ')}` });
    else if (columnOf.has(column.key)) issues.push({ ...at, message: `column ${column.key} appears twice` });
    else columnOf.set(column.key, k);
  });
  return { columnOf, headers };
}

const blank = (r: SheetRow) => r.cells.every((c) => cellText(c) === undefined);

/** The rows after the header, trailing blank rows dropped; a blank row in the middle is named (a table has no holes). */
function bodyRows(sheet: Sheet, issues: SheetIssue[]): SheetRow[] {
  const rows = sheet.rows.slice(1);
  while (rows.length && blank(rows[rows.length - 1])) rows.pop();
  rows.filter(blank).forEach((r) => issues.push({ sheet: sheet.name, row: r.row, message: 'empty row in the middle of the table: delete it' }));
  return rows.filter((r) => !blank(r));
}

function readNodes(sheet: Sheet, issues: SheetIssue[], limits: Partial<Limits>) {
  const { columnOf, headers } = readHeader(sheet, NODE_COLUMNS, issues);
  if (!sheet.rows.length || !columnOf.has('code')) issues.push({ sheet: sheet.name, row: sheet.rows[0]?.row ?? 1, message: `the first row is the header and names the column code (${NODE_COLUMNS[0].vi})` });
  // Counted before any row is read: a sheet of a million rows is refused without reading them.
  within('methodologyNodes', Math.max(0, sheet.rows.length - 1), 'rows in the nodes sheet', ['nodes'], limits);
  const rows = bodyRows(sheet, issues);
  const rootCode = cellText(rows[0]?.cells[columnOf.get('code') ?? -1] ?? null);
  const nodes = rows.map((row, i) => {
    const r = new RowReader(sheet.name, row, columnOf, issues, headers);
    r.node = r.text('code');
    return readNode(r, i === 0 ? undefined : rootCode);
  });
  return { nodes, nodeRows: rows.map((r) => r.row), columnOf };
}

/** Blank parent: the code's dotted prefix (1.2 for 1.2.3), or the root (the first row) for a code without a dot. */
export function defaultParent(code: string, rootCode: string | undefined): string | undefined {
  const dot = code.lastIndexOf('.');
  return dot > 0 ? code.slice(0, dot) : rootCode;
}

function readNode(r: RowReader, rootCode: string | undefined): Record<string, unknown> {
  const code = r.text('code') ?? r.problem('code', 'every node needs a code');
  const [vi, en] = [r.text('name_vi'), r.text('name_en')];
  const sourceText = r.text('source');
  const status = r.text('provenance');
  const provenance = status === undefined ? undefined : PROVENANCE[norm(status)];
  if (status !== undefined && !provenance) r.problem('provenance', `${status} is not official (chính thức) or provisional (tạm tính)`);
  if (!status) ['document', 'note'].filter((k) => r.filled(k)).forEach((k) => r.problem(k, `${k} is given without a provenance (official or provisional)`));
  return defined({
    code,
    parent: r.text('parent') ?? (code === undefined || rootCode === undefined ? undefined : defaultParent(code, rootCode)),
    name: vi === undefined && en === undefined ? undefined : defined({ vi, en }),
    max: r.number('max'), weight: r.number('weight'), direction: r.number('direction'),
    source: sourceText?.includes(';') ? parts(sourceText) : sourceText,
    rule: readRule(r) ?? undefined,
    normalisation: r.parsed('normalisation', parseNormalisation),
    aggregation: r.parsed('aggregation', parseAggregation),
    availabilityThreshold: r.number('availability'),
    denominator: r.text('denominator'),
    treatment: r.parsed('treatment', (t) => parseTreatment(t, true)),
    provenance: provenance === 'official' ? defined({ status: provenance, document: r.text('document') })
      : provenance === 'provisional' ? defined({ status: provenance, note: r.text('note', false) }) : undefined,
  });
}

function readMethodologyBlock(sheet: Sheet, issues: SheetIssue[]) {
  const fieldRows = new Map<string, number>();
  const legalRows: number[] = [];
  const legalBasis: Record<string, unknown>[] = [];
  const fields = new Map<string, SheetRow>();
  const first = sheet.rows[0];
  const hasHeader = first && findColumn(METHODOLOGY_HEADER.slice(0, 1), cellText(first.cells[0]) ?? '');
  const rows = hasHeader ? sheet.rows.slice(1) : sheet.rows;
  for (const row of rows.filter((r) => !blank(r))) {
    const name = cellText(row.cells[0]) ?? '';
    const field = findColumn(METHODOLOGY_FIELDS, name);
    const at = { sheet: sheet.name, row: row.row, column: 'A', field: name };
    if (!field) issues.push({ ...at, message: `unknown field ${name}: the fields are ${METHODOLOGY_FIELDS.map((c) => c.key).join(', ')}` });
    else if (field.key === 'legal_basis') { legalRows.push(row.row); legalBasis.push(readLegal(sheet, row, issues)); }
    else if (fields.has(field.key)) issues.push({ ...at, message: `field ${field.key} appears twice` });
    else { fields.set(field.key, row); fieldRows.set(field.key, row.row); }
  }
  const values = new Map([...fields].map(([k, row]) => [k, row.cells[1] ?? null]));
  const columnOf = new Map([...fields.keys()].map((k) => [k, 1]));
  // One reader over the whole block: each field sits in column B of its own row.
  const reader = (key: string) => new RowReader(sheet.name, fields.get(key) ?? { row: 0, cells: [] }, columnOf, issues, ['field', 'value']);
  const text = (key: string, trim = true) => reader(key).text(key, trim);
  const num = (key: string) => reader(key).number(key);
  const ruleReader = new RowReader(sheet.name, { row: 0, cells: [] }, new Map(), issues, []);
  // The default rule's fields sit on several rows: each is read from its own.
  Object.assign(ruleReader, {
    cell: (k: string) => values.get(k) ?? null,
    problem: (k: string, message: string) => reader(k).problem(k, message),
  });
  const [vi, en] = [text('name_vi'), text('name_en')];
  const document = defined({
    id: text('id'), version: num('version'),
    name: vi === undefined && en === undefined ? undefined : defined({ vi, en }),
    unitType: text('unit_type'),
    years: values.has('years') ? reader('years').parsed('years', () => parseYears(values.get('years')!)) : undefined,
    legalBasis: legalBasis.length ? legalBasis : undefined,
    mode: text('mode'), missing: text('missing'), imputeBy: text('impute_by'), total: num('total'),
    groups: reader('groups').parsed('groups', parseGroups), rounding: num('rounding'),
    normalisation: reader('normalisation').parsed('normalisation', parseNormalisation),
    aggregation: reader('aggregation').parsed('aggregation', parseAggregation), availabilityThreshold: num('availability'),
    screening: values.has('screening') ? defined({ minAvailability: num('screening') }) : undefined,
    imputation: reader('imputation').parsed('imputation', parseImputation),
    treatment: reader('treatment').parsed('treatment', (t) => parseTreatment(t, false)),
    defaultRule: readRule(ruleReader, 'default_'),
    notes: text('notes', false),
  });
  return { document, fieldRows, legalRows };
}

function readLegal(sheet: Sheet, row: SheetRow, issues: SheetIssue[]): Record<string, unknown> {
  const r = new RowReader(sheet.name, row, new Map([['document', 1], ['date', 2], ['title', 3]]), issues, ['field', 'value', 'date', 'title']);
  const date = r.cell('date');
  if (typeof date === 'number') r.problem('date', `${date} is not a date: write it as YYYY-MM-DD`);
  return defined({ document: r.text('document'), date: typeof date === 'number' ? undefined : r.text('date'), title: r.text('title') });
}

/** The document the tables describe, with the problems only a table can have (syntax, columns, cells). */
export function parseMethodologySheets(sheets: MethodologySheets, limits: Partial<Limits> = BUDGETS): Parsed {
  const issues: SheetIssue[] = [];
  const block = readMethodologyBlock(sheets.methodology, issues);
  const { nodes, nodeRows, columnOf } = readNodes(sheets.nodes, issues, limits);
  return { document: { ...block.document, nodes }, issues, nodeRows, fieldRows: block.fieldRows, legalRows: block.legalRows, nodeColumns: columnOf };
}

// ——— The engine's issues back on their cells

function nodeColumnKey(rest: (string | number)[]): string | undefined {
  const [field, sub] = rest;
  if (field === 'name') return sub === 'en' ? 'name_en' : 'name_vi';
  if (field === 'availabilityThreshold') return 'availability';
  if (field === 'rule') return RULE_PARAMS.includes(sub as never) ? String(sub) : 'rule';
  if (field === 'provenance') return sub === 'document' || sub === 'note' ? sub : 'provenance';
  return typeof field === 'string' && NODE_KEYS.has(field) ? field : undefined;
}

const FIELD_KEY: Record<string, string> = { unitType: 'unit_type', legalBasis: 'legal_basis', imputeBy: 'impute_by', availabilityThreshold: 'availability' };

function fieldKey(path: (string | number)[]): string {
  const [field, sub] = path;
  if (field === 'name') return sub === 'en' ? 'name_en' : 'name_vi';
  if (field === 'defaultRule') return RULE_PARAMS.includes(sub as never) ? `default_${String(sub)}` : 'default_rule';
  return FIELD_KEY[field as string] ?? String(field);
}

function placeIssue(issue: Issue, parsed: Parsed, sheets: MethodologySheets): SheetIssue {
  const path = issue.path ?? [];
  const node = issue.node ? { node: issue.node } : {};
  if (path[0] === 'nodes') {
    const at: SheetIssue = { sheet: sheets.nodes.name, ...node, message: issue.message };
    if (typeof path[1] !== 'number') return at;
    const key = nodeColumnKey(path.slice(2));
    const k = key === undefined ? undefined : parsed.nodeColumns.get(key);
    // Stryker disable next-line OptionalChaining: path[1] is a node's index, so the sheet has a header row
    const header = sheets.nodes.rows[0]?.cells;
    // Stryker disable next-line OptionalChaining: path[1] is a node's index, so the sheet has a header row
    return { ...at, row: parsed.nodeRows[path[1]], ...(k !== undefined && { column: columnLetter(k), field: cellText(header?.[k] ?? null) }), ...(k === undefined && key && { field: key }) };
  }
  const key = fieldKey(path);
  const legal = key === 'legal_basis' && typeof path[1] === 'number';
  const row = legal ? parsed.legalRows[path[1] as number] : parsed.fieldRows.get(key);
  const column = legal ? columnLetter(1 + Math.max(0, ['document', 'date', 'title'].indexOf(String(path[2])))) : 'B';
  return { sheet: sheets.methodology.name, ...(row !== undefined && { row, column }), field: key, ...node, message: issue.message };
}

/**
 * Tables to a validated methodology: the document (to be stored as it is) and its compiled form;
 * a SheetError naming every problem, each on its sheet, row and column, if any remains. A
 * BudgetError (too many rows or levels) passes through.
 */
export function importMethodologySheets(sheets: MethodologySheets, limits: Partial<Limits> = BUDGETS): { document: Record<string, unknown>; compiled: CompiledMethodology } {
  const parsed = parseMethodologySheets(sheets, limits);
  const problems = [...parsed.issues];
  let compiled: CompiledMethodology | undefined;
  try {
    compiled = compileMethodology(parsed.document, limits);
  } catch (e) {
    if (!(e instanceof EngineError) || e.kind !== 'invalid-methodology') throw e;
    // A cell the parser already named is left out, so as not to say the same thing twice (a bad max, then "a leaf needs max").
    const named = new Set(parsed.issues.map((p) => `${p.sheet}!${p.row}!${p.column}`));
    for (const issue of e.issues) {
      const placed = placeIssue(issue, parsed, sheets);
      if (!named.has(`${placed.sheet}!${placed.row}!${placed.column}`) || placed.column === undefined) problems.push(placed);
    }
  }
  if (problems.length || !compiled) throw new SheetError(problems);
  return { document: parsed.document, compiled };
}

// ——— A document to tables

const num = (n: unknown) => (typeof n === 'number' ? n : null);

/** A share as a percentage that reads back as the same number. */
function percent(share: number): string {
  for (let p = 1; p <= 17; p++) {
    const text = String(Number((share * 100).toPrecision(p)));
    if (Number(text) / 100 === share) return `${text}%`;
  }
  return `${share * 100}%`;
}

function bandsText(rule: Record<string, any>): string {
  const lowest = rule.range?.[0] ?? 0;
  return rule.bands.map((b: any, i: number) => {
    const when = i === rule.bands.length - 1 && b.min === lowest ? 'else' : `≥${b.min}`;
    return `${when}:${b.points !== undefined ? b.points : percent(b.share)}`;
  }).join('; ');
}

const paramsText = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `${k}=${v}`).join('; ');

/** A method with its parameters (normalisation, imputation, a power mean), as parseMethod reads it. */
const methodText = (n: Record<string, unknown> | string | undefined) => {
  if (n === undefined || typeof n === 'string') return n ?? null;
  const { method, ...rest } = n;
  return Object.keys(rest).length ? `${method}: ${paramsText(rest)}` : String(method);
};

const treatmentText = (t: Record<string, unknown> | false | undefined) =>
  t === undefined ? null : t === false ? 'none' : Object.keys(t).length ? paramsText(t) : 'default';

/** The rule's cells by column key (rule, bands, range …). */
function ruleCells(rule: Record<string, any> | null | undefined, none = ''): Record<string, Cell> {
  if (rule === null) return { rule: none };
  if (!rule) return {};
  return {
    rule: rule.type,
    bands: rule.bands ? bandsText(rule) : null, range: rule.range ? `${rule.range[0]}..${rule.range[1]}` : null,
    target: num(rule.target), worst: num(rule.worst), best: num(rule.best), cap: typeof rule.cap === 'boolean' ? rule.cap : null,
    options: rule.options ? rule.options.map((o: any) => `${o.code}=${o.value}`).join('; ') : null,
  };
}

function nodeCells(node: Record<string, any>, rootCode: string | undefined, isRoot: boolean): Record<string, Cell> {
  const derived = isRoot ? undefined : defaultParent(node.code, rootCode);
  const source = Array.isArray(node.source) ? `${node.source.join('; ')}${node.source.length === 1 ? ';' : ''}` : node.source;
  return {
    code: node.code, parent: node.parent === derived ? null : node.parent ?? null,
    name_vi: node.name?.vi ?? null, name_en: node.name?.en ?? null, max: num(node.max), weight: num(node.weight), direction: num(node.direction),
    source: source ?? null, ...ruleCells(node.rule), normalisation: methodText(node.normalisation), aggregation: methodText(node.aggregation),
    availability: num(node.availabilityThreshold), denominator: node.denominator ?? null, treatment: treatmentText(node.treatment),
    provenance: node.provenance?.status ?? null,
    document: node.provenance?.document ?? null, note: node.provenance?.note ?? null,
  };
}

function methodologyRows(m: Record<string, any>): Cell[][] {
  const rows: Cell[][] = [];
  const add = (key: string, value: Cell | undefined) => { if (value !== undefined && value !== null) rows.push([key, value]); };
  add('id', m.id); add('version', m.version); add('name_vi', m.name?.vi); add('name_en', m.name?.en); add('unit_type', m.unitType);
  add('years', m.years?.join('; ') || undefined);
  for (const l of m.legalBasis ?? []) rows.push(['legal_basis', l.document, l.date ?? null, l.title ?? null].slice(0, l.title ? 4 : l.date ? 3 : 2));
  add('mode', m.mode); add('missing', m.missing); add('impute_by', m.imputeBy); add('total', m.total);
  add('groups', m.groups?.map((g: any) => `${g.code}≥${g.min}`).join('; '));
  add('rounding', m.rounding); add('normalisation', methodText(m.normalisation)); add('aggregation', methodText(m.aggregation));
  add('availability', m.availabilityThreshold); add('screening', m.screening?.minAvailability);
  add('imputation', methodText(m.imputation)); add('treatment', treatmentText(m.treatment));
  if ('defaultRule' in m) for (const [k, v] of Object.entries(ruleCells(m.defaultRule, 'none'))) add(`default_${k}`, v);
  add('notes', m.notes);
  return rows;
}

const isRecord = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the tables cannot carry, named: fields they do not know, nested children. */
function uncarried(document: Record<string, any>): string[] {
  const out = Object.keys(document).filter((k) => !METHODOLOGY_KEYS.has(k)).map((k) => `field ${k} (/${k})`);
  // Stryker disable next-line ArrayDeclaration: the export checks document.nodes is an array before it asks what it cannot carry
  (Array.isArray(document.nodes) ? document.nodes : []).forEach((node: unknown, i: number) => {
    if (!isRecord(node)) return void out.push(`node ${i}, which is not an object (/nodes/${i})`);
    if ('children' in node) out.push(`nested children of node ${node.code} (/nodes/${i}/children): the table is flat, one row per node naming its parent`);
    out.push(...Object.keys(node).filter((k) => k !== 'children' && !NODE_KEYS.has(k)).map((k) => `field ${k} of node ${node.code} (/nodes/${i}/${k})`));
  });
  return out;
}

/** The first place where two JSON values differ (key order aside), as a path; undefined when equal. */
export function firstDifference(a: unknown, b: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], [...path, i]);
      if (d) return d;
    }
    return undefined;
  }
  if (isRecord(a) && isRecord(b)) {
    // Stryker disable next-line MethodExpression: a key undefined on both sides compares equal (firstDifference(undefined, undefined) is undefined)
    const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => a[k] !== undefined || b[k] !== undefined));
    for (const k of [...keys].sort()) {
      const d = firstDifference(a[k], b[k], [...path, k]);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(a, b) || (a === 0 && b === 0) ? undefined : path;
}

export type SheetLang = 'vi' | 'en';

/**
 * A stored methodology document as tables, headed in the reader's language. Refuses (EngineError
 * naming each) what the tables cannot carry: a field they do not know, nested children, or any
 * value that would not read back as written; so that importing the export stores the same document
 * (the same content hash), and nothing is lost silently.
 */
export function exportMethodologySheets(document: unknown, lang: SheetLang = 'vi'): MethodologySheets {
  if (!isRecord(document) || !Array.isArray(document.nodes)) throw new EngineError('invalid-methodology', [{ message: 'not a methodology document' }]);
  const refused = uncarried(document);
  if (refused.length) throw new EngineError('invalid-methodology', refused.map((what) => ({ message: `a spreadsheet cannot carry ${what}` })));
  const header = (c: Column) => (lang === 'vi' ? c.vi : c.key);
  const label = (key: string) => header(METHODOLOGY_FIELDS.find((c) => c.key === key)!);
  const rootCode = document.nodes[0]?.code;
  const nodes = document.nodes.map((n: Record<string, any>, i: number) => nodeCells(n, rootCode, i === 0));
  const sheets: MethodologySheets = {
    methodology: table('methodology', [METHODOLOGY_HEADER.map(header), ...methodologyRows(document).map(([k, ...rest]) => [label(k as string), ...rest])]),
    nodes: table('nodes', [NODE_COLUMNS.map(header), ...nodes.map((cells: Record<string, Cell>) => NODE_COLUMNS.map((c) => cells[c.key] ?? null))]),
  };
  const back = parseMethodologySheets(sheets, { methodologyNodes: Infinity });
  const differs = firstDifference(document, back.document);
  if (back.issues.length || differs) {
    const where = differs ? `/${differs.join('/')}` : place(back.issues[0]);
    throw new EngineError('invalid-methodology', [{ message: `a spreadsheet cannot carry this document as written: it would read back differently at ${where}`, ...(differs && { path: differs }) }]);
  }
  return sheets;
}

const table = (name: string, rows: Cell[][]): Sheet => ({ name, rows: rows.map((cells, i) => ({ row: i + 1, cells })) });

// ——— What a dry run shows

export interface TreeSummary {
  nodes: number; leaves: number;
  /** nodes per level: [1 (the root), domains, criteria, …] */
  levels: number[];
  /** points mode: the root's maximum; weighted mode: null */
  total: number | null;
  /** the root's children with their maxima (or weights) and how many leaves each has */
  domains: { code: string; name?: { vi: string; en: string }; max: number | null; weight: number; nodes: number; leaves: number }[];
}

export function treeSummary(c: CompiledMethodology): TreeSummary {
  const levels: number[] = [];
  for (const n of c.nodes) levels[n.depth] = (levels[n.depth] ?? 0) + 1;
  const points = c.methodology.mode === 'points';
  // Pre-order: the nodes below a domain follow it until the next node of depth ≤ 1.
  const domains: TreeSummary['domains'] = [];
  for (const n of c.nodes.slice(1)) {
    if (n.depth === 1) domains.push({ code: n.code, ...(n.name && { name: n.name }), max: points ? n.max : null, weight: n.weight, nodes: 0, leaves: 0 });
    const d = domains[domains.length - 1];
    d.nodes++;
    if (n.children.length === 0) d.leaves++;
  }
  return { nodes: c.nodes.length, leaves: c.leaves.length, levels, total: points ? c.nodes[0].max : null, domains };
}
