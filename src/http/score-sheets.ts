// Scores as spreadsheets: the template of a cycle (one row per unit × sub-criterion the key may
// write, reference columns locked, input cells validated, a read-me sheet), and a filled workbook
// read back through the same path as CSV (score-writes.ts): all or nothing, every problem named
// by sheet, row and column. Cells are read as values; a formula is refused where it stands
// (workbook.ts: one rule for every uploaded workbook).
import type { Context } from 'hono';
import { columnLetter, findReservedKey, takesSelf, type CompiledNode } from '../engine/index.js';
import { listScores, type IngestRow, type ScoreFilter } from '../store/scores.js';
import { listUnits } from '../store/units.js';
import { ruleInWords } from '../web/workspace/self-assessment-rule.js';
import type { Actor, AppEnv } from './env.js';
import { authorizeWriter, MAX_LISTED_ERRORS } from './permissions.js';
import { ApiProblem, type FieldError } from './problem.js';
import { checkedRows, checkRowCount, type ScoreBatch } from './score-writes.js';
import { cellRefusal, checkWorkbookZip, readSheets, serialDate, SHEET_PARTS, XLSX_TYPE, type RawCell, type RawSheet, type WorkbookLimits } from './workbook.js';

type Lang = 'vi' | 'en';

/** The sheets, by language; either is read back. */
export const SCORE_SHEETS = { scores: { vi: 'điểm', en: 'scores' }, readme: { vi: 'hướng dẫn', en: 'read me' } } as const;

/** The columns of the scores sheet: reference columns are locked, input columns are what PUT …/scores takes. */
const COLUMNS = [
  { key: 'unit', vi: 'mã đơn vị', en: 'unit', input: false, width: 10 },
  { key: 'unitNameVi', vi: 'tên đơn vị', en: 'unit name (vi)', input: false, width: 22 },
  { key: 'unitNameEn', vi: 'tên đơn vị (tiếng Anh)', en: 'unit name (en)', input: false, width: 22 },
  { key: 'indicator', vi: 'mã tiêu chí', en: 'indicator', input: false, width: 11 },
  { key: 'nameVi', vi: 'tiêu chí thành phần', en: 'sub-criterion (vi)', input: false, width: 36 },
  { key: 'nameEn', vi: 'tiêu chí thành phần (tiếng Anh)', en: 'sub-criterion (en)', input: false, width: 30 },
  { key: 'max', vi: 'điểm tối đa', en: 'maximum', input: false, width: 10 },
  { key: 'rule', vi: 'cách chấm', en: 'rule', input: false, width: 44 },
  { key: 'source', vi: 'nguồn điểm', en: 'source', input: false, width: 11 },
  { key: 'value', vi: 'giá trị', en: 'value', input: true, width: 10 },
  { key: 'evidence', vi: 'tài liệu kiểm chứng', en: 'evidence', input: true, width: 28 },
  { key: 'note', vi: 'ghi chú', en: 'note', input: true, width: 28 },
  { key: 'reason', vi: 'lý do điều chỉnh', en: 'reason', input: true, width: 28 },
] as const;
type ColumnKey = (typeof COLUMNS)[number]['key'];
const SENT = ['unit', 'indicator', 'source', 'value', 'evidence', 'note', 'reason'] as const;

/** Limits of an uploaded score workbook: a province cycle is about 20,000 rows (63 units × a few hundred rows at most). */
export const SCORE_XLSX_LIMITS: WorkbookLimits = {
  kind: 'a score workbook', entries: 200, uncompressed: 64 * 1024 * 1024, rows: 25_000, cells: 500_000,
  tooLong: (part, n) => new ApiProblem('payload-too-large', `The worksheet ${part} has ${n.rows > SCORE_XLSX_LIMITS.rows ? 'at least ' : ''}${n.rows.toLocaleString('en')} rows and ${n.cells.toLocaleString('en')} cells: a score workbook has at most ${SCORE_XLSX_LIMITS.rows.toLocaleString('en')} rows and ${SCORE_XLSX_LIMITS.cells.toLocaleString('en')} cells per sheet; split it (each upload is all or nothing). Nothing was read or stored.`),
};
const MAX_COLUMNS = 30;

// ——— The template

interface TemplateRow { unit: { code: string; vi: string; en: string }; leaf: CompiledNode; source: string; stored?: { value: unknown; evidence: string | null; note: string | null } }

/** The rows a key may fill: a unit its own unit's self-assessment; an appraiser the appraised leaves; an admin every leaf by its first source. */
async function templateRows(c: Context<AppEnv>, batch: ScoreBatch, actor: Actor): Promise<TemplateRow[]> {
  const { compiled } = batch;
  const assessed = new Set(batch.units.map((u) => u.code));
  const units = (await listUnits(c.get('driver'), { type: batch.cycle.unitType }))
    .filter((u) => assessed.has(u.code) && (actor.role !== 'unit' || u.code === actor.unit))
    .map((u) => ({ code: u.code, vi: u.nameVi, en: u.nameEn }));
  const leaves = compiled.leaves.map((i) => compiled.nodes[i]);
  const writable: [CompiledNode, string][] = actor.role === 'unit' ? leaves.filter(takesSelf).map((n) => [n, 'self'])
    : actor.role === 'appraiser' ? leaves.filter((n) => n.sources.length === 0 || n.sources.includes('appraisal')).map((n) => [n, 'appraisal'])
      : leaves.map((n) => [n, n.sources[0] ?? 'appraisal']);
  const filter: ScoreFilter = actor.role === 'unit' ? { unit: actor.unit!, source: 'self' } : actor.role === 'appraiser' ? { source: 'appraisal' } : {};
  const stored = new Map((await listScores(c.get('driver'), batch.cycle.id, filter)).map((s) => [`${s.unit}\u0000${s.indicator}\u0000${s.source}`, s]));
  return units.flatMap((unit) => writable.map(([leaf, source]) => {
    const s = stored.get(`${unit.code}\u0000${leaf.code}\u0000${source}`);
    return { unit, leaf, source, ...(s && { stored: { value: s.value, evidence: s.evidence, note: s.note } }) };
  }));
}

/** The template as a download named after the cycle (and the unit, for a unit's key): the API's and the workspace's answer. */
export async function templateDownload(c: Context<AppEnv>, batch: ScoreBatch, lang: Lang): Promise<Response> {
  const actor = c.get('actor');
  const { year, unitType } = batch.cycle;
  const name = ['par-index', year, unitType, 'template', ...(actor.role === 'unit' ? [actor.unit!] : [])].join('-').replace(/[^A-Za-z0-9.-]+/g, '_');
  const bytes = await scoreTemplate(c, batch, lang);
  return c.body(bytes, 200, { 'content-type': XLSX_TYPE, 'content-disposition': `attachment; filename="${name}.xlsx"`, 'cache-control': 'private, no-store' });
}

/** The cycle's score template for this key, as XLSX bytes. */
export async function scoreTemplate(c: Context<AppEnv>, batch: ScoreBatch, lang: Lang): Promise<Uint8Array<ArrayBuffer>> {
  const rows = await templateRows(c, batch, c.get('actor'));
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  Object.assign(book, { creator: 'PAR INDEX', created: new Date(0), modified: new Date(0) });
  readMe(book.addWorksheet(SCORE_SHEETS.readme[lang]), batch, lang, rows.length);
  const ws = book.addWorksheet(SCORE_SHEETS.scores[lang], { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  ws.columns = COLUMNS.map((col) => ({ header: col[lang], key: col.key, width: col.width }));
  ws.getRow(1).font = { bold: true };
  const mode = batch.compiled.methodology.mode;
  for (const r of rows) {
    const row = ws.addRow({
      unit: r.unit.code, unitNameVi: r.unit.vi, unitNameEn: r.unit.en, indicator: r.leaf.code,
      nameVi: r.leaf.name?.vi ?? '', nameEn: r.leaf.name?.en ?? '', max: mode === 'points' ? r.leaf.max : null,
      rule: ruleInWords(r.leaf.rule, r.leaf.max, lang), source: r.source,
      value: storedValue(r.stored?.value), evidence: r.stored?.evidence ?? null, note: r.stored?.note ?? null,
    } satisfies Partial<Record<ColumnKey, unknown>>);
    const value = row.getCell('value');
    const validation = valueValidation(r.leaf, lang);
    if (validation) value.dataValidation = validation;
    for (const key of ['value', 'evidence', 'note', 'reason'] as const) row.getCell(key).protection = { locked: false };
  }
  // No password: the lock keeps reference cells from being overwritten by accident; the upload checks everything anyway.
  await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, sort: false, autoFilter: true });
  return new Uint8Array(await book.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}

/** A stored value as a cell: a number, survey answers as their JSON, no data as the word null. */
const storedValue = (v: unknown) => (v === undefined ? null : v === null ? 'null' : typeof v === 'number' ? v : JSON.stringify(v));

/** Data validation where the rule bounds a number: 0 to the max, a band's range, done (1) or not (0). */
function valueValidation(leaf: CompiledNode, lang: Lang): import('exceljs').DataValidation | undefined {
  const rule = leaf.rule;
  const prompt = (a: number, b: number) => (lang === 'vi' ? `Nhập một số từ ${a} đến ${b} (null: không có dữ liệu)` : `A number from ${a} to ${b} (null: no data)`);
  const common = { allowBlank: true, showErrorMessage: true, showInputMessage: true, errorStyle: 'stop' as const };
  const between = (a: number, b: number) => ({ ...common, type: 'decimal' as const, operator: 'between' as const, formulae: [a, b], error: prompt(a, b), prompt: prompt(a, b) });
  if (!rule) return undefined;
  switch (rule.type) {
    case 'points': return between(0, leaf.max);
    case 'binary': return { ...common, type: 'list', formulae: ['"1,0"'], prompt: lang === 'vi' ? '1: đã thực hiện; 0: chưa thực hiện' : '1: done; 0: not done' };
    case 'bands': { const [a, b] = rule.range ?? [0, 100]; return between(a, b); }
    case 'linear': return rule.cap ? undefined : between(Math.min(rule.worst, rule.best), Math.max(rule.worst, rule.best));
    case 'proportional': return rule.cap ? { ...common, type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0] } : between(0, rule.target);
    default: return undefined;
  }
}

function readMe(ws: import('exceljs').Worksheet, batch: ScoreBatch, lang: Lang, rows: number): void {
  const m = batch.compiled.methodology;
  const vi = lang === 'vi';
  const lines: [string, string | number][] = vi ? [
    ['Mẫu nhập điểm PAR INDEX', ''],
    ['kỳ đánh giá', `${batch.cycle.year} ${batch.cycle.unitType}`], ['phương pháp', `${m.id} v${m.version}`], ['số dòng', rows],
    ['cách điền', `Điền các cột giá trị, tài liệu kiểm chứng, ghi chú (và lý do điều chỉnh khi thẩm định khác với tự đánh giá) trên trang "${SCORE_SHEETS.scores.vi}". Các cột khác bị khóa: không sửa.`],
    ['giá trị', 'Một số (dấu chấm hoặc định dạng số của Excel); null: không có dữ liệu; khảo sát: {"A": 10, "B": 5}. Dòng để trống giá trị, tài liệu, ghi chú và lý do không được gửi (điểm đã lưu giữ nguyên).'],
    ['kiểm tra', 'Cả tệp được chấp nhận hoặc bị từ chối: mỗi lỗi nêu trang, dòng và cột. Không chấp nhận: công thức, ô gộp, trang hoặc dòng bị ẩn, dòng trống xen giữa, ngày tháng ở cột số, số viết bằng dấu phẩy dạng chữ, giá trị vượt điểm tối đa, đơn vị hoặc tiêu chí không có, dòng trùng.'],
    ['gửi', `PUT /v1/cycles/${batch.cycle.year}/${batch.cycle.unitType}/scores với Content-Type là tệp XLSX; ?dryRun=true để kiểm tra mà không lưu.`],
  ] : [
    ['PAR INDEX score template', ''],
    ['cycle', `${batch.cycle.year} ${batch.cycle.unitType}`], ['methodology', `${m.id} v${m.version}`], ['rows', rows],
    ['how to fill', `Fill the value, evidence, note (and reason, when an appraisal differs from the self-assessment) columns of the "${SCORE_SHEETS.scores.en}" sheet. The other columns are locked: leave them as they are.`],
    ['value', 'A number (a decimal point, or Excel\'s own number format); null: no data; survey: {"A": 10, "B": 5}. A row whose value, evidence, note and reason are all empty is not sent (what is stored stays).'],
    ['checks', 'The whole file is accepted or refused: each problem names its sheet, row and column. Refused: formulas, merged cells, hidden sheets or rows, empty rows in the middle, dates in number columns, numbers typed as text with a decimal comma, values over the maximum, unknown units or sub-criteria, duplicate rows.'],
    ['upload', `PUT /v1/cycles/${batch.cycle.year}/${batch.cycle.unitType}/scores with the XLSX Content-Type; ?dryRun=true checks without storing.`],
  ];
  ws.columns = [{ width: 22 }, { width: 110 }];
  ws.addRows(lines);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
}

// ——— Reading a filled workbook

interface SheetRows {
  sheet: string; rows: Record<string, unknown>[]; rowNumbers: number[]; columns: Partial<Record<string, string>>;
  /** cell errors, by the row's place among the rows sent (as checkedRows numbers them) */
  errors: FieldError[];
  /** empty rows between rows with data, by their row in the sheet */
  gaps: FieldError[];
}

const norm = (s: string) => s.normalize('NFC').trim().toLowerCase();
const HEADER_KEYS = new Map<string, ColumnKey>(COLUMNS.flatMap((col) => [[norm(col.vi), col.key], [norm(col.en), col.key], [norm(col.key), col.key]]));
const whole = (sheet: string, message: string, at: { row?: number; column?: string } = {}): FieldError => ({ sheet, ...at, message });

/** Rows of an uploaded workbook, checked as CSV rows are: the writer first, then cells, schema and methodology together. */
export async function workbookScoreRows(c: Context<AppEnv>, batch: ScoreBatch, bytes: Uint8Array): Promise<{ rows: IngestRow[]; place: (e: unknown) => never }> {
  const sheet = scoreSheet(readSheets(await checkWorkbookZip(bytes, SCORE_XLSX_LIMITS, SHEET_PARTS)));
  const read = sheetRows(sheet);
  const place = placer(read);
  if (read.rows.length === 0 && read.gaps.length === 0) throw new ApiProblem('validation-failed', `The sheet ${sheet.name} has no filled row (a value, evidence, note or reason): nothing to write.`, [whole(sheet.name, 'no filled row')]);
  checkRowCount(read.rows.length, true);
  try {
    authorizeWriter(c.get('actor'), read.rows);
    const rows = await checkedRows(batch, read.rows, read.errors);
    if (read.gaps.length) throw new ApiProblem('validation-failed', '', []);
    return { rows, place };
  } catch (e) {
    return place(e);
  }
}

/** The scores sheet: named in either language, visible, without merged cells. */
function scoreSheet(sheets: RawSheet[]): RawSheet {
  const names = Object.values(SCORE_SHEETS.scores).map(norm);
  const found = sheets.find((s) => names.includes(norm(s.name)));
  if (!found) throw sheetProblem([whole('', `no sheet named ${SCORE_SHEETS.scores.vi} or ${SCORE_SHEETS.scores.en} (the workbook has ${sheets.map((s) => s.name).join(', ') || 'no sheet'})`)]);
  const problems: FieldError[] = [];
  if (found.state !== 'visible') problems.push(whole(found.name, `the sheet is ${found.state === 'hidden' ? 'hidden' : 'very hidden'}: unhide it, so that what is sent is what was seen`));
  for (const range of found.merges) problems.push(whole(found.name, `merged cells ${range}: unmerge them (one value per cell)`, { row: Number(range.match(/\d+/)?.[0]), column: range.match(/^[A-Z]+/i)?.[0] }));
  for (const row of found.hiddenRows.filter((r) => found.rows.has(r))) problems.push(whole(found.name, `row ${row} is hidden: unhide it, so that what is sent is what was seen`, { row }));
  if (problems.length) throw sheetProblem(problems);
  return found;
}

const sheetProblem = (errors: FieldError[]) => new ApiProblem('validation-failed', `${errors.length} problem(s) in the workbook; nothing was written. First: ${at(errors[0])}${errors[0].message}.`, errors);
const at = (e: FieldError) => (e.sheet ? `${e.sheet}${e.column || e.row ? '!' : ''}${e.column ?? ''}${e.row ?? ''}: ` : '');

/** The header (row 1) and the filled rows, each cell read as CsvScoreRow reads its text. */
function sheetRows(sheet: RawSheet): SheetRows {
  const name = sheet.name;
  const header = sheet.rows.get(1) ?? new Map<number, RawCell>();
  const columns: Partial<Record<string, number>> = {};
  const problems: FieldError[] = [];
  for (const [k, cell] of header) {
    const text = typeof cell.value === 'string' ? cell.value : String(cell.value ?? '');
    if (k > MAX_COLUMNS) { problems.push(whole(name, `column ${columnLetter(k - 1)} is past the ${MAX_COLUMNS} columns a score sheet has`, { row: 1, column: columnLetter(k - 1) })); continue; }
    const key = HEADER_KEYS.get(norm(text));
    if (!key) problems.push(whole(name, `unknown column ${text}: the header names ${COLUMNS.map((c) => c.en).join(', ')} (or their Vietnamese names)`, { row: 1, column: columnLetter(k - 1) }));
    else if (columns[key] !== undefined) problems.push(whole(name, `column ${text} is named twice`, { row: 1, column: columnLetter(k - 1) }));
    else columns[key] = k;
  }
  for (const key of ['unit', 'indicator', 'value'] as const) if (columns[key] === undefined) problems.push(whole(name, `no ${key} column in the header (row 1)`, { row: 1 }));
  const last = Math.max(0, ...sheet.rows.keys());
  if (last > SCORE_XLSX_LIMITS.rows) problems.push(whole(name, `a cell in row ${last.toLocaleString('en')}, past the ${SCORE_XLSX_LIMITS.rows.toLocaleString('en')} rows a score sheet has`, { row: last }));
  for (const [r, cells] of sheet.rows) for (const k of cells.keys()) if (r > 1 && k > MAX_COLUMNS) problems.push(whole(name, `a cell in column ${columnLetter(k - 1)}, past the ${MAX_COLUMNS} columns a score sheet has`, { row: r, column: columnLetter(k - 1) }));
  if (problems.length) throw sheetProblem(problems);
  const letters = Object.fromEntries(Object.entries(columns).map(([key, k]) => [key, columnLetter(k! - 1)]));
  const out: SheetRows = { sheet: name, rows: [], rowNumbers: [], columns: letters, errors: [], gaps: [] };
  for (let r = 2; r <= last; r++) {
    const cells = sheet.rows.get(r);
    if (!cells) { out.gaps.push(whole(name, 'an empty row between rows with data: delete it (a gap may hide rows not meant to be sent)', { row: r, column: 'A' })); continue; }
    const get = (key: string) => (columns[key] === undefined ? undefined : cells.get(columns[key]!));
    if (['value', 'evidence', 'note', 'reason'].every((key) => isBlank(get(key)))) continue;
    const index = out.rows.length;
    const row: Record<string, unknown> = {};
    for (const key of SENT) {
      const cell = get(key);
      const read = key === 'value' ? valueOf(cell) : textOf(cell);
      if ('error' in read) out.errors.push({ row: index + 1, field: key, message: read.error });
      else if (read.value !== undefined) row[key] = read.value;
    }
    out.rows.push(row);
    out.rowNumbers.push(r);
  }
  return out;
}

const isBlank = (cell: RawCell | undefined) => !cell || (cell.value === null && !cell.formula && !cell.error) || (typeof cell.value === 'string' && cell.value.trim() === '');

function textOf(cell: RawCell | undefined): { value: string | undefined } | { error: string } {
  if (isBlank(cell)) return { value: undefined };
  const bad = cellRefusal(cell!);
  if (bad) return { error: bad };
  if (cell!.date) return { error: `a date (${serialDate(cell!.value)}) where text belongs: type it as text` };
  return { value: String(cell!.value).trim() };
}

/** A value cell: a number (not a date), or text that CSV would read: null, survey answers as JSON, a number with a decimal point. */
function valueOf(cell: RawCell | undefined): { value: unknown } | { error: string } {
  if (isBlank(cell)) return { error: 'value is empty (type null for "no data")' };
  const bad = cellRefusal(cell!);
  if (bad) return { error: bad };
  const v = cell!.value;
  if (cell!.date) return { error: `a date (${serialDate(v)}) where a number belongs: format the cell as a number and type the value` };
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v } : { error: `value ${v} is not a finite number` };
  if (typeof v === 'boolean') return { error: `${v ? 'TRUE' : 'FALSE'} is not a number: type 1 (done) or 0 (not done)` };
  const text = String(v).trim();
  if (text.toLowerCase() === 'null') return { value: null };
  if (text.startsWith('{')) {
    let value: unknown;
    try { value = JSON.parse(text); } catch { return { error: `value ${text} is not valid JSON` }; }
    return findReservedKey(value) ? { error: 'value has the key __proto__ (a reserved name)' } : { value };
  }
  if (/^[+-]?\d+,\d+$/.test(text)) return { error: `${text} is text with a decimal comma: type it as a number (${text.replace(',', '.')})` };
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? { value: Number(text) } : { error: `value ${text} is not a number` };
}

/**
 * Turns a refusal about rows (numbered as sent: 1 is the first filled row) into one about the
 * sheet: each error gets its sheet, the row as the spreadsheet shows it, and the column of its field.
 */
function placer(read: SheetRows): (e: unknown) => never {
  return (e) => {
    if (!(e instanceof ApiProblem) || !(e.errors?.length || (e.type === 'validation-failed' && read.gaps.length))) throw e;
    const gaps = e.type === 'validation-failed' ? read.gaps : [];
    const errors = [...(e.errors ?? []).map(({ pointer: _, ...err }) => {
      if (err.sheet || err.row === undefined) return { sheet: read.sheet, ...err };
      const field = err.field?.split('.').pop();
      const column = (field && read.columns[field]) ?? read.columns.unit;
      return { ...err, sheet: read.sheet, row: read.rowNumbers[err.row - 1] ?? err.row, column };
    }), ...gaps].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    const rows = new Set(errors.map((x) => x.row)).size;
    const count = e.detail.match(/ \d+ errors in all; the first \d+ are listed\./)?.[0] ?? '';
    const listed = errors.slice(0, MAX_LISTED_ERRORS);
    const cut = count || (errors.length > listed.length ? ` ${errors.length} errors in all; the first ${listed.length} are listed.` : '');
    throw new ApiProblem(e.type, `${rows} row(s) of the workbook refused; nothing was written. First: ${at(errors[0])}${errors[0].message}.${cut}`, listed, e.headers);
  };
}
