// A cycle report as the API shows it: JSON rows with each domain, or the same table as CSV with
// display rounding. Serialised once per data version and query, not once per request.
import type { CycleReport, ReportRow } from '../store/results.js';
import { presentCycle } from './cycle-context.js';
import { rounded, toCsv } from './csv.js';

export interface ResultQuery { region?: string; group?: string; sort?: string }

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

export function resultsJson(report: CycleReport, q: ResultQuery, cycle: Parameters<typeof presentCycle>[0], revision: unknown): string {
  return JSON.stringify({
    cycle: presentCycle(cycle), revision,
    ...(cycle.synthetic && { notice: 'SYNTHETIC demo data: generated from a fixed seed, not real PAR INDEX scores.' }),
    domains: report.domains,
    results: selectRows(report, q).map((r) => resultRow(report, r)),
    statistics: report.statistics,
    computedAt: report.computedAt,
  });
}

export function resultsCsv(report: CycleReport, q: ResultQuery, decimals: number): string {
  const header = ['rank', 'unit', 'name_vi', 'name_en', 'region', 'index', 'group', 'rank_in_region',
    ...report.domains.flatMap((d) => [`d${d.code}_points`, `d${d.code}_percent`, `d${d.code}_rank`]),
    'index_change', 'rank_change', 'change_rule'];
  const rows = selectRows(report, q).map((r) => [
    r.rank ?? '', r.unit, r.name.vi, r.name.en, r.region ?? '', rounded(r.index, decimals), r.group ?? '', r.rankWithin.region ?? '',
    ...report.domains.flatMap((d) => {
      const n = r.nodes[d.code];
      return [rounded(n?.points ?? n?.value, decimals), rounded(n?.percent, decimals), n?.rank ?? ''];
    }),
    rounded(r.change?.indexChange, decimals), r.change?.rankChange ?? '', r.change?.rule ?? '',
  ]);
  return toCsv(header, rows);
}
