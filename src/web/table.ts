// The ranking table's query: sort by any column and filter by region, group and ranked/unranked,
// all in the query string (links and a GET form; no script). Filters and the columns the JSON
// route sorts by go through its own selectRows, so a page and …/results?sort= agree on the order.
import { ApiProblem } from '../http/problem.js';
import { selectRows } from '../http/present.js';
import type { CycleReport, ReportRow } from '../store/results.js';

/** Sorts the JSON route knows (present.ts selectRows), and the page's further columns. */
const JSON_SORTS = ['rank', 'index', 'unit', 'name', 'region'];
const PAGE_SORTS = ['group', 'change', 'places'];
/** The direction a column sorts in when first chosen: best first for numbers, A→Z for words. */
const DESCENDING_FIRST = new Set(['index', 'change', 'places']);

export interface RankingQuery {
  sort: string;
  region?: string;
  group?: string;
  /** 'true': ranked units only; 'false': unranked only; none: both (apart) */
  ranked?: 'true' | 'false';
}

const PARAMS = ['sort', 'region', 'group', 'ranked', 'revision'];

/** The page's query, checked: a value that names nothing is a 400 page (a typo must not look like an empty table). */
export function parseQuery(query: Record<string, string>, report: CycleReport, regions: ReadonlySet<string>): RankingQuery {
  // A GET form sends its empty choices ("all") as empty values: the same as not choosing.
  const given = (name: string) => (query[name] === undefined || query[name] === '' ? undefined : query[name]);
  const sort = given('sort') ?? 'rank';
  if (!isSort(sort, report)) throw invalid('sort', `No column ${sort} to sort by.`);
  const region = given('region');
  if (region !== undefined && !regions.has(region)) throw invalid('region', `No region ${region}.`);
  const group = given('group');
  if (group !== undefined && !(group in report.statistics.groups)) throw invalid('group', `No group ${group}.`);
  const ranked = given('ranked');
  if (ranked !== undefined && ranked !== 'true' && ranked !== 'false') throw invalid('ranked', 'ranked is true or false.');
  return { sort, region, group, ranked };
}

/** Query parameters the page reads; others (e.g. a campaign tag) are ignored, never echoed. */
export const knownParams = (query: Record<string, string>) => Object.fromEntries(PARAMS.flatMap((k) => (query[k] ? [[k, query[k]]] : [])));

function isSort(sort: string, report: CycleReport): boolean {
  const key = sort.replace(/^-/, '');
  return JSON_SORTS.includes(key) || PAGE_SORTS.includes(key) || (key.startsWith('d.') && report.domains.some((d) => `d.${d.code}` === key));
}

const invalid = (field: string, detail: string) => new ApiProblem('invalid-request', detail, [{ pointer: `/${field}`, field, message: detail }]);

/** The rows of the table, filtered and sorted: the JSON route's order for its columns, the same tie-break for the others. */
export function tableRows(report: CycleReport, q: RankingQuery): ReportRow[] {
  const key = q.sort.replace(/^-/, '');
  const rows = JSON_SORTS.includes(key)
    ? selectRows(report, { region: q.region, group: q.group, sort: q.sort })
    : sortBy(selectRows(report, { region: q.region, group: q.group }), columnValue(key), q.sort.startsWith('-'));
  return q.ranked === undefined ? rows : rows.filter((r) => String(r.ranked) === q.ranked);
}

/** A column's value for sorting; null sorts last in either direction. */
function columnValue(key: string): (r: ReportRow) => number | string | null {
  if (key === 'group') return (r) => r.group;
  if (key === 'change') return (r) => r.change?.indexChange ?? null;
  if (key === 'places') return (r) => r.change?.rankChange ?? null;
  const domain = key.slice(2);
  return (r) => r.nodes[domain]?.percent ?? r.nodes[domain]?.value ?? null;
}

function sortBy(rows: ReportRow[], value: (r: ReportRow) => number | string | null, desc: boolean): ReportRow[] {
  return [...rows].sort((a, b) => {
    const x = value(a), y = value(b);
    if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0) || a.unit.localeCompare(b.unit);
    const order = typeof x === 'string' ? x.localeCompare(y as string, 'vi') : x - (y as number);
    return (desc ? -order : order) || a.unit.localeCompare(b.unit);
  });
}

/** The sort a column heading links to: the other direction when it is the current sort, else its natural one. */
export function nextSort(column: string, current: string): string {
  if (current === column) return `-${column}`;
  if (current === `-${column}`) return column;
  return DESCENDING_FIRST.has(column) || column.startsWith('d.') ? `-${column}` : column;
}

/** A page's URL with the given query (empty values dropped, in a fixed order: one URL per view). */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = PARAMS.flatMap((k) => (query[k] ? [`${k}=${encodeURIComponent(query[k]!)}`] : []));
  return params.length ? `${path}?${params.join('&')}` : path;
}
