// A cycle report as the API shows it: JSON rows with each domain, or the same table as CSV with
// display rounding. Serialised once per data version and query, not once per request.
// CSV columns are the JSON paths joined with dots (csv.ts): one vocabulary for both.
import { snap } from '../engine/numbers.js';
import type { CycleReport, ReportRow } from '../store/results.js';
import type { FrozenScore } from '../store/workflow.js';
import { csvTable, csvwMetadata, type CsvColumn, type CsvProvenance } from './csv.js';

export { contentDisposition, type CsvProvenance } from './csv.js';

export interface ResultQuery { region?: string; group?: string; sort?: string }

/** Where a unit lost points: each sub-criterion's max − points, largest first, ties by code (scorecard and profile). */
export function lostPoints(report: CycleReport, row: ReportRow) {
  return report.leaves.map(({ code, name }) => {
    const n = row.nodes[code];
    return { indicator: code, name, points: n?.points ?? null, max: n?.max ?? 0, lost: snap((n?.max ?? 0) - (n?.points ?? 0)) };
  }).filter((x) => x.lost > 0).sort((a, b) => b.lost - a.lost || a.indicator.localeCompare(b.indicator));
}

export function resultRow(report: CycleReport, r: ReportRow) {
  return {
    unit: { code: r.unit, name: r.name, region: r.region },
    index: r.index, rank: r.rank, rankInRegion: r.rankWithin.region ?? null, group: r.group, ranked: r.ranked,
    missing: r.missing, imputed: r.imputed,
    domains: Object.fromEntries(report.domains.map((d) => [d.code, r.nodes[d.code]])),
    change: r.change,
  };
}

export function selectRows(report: CycleReport, q: ResultQuery): ReportRow[] {
  const rows = report.rows.filter((r) => (!q.region || r.region === q.region) && (!q.group || r.group === q.group));
  const sort = q.sort ?? 'rank';
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  const value = (r: ReportRow): number | string => key === 'index' ? r.index ?? -Infinity
    : key === 'unit' ? r.unit : key === 'name' ? r.name.vi : key === 'region' ? r.region ?? '' : r.rank ?? Number.MAX_SAFE_INTEGER;
  return [...rows].sort((a, b) => {
    const x = value(a), y = value(b);
    const order = typeof x === 'string' ? x.localeCompare(y as string, 'vi') : x - (y as number);
    return (desc ? -order : order) || a.unit.localeCompare(b.unit);
  });
}

/** The results table's CSV columns: the JSON row's paths, each domain's named in Vietnamese and English. */
export function resultColumns(report: CycleReport): CsvColumn[] {
  const col = (path: string[], datatype: CsvColumn['datatype'], description: string): CsvColumn => ({ path, datatype, description });
  return [
    col(['rank'], 'integer', 'competition rank (1, 2, 2, 4); empty when not ranked'),
    col(['unit', 'code'], 'string', 'unit code'),
    col(['unit', 'name', 'vi'], 'string', 'unit name in Vietnamese'),
    col(['unit', 'name', 'en'], 'string', 'unit name in English'),
    col(['unit', 'region'], 'string', 'region code'),
    col(['index'], 'decimal', 'index points, rounded for display'),
    col(['group'], 'string', 'group of the index'),
    col(['rankInRegion'], 'integer', 'rank within the unit\'s region'),
    col(['ranked'], 'boolean', 'false: the unit is assessed but not ranked'),
    col(['missing'], 'integer', 'sub-criteria without data'),
    col(['imputed'], 'integer', 'sub-criteria imputed'),
    ...report.domains.flatMap((d) => domainColumns(d)),
    col(['change', 'indexChange'], 'decimal', 'index points since the previous cycle, rounded for display'),
    col(['change', 'rankChange'], 'integer', 'places moved since the previous cycle, against the restated rank; positive = moved up'),
    col(['change', 'restatedRank'], 'integer', 'the previous cycle re-ranked on the current units through lineage: this unit\'s place in it'),
    col(['change', 'rankRule'], 'string', 'how the rank change was measured: same-units, restated-on-current-units, not-restatable'),
    col(['change', 'rule'], 'string', 'how the previous cycle was matched: same-unit, mean-of-predecessors, weighted-mean-of-predecessors, no-lineage'),
  ];
}

/** A domain's columns: points, percent of its maximum and rank (points mode), or value and rank (weighted mode). */
function domainColumns(d: CycleReport['domains'][number]): CsvColumn[] {
  const parts: [string, CsvColumn['datatype'], string, string, string][] = d.max === null
    ? [['value', 'decimal', 'giá trị', 'value', 'normalised value, rounded for display']]
    : [['points', 'decimal', 'điểm', 'points', `index points of at most ${d.max}, rounded for display`],
      ['percent', 'decimal', '% điểm tối đa', '% of maximum', 'percent of the domain\'s maximum, rounded for display']];
  parts.push(['rank', 'integer', 'thứ hạng', 'rank', 'rank on this domain']);
  return parts.map(([field, datatype, vi, en, description]) => ({
    path: ['domains', d.code, field], datatype, description: `domain ${d.code}: ${description}`,
    ...(d.name && { titles: { vi: `${d.name.vi}: ${vi}`, en: `${d.name.en}: ${en}` } }),
  }));
}

/** The results table as CSV, numbers rounded to the methodology's display rounding (cycle.methodology.rounding). */
export function resultsCsv(report: CycleReport, q: ResultQuery, provenance: CsvProvenance): string {
  return csvTable(resultColumns(report), selectRows(report, q).map((r) => resultRow(report, r)), provenance.cycle.methodology.rounding);
}

/** The CSVW metadata of the results CSV at csvUrl (relative to the metadata document, or absolute). */
export function resultsCsvMetadata(report: CycleReport, provenance: CsvProvenance, csvUrl: string) {
  return csvwMetadata({ title: 'results', csvUrl, columns: resultColumns(report), primaryKey: ['unit.code'], provenance });
}

export const SCORE_CSV_COLUMNS: CsvColumn[] = [
  { path: ['unit'], datatype: 'string', description: 'unit code' },
  { path: ['indicator'], datatype: 'string', description: 'sub-criterion code' },
  { path: ['source'], datatype: 'string', description: 'self, appraisal, survey …' },
  { path: ['value'], datatype: 'json', description: 'as uploaded: a number, or survey answers per option as a JSON object; empty = no data' },
  { path: ['points'], datatype: 'double', description: 'index points the value earns, full precision' },
  { path: ['note'], datatype: 'string', description: 'note; for a self-assessment without evidence, why there is none' },
  { path: ['evidence'], datatype: 'string', description: 'reference to the evidence document (tài liệu kiểm chứng)' },
  { path: ['updatedAt'], datatype: 'datetime', description: 'when the score last changed (UTC)' },
  { path: ['updatedBy'], datatype: 'string', description: 'role of the last writer (admin, appraiser, unit, system); the key id only in a draft read by an admin' },
];

/** A cycle's scores as CSV: the JSON names, values exactly as stored (no display rounding: this is data). */
export function scoresCsv(rows: readonly FrozenScore[]): string {
  return csvTable(SCORE_CSV_COLUMNS, rows, 0);
}

export function scoresCsvMetadata(provenance: CsvProvenance, csvUrl: string) {
  return csvwMetadata({ title: 'scores', csvUrl, columns: SCORE_CSV_COLUMNS, primaryKey: ['unit', 'indicator', 'source'], provenance });
}
