// A publication as a formatted spreadsheet (exceljs): read-me (what it is, revision, content
// hash, notice, licence, citation), results, domains, sub-criteria and the methodology, headed in
// the reader's language. Numbers are written as numbers at the display rounding (the CSV's rule,
// so the spreadsheet, the CSV and the pages agree digit for digit) with a number format of that
// many decimals: the spreadsheet shows them in its own locale (91,43 in a Vietnamese Excel).
import type ExcelJS from 'exceljs';
import type { CompiledMethodology } from '../../engine/index.js';
import { rounded } from '../../http/csv.js';
import type { ReportRow } from '../../store/results.js';
import type { Publication } from '../data.js';
import { LABELS, nameIn, type Lang } from '../i18n.js';
import { PAGE_LABELS } from '../i18n-pages.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The terms the workbook states. The code is MIT; the numbers are the publisher's (to be confirmed by the secretariat). */
export const LICENCE: Record<Lang, string> = {
  vi: 'Số liệu thuộc cơ quan công bố Chỉ số CCHC; được sử dụng lại khi trích dẫn nguồn như dưới đây. Phần mềm tạo tệp: giấy phép MIT.',
  en: 'The numbers are the PAR INDEX publisher\'s; reuse them with the citation below. The software that made this file: MIT licence.',
};

type Cell = string | number | null;
interface Column { header: string; width: number; decimals?: number }

export interface XlsxInput { lang: Lang; p: Publication; m: CompiledMethodology; /** the ranking page's absolute URL, cited as the source */ source: string }

export async function publicationXlsx(input: XlsxInput): Promise<Uint8Array<ArrayBuffer>> {
  const { lang, p } = input;
  const x = PAGE_LABELS[lang].xlsx;
  // Loaded when a spreadsheet is first asked for: every other request (and every test of the API) starts without it.
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  const published = new Date(p.view.frozen.revision.publishedAt);
  // Dated by the publication, not by the moment it is rendered: the same publication, the same workbook properties.
  Object.assign(book, { creator: 'PAR INDEX', created: published, modified: published, title: x.title(p.report.cycle.year, p.report.cycle.unitType) });
  readMe(book, input);
  const d = p.rounding;
  const rows = [...p.report.rows].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unit.localeCompare(b.unit));
  sheet(book, x.results, resultColumns(lang, d), rows.map((r) => resultCells(lang, p, r)));
  sheet(book, x.domains, domainColumns(lang, p), rows.map((r) => domainCells(p, r)));
  sheet(book, x.leaves, leafColumns(lang, d), rows.flatMap((r) => leafCells(lang, p, r)));
  sheet(book, x.methodology, methodologyColumns(lang, d), methodologyCells(lang, input.m));
  return new Uint8Array(await book.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}

/** A number at the display rounding, or an empty cell. */
const at = (x: number | null | undefined, decimals: number): number | null => {
  const text = rounded(x, decimals);
  return text === '' ? null : Number(text);
};

const format = (decimals: number) => (decimals === 0 ? '0' : `0.${'0'.repeat(decimals)}`);

/** A table on its own sheet: a bold header row that stays in view, filters, widths and number formats. */
function sheet(book: ExcelJS.Workbook, name: string, columns: Column[], rows: Cell[][]) {
  const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, ...(c.decimals !== undefined && { style: { numFmt: format(c.decimals) } }) }));
  ws.addRows(rows);
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { vertical: 'top', wrapText: true };
  head.eachCell((cell) => { cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF4F5F7' } }; });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

function readMe(book: ExcelJS.Workbook, { lang, p, source }: XlsxInput) {
  const t = LABELS[lang], x = PAGE_LABELS[lang].xlsx;
  const { year, unitType } = p.report.cycle;
  const r = p.view.frozen.revision;
  const m = p.served.cycle.methodology;
  const ws = book.addWorksheet(x.readme);
  ws.columns = [{ width: 28 }, { width: 110 }];
  const title = x.title(year, t.unitType[unitType] ?? unitType);
  const citation = `${title}. ${x.revision} ${r.revision}, ${r.publishedAt.slice(0, 10)}. ${source}?revision=${r.revision} (SHA-256 ${r.contentHash}).`;
  const lines: [string, string][] = [
    ...(p.served.notice ? [[x.notice, t.synthetic] as [string, string]] : []),
    ...(m.provisionalNodes > 0 ? [[x.provisional, t.provisional(m.provisionalNodes)] as [string, string]] : []),
    [x.cycle, String(year)], [x.unitType, t.unitTypes[unitType] ?? unitType],
    [x.methodology_, `${m.id} v${m.version}`], [x.revision, String(r.revision)], [x.publishedAt, r.publishedAt],
    [x.contentHash, r.contentHash], [x.rounding_, x.rounding(p.rounding)],
    [x.licence, LICENCE[lang]], [x.citation, citation], [x.source, source],
  ];
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.addRow([]);
  for (const [k, v] of lines) {
    const row = ws.addRow([k, v]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    // The notices first and in colour: a reader must not take demo data or provisional numbers for real ones.
    if (k === x.notice || k === x.provisional) row.getCell(2).font = { bold: true, color: { argb: 'FFA3221B' } };
  }
}

function resultColumns(lang: Lang, d: number): Column[] {
  const x = PAGE_LABELS[lang].xlsx;
  return [
    { header: x.rank, width: 7, decimals: 0 }, { header: x.code, width: 10 }, { header: x.nameVi, width: 30 }, { header: x.nameEn, width: 30 },
    { header: x.region, width: 28 }, { header: x.index, width: 9, decimals: d }, { header: x.group, width: 7 }, { header: x.rankInRegion, width: 9, decimals: 0 },
    { header: x.ranked, width: 9 }, { header: x.changePoints, width: 11, decimals: d }, { header: x.changePlaces, width: 11, decimals: 0 }, { header: x.changeRule, width: 26 },
  ];
}

function resultCells(lang: Lang, p: Publication, r: ReportRow): Cell[] {
  const t = LABELS[lang], x = PAGE_LABELS[lang].xlsx;
  const region = r.region ? p.regions.get(r.region) : undefined;
  return [
    r.rank, r.unit, r.name.vi.normalize('NFC'), r.name.en, region ? nameIn(lang, region) : r.region,
    at(r.index, p.rounding), r.group, r.rankWithin.region ?? null, r.ranked ? x.yes : x.no,
    at(r.change?.indexChange, p.rounding), r.change?.rankChange ?? null, r.change ? (t.rules[r.change.rule] ?? r.change.rule) : null,
  ];
}

/** Per domain: points and % of maximum (points mode) or its value (weighted mode), and its rank. */
function domainColumns(lang: Lang, p: Publication): Column[] {
  const x = PAGE_LABELS[lang].xlsx;
  return [
    { header: x.code, width: 10 }, { header: x.nameVi, width: 30 },
    ...p.report.domains.flatMap((dm): Column[] => [
      { header: `${x.domainPoints(dm.code)}${dm.max !== null ? ` (${x.max.toLowerCase()} ${dm.max})` : ''}`, width: 14, decimals: p.rounding },
      ...(dm.max !== null ? [{ header: x.domainPercent(dm.code), width: 14, decimals: p.rounding }] : []),
      { header: x.domainRank(dm.code), width: 10, decimals: 0 },
    ]),
  ];
}

function domainCells(p: Publication, r: ReportRow): Cell[] {
  return [r.unit, r.name.vi.normalize('NFC'), ...p.report.domains.flatMap((dm) => {
    const n = r.nodes[dm.code];
    return [at(n?.points ?? n?.value, p.rounding), ...(dm.max !== null ? [at(n?.percent, p.rounding)] : []), n?.rank ?? null];
  })];
}

function leafColumns(lang: Lang, d: number): Column[] {
  const x = PAGE_LABELS[lang].xlsx;
  return [
    { header: x.code, width: 10 }, { header: x.nameVi, width: 30 }, { header: x.leaf, width: 12 }, { header: x.leafName, width: 44 },
    { header: x.max, width: 9, decimals: d }, { header: x.points, width: 9, decimals: d }, { header: x.lost, width: 11, decimals: d },
  ];
}

function leafCells(lang: Lang, p: Publication, r: ReportRow): Cell[][] {
  return p.report.leaves.map(({ code, name }) => {
    const n = r.nodes[code];
    const max = n?.max ?? null;
    const points = n?.points ?? n?.value ?? null;
    return [r.unit, r.name.vi.normalize('NFC'), code, nameIn(lang, name, code), at(max, p.rounding), at(points, p.rounding),
      max === null || points === null ? null : at(max - points, p.rounding)];
  });
}

function methodologyColumns(lang: Lang, d: number): Column[] {
  const x = PAGE_LABELS[lang].xlsx;
  return [
    { header: x.code, width: 10 }, { header: x.parent, width: 10 }, { header: x.depth, width: 6, decimals: 0 }, { header: x.name, width: 50 },
    { header: x.max, width: 9, decimals: d }, { header: x.sourceCol, width: 28 }, { header: x.ruleCol, width: 36 }, { header: x.status, width: 12 }, { header: x.note, width: 80 },
  ];
}

function methodologyCells(lang: Lang, m: CompiledMethodology): Cell[][] {
  const w = PAGE_LABELS[lang];
  return m.nodes.map((n) => {
    const leaf = n.children.length === 0;
    const source = n.sources[0];
    const pv = n.provenance;
    return [
      n.code, n.parent >= 0 ? m.nodes[n.parent].code : null, n.depth, nameIn(lang, n.name, n.code), Number.isFinite(n.max) ? n.max : null,
      leaf && source ? (w.sourceName[source] ?? source) : null, leaf && n.rule ? (w.ruleWords[n.rule.type] ?? n.rule.type) : null,
      pv ? (pv.status === 'provisional' ? w.provisionalWord : w.official) : null,
      pv ? (pv.status === 'provisional' ? pv.note ?? null : pv.document) : null,
    ];
  });
}
