// What the map colours and how: the measure chosen in the query string (?by=group, index or d.N),
// each unit's value, and the classes of the legend with their counts.
import { ApiProblem } from '../http/problem.js';
import type { CycleReport, ReportRow } from '../store/results.js';
import { groupColour } from './charts.js';
import { num, type Lang } from './i18n.js';

export type MapBy = { kind: 'group' } | { kind: 'index' } | { kind: 'domain'; code: string };

/** Sequential blues (ColorBrewer, colour-blind safe), light = low; a class count picks an even spread. */
const BLUES = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
export const NO_DATA = '#d9d9d9';

/** ?by=group (default), index, or d.<domain code>; anything else is a 400, as the JSON routes answer. */
export function parseBy(raw: string | undefined, report: CycleReport): MapBy {
  if (!raw || raw === 'group') return { kind: 'group' };
  if (raw === 'index') return { kind: 'index' };
  const code = raw.startsWith('d.') ? raw.slice(2) : '';
  if (report.domains.some((d) => d.code === code)) return { kind: 'domain', code };
  throw new ApiProblem('invalid-request', `by must be group, index or d.<domain code> (${report.domains.map((d) => `d.${d.code}`).join(', ')}).`);
}

export const byParam = (by: MapBy) => (by.kind === 'domain' ? `d.${by.code}` : by.kind);

/** The number a unit is coloured by: its index, or its domain as % of maximum (value in weighted mode). */
export function valueOf(row: ReportRow, by: MapBy): number | null {
  if (by.kind === 'index') return row.index;
  if (by.kind === 'domain') return row.nodes[by.code]?.percent ?? row.nodes[by.code]?.value ?? null;
  return null;
}

export interface MapClass { key: string; label: string; colour: string; count: number }
export interface Classified { classes: MapClass[]; classOf: Map<string, MapClass> }

/** The legend's classes, best first, each with the number of units in it; no data apart. */
export function classify(rows: ReportRow[], by: MapBy, report: CycleReport, lang: Lang, rounding: number, noData: string): Classified {
  const classOf = new Map<string, MapClass>();
  const none: MapClass = { key: 'none', label: noData, colour: NO_DATA, count: 0 };
  let classes: MapClass[];
  if (by.kind === 'group') {
    const groups = Object.keys(report.statistics.groups);
    classes = groups.map((g) => ({ key: g, label: g, colour: groupColour(groups, g), count: 0 }));
    for (const r of rows) classOf.set(r.unit, classes.find((c) => c.key === r.group) ?? none);
  } else {
    const valued = rows.flatMap((r) => { const v = valueOf(r, by); return v === null ? [] : [{ unit: r.unit, v }]; }).sort((a, b) => a.v - b.v);
    const bins = quantileBins(valued.map((x) => x.v), BLUES.length);
    classes = bins.map((b, i) => ({
      key: `q${i + 1}`, count: 0,
      label: `${num(lang, b.min, rounding)} – ${num(lang, b.max, rounding)}`,
      colour: BLUES[Math.round((i * (BLUES.length - 1)) / Math.max(1, bins.length - 1))],
    }));
    for (const r of rows) classOf.set(r.unit, none);
    for (const x of valued) classOf.set(x.unit, classes[bins.findIndex((b) => x.v <= b.max)]);
    classes.reverse();
  }
  for (const c of classOf.values()) c.count++;
  return { classes: none.count > 0 ? [...classes, none] : classes, classOf };
}

/** Up to k classes holding about as many values each (sorted ascending); equal values never split. */
function quantileBins(sorted: number[], k: number): { min: number; max: number }[] {
  const bins: { min: number; max: number }[] = [];
  let start = 0;
  for (let i = 1; i <= k && start < sorted.length; i++) {
    let end = Math.max(start + 1, Math.round((i * sorted.length) / k));
    while (end < sorted.length && sorted[end] === sorted[end - 1]) end++;
    if (i === k) end = sorted.length;
    bins.push({ min: sorted[start], max: sorted[end - 1] });
    start = end;
  }
  return bins;
}
