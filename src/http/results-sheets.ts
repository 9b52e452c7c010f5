// The results of a cycle as XLSX: one sheet per level (the index and domains; the sub-criteria)
// and the publication's metadata. Numbers are stored as numbers at the methodology's display
// rounding (the same rounding as results.csv), with a number format showing exactly those places;
// headers in Vietnamese by default, English on request.
import type { provenance as provenanceOf } from './cycle-context.js';
import { columnName, rounded } from './csv.js';
import { resultColumns, resultRow, selectRows, type ResultQuery } from './present.js';
import type { CycleReport } from '../store/results.js';

type Lang = 'vi' | 'en';
type Provenance = Awaited<ReturnType<typeof provenanceOf>>;

export const RESULT_SHEETS = {
  index: { vi: 'chỉ số và lĩnh vực', en: 'index and domains' },
  leaves: { vi: 'tiêu chí thành phần', en: 'sub-criteria' },
  metadata: { vi: 'thông tin', en: 'metadata' },
} as const;

/** Titles of the results table's columns that are not a domain's (those carry their own names). */
const TITLES: Record<string, [string, string]> = {
  rank: ['xếp hạng', 'rank'], 'unit.code': ['mã đơn vị', 'unit code'], 'unit.name.vi': ['tên đơn vị', 'unit name (vi)'],
  'unit.name.en': ['tên đơn vị (tiếng Anh)', 'unit name (en)'], 'unit.region': ['vùng', 'region'], index: ['chỉ số', 'index'],
  group: ['nhóm', 'group'], rankInRegion: ['xếp hạng trong vùng', 'rank in region'], ranked: ['được xếp hạng', 'ranked'],
  missing: ['thiếu dữ liệu', 'missing'], imputed: ['ước tính', 'imputed'], 'change.indexChange': ['thay đổi chỉ số', 'index change'],
  'change.rankChange': ['thay đổi thứ hạng', 'rank change'], 'change.restatedRank': ['thứ hạng kỳ trước (tính lại)', 'restated previous rank'],
  'change.rankRule': ['cách so thứ hạng', 'rank rule'], 'change.rule': ['cách so với kỳ trước', 'change rule'],
};

const LEAF_COLUMNS: [string, string][] = [['mã đơn vị', 'unit code'], ['tên đơn vị', 'unit name'], ['mã tiêu chí', 'indicator'], ['tiêu chí thành phần', 'sub-criterion'], ['điểm', 'points'], ['điểm tối đa', 'maximum']];

const lookup = (row: object, path: string[]) => path.reduce<unknown>((v, k) => (v === null || typeof v !== 'object' ? undefined : (v as Record<string, unknown>)[k]), row);

export async function resultsXlsx(report: CycleReport, q: ResultQuery, p: Provenance, lang: Lang): Promise<Uint8Array<ArrayBuffer>> {
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  Object.assign(book, { creator: 'PAR INDEX', created: new Date(0), modified: new Date(0) });
  const decimals = p.cycle.methodology.rounding;
  const format = decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0';
  const display = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? Number(rounded(x, decimals)) : null);
  const k = lang === 'vi' ? 0 : 1;
  const rows = selectRows(report, q);

  const columns = resultColumns(report);
  const index = book.addWorksheet(RESULT_SHEETS.index[lang], { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
  index.addRow(columns.map((c) => c.titles?.[lang] ?? TITLES[columnName(c)]?.[k] ?? columnName(c)));
  for (const r of rows.map((x) => resultRow(report, x))) {
    index.addRow(columns.map((c) => {
      const v = lookup(r, c.path);
      return c.datatype === 'decimal' ? display(v) : v === undefined ? null : v;
    }));
  }
  columns.forEach((c, i) => { const col = index.getColumn(i + 1); col.width = c.path[0] === 'unit' && c.path[1] === 'name' ? 24 : 12; if (c.datatype === 'decimal') col.numFmt = format; });

  const leaves = book.addWorksheet(RESULT_SHEETS.leaves[lang], { views: [{ state: 'frozen', ySplit: 1 }] });
  leaves.addRow(LEAF_COLUMNS.map((c) => c[k]));
  for (const r of rows) {
    for (const leaf of report.leaves) {
      const n = r.nodes[leaf.code];
      leaves.addRow([r.unit, r.name[lang], leaf.code, leaf.name?.[lang] ?? null, display(n?.points), n?.max ?? null]);
    }
  }
  leaves.getColumn(5).numFmt = format;
  [10, 24, 10, 40, 10, 10].forEach((w, i) => { leaves.getColumn(i + 1).width = w; });

  const meta = book.addWorksheet(RESULT_SHEETS.metadata[lang]);
  meta.columns = [{ width: 28 }, { width: 80 }];
  meta.addRows(metadataRows(report, p, lang));
  for (const ws of [index, leaves]) ws.getRow(1).font = { bold: true };
  return new Uint8Array(await book.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}

function metadataRows(report: CycleReport, p: Provenance, lang: Lang): [string, string | number][] {
  const vi = lang === 'vi';
  const r = p.revision;
  const m = p.cycle.methodology;
  const rows: [string, string | number | null | undefined][] = [
    [vi ? 'kỳ đánh giá' : 'cycle', `${p.cycle.year} ${p.cycle.unitType}`],
    [vi ? 'trạng thái' : 'status', p.cycle.status],
    [vi ? 'phương pháp' : 'methodology', `${m.id} v${m.version}`],
    [vi ? 'làm tròn (chữ số thập phân)' : 'rounding (decimals)', m.rounding],
    [vi ? 'lần công bố' : 'revision', r.kind === 'publication' ? r.revision : (vi ? 'bản nháp' : 'draft')],
    [vi ? 'mã băm nội dung' : 'content hash', r.kind === 'publication' ? r.contentHash : null],
    [vi ? 'ngày công bố' : 'published at', r.kind === 'publication' ? r.publishedAt : null],
    [vi ? 'số quyết định' : 'decision number', r.kind === 'publication' ? r.decision?.number : null],
    [vi ? 'ngày quyết định' : 'decision date', r.kind === 'publication' ? r.decision?.date : null],
    [vi ? 'tính lúc' : 'computed at', report.computedAt],
    [vi ? 'lưu ý' : 'notice', p.notice],
  ];
  return rows.filter((x): x is [string, string | number] => x[1] !== null && x[1] !== undefined);
}
