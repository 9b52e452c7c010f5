// What the home page shows: for each unit type, its latest publication and the mean of the
// publication before it, read through the same publication() as every page (publications only).
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { viewFor } from '../http/visibility.js';
import type { CycleRow } from '../store/cycles.js';
import type { ReportRow } from '../store/results.js';
import { publication, type Publication } from './data.js';

export interface Latest {
  p: Publication;
  /**
   * The previous published cycle of the type: its year, mean index, and whether it assessed the same
   * units (not so across the 2025 mergers: 63 provinces then, 34 now). Null when none.
   */
  previous: { year: number; mean: number | null; sameUnits: boolean } | null;
}

/** Provinces first, then ministries, then any other type: the order the home page lists them. */
export const typeOrder = (a: string, b: string) =>
  (a === 'province' ? 0 : a === 'ministry' ? 1 : 2) - (b === 'province' ? 0 : b === 'ministry' ? 1 : 2) || a.localeCompare(b);

export async function latestPublications(c: Context<AppEnv>, published: CycleRow[]): Promise<Latest[]> {
  const types = [...new Set(published.map((x) => x.unitType))].sort(typeOrder);
  const out: Latest[] = [];
  for (const type of types) {
    const cycles = published.filter((x) => x.unitType === type).sort((a, b) => b.year - a.year);
    const p = await publication(c, String(cycles[0].year), type, undefined);
    const before = cycles[1];
    const view = before ? await viewFor(c, before) : undefined;
    const previous = before && view?.kind === 'revision' ? {
      year: before.year, mean: view.frozen.report.statistics.index.mean, sameUnits: sameUnits(p.report.rows, view.frozen.report.rows),
    } : null;
    out.push({ p, previous });
  }
  return out;
}

const sameUnits = (a: ReportRow[], b: ReportRow[]) => a.length === b.length && new Set([...a, ...b].map((r) => r.unit)).size === a.length;

/**
 * The change of the mean index since the previous cycle, like for like: the difference of the two
 * means when the same units were assessed; across a change of units (mergers), the mean of the
 * units' own changes, each measured by the change rule (a merged unit against its predecessors).
 */
export function meanChange(p: Publication, previous: NonNullable<Latest['previous']>): number | null {
  const mean = p.report.statistics.index.mean;
  if (previous.sameUnits) return mean === null || previous.mean === null ? null : mean - previous.mean;
  const changes = p.report.rows.filter((r) => r.ranked && r.change?.indexChange != null).map((r) => r.change!.indexChange!);
  return changes.length === 0 ? null : changes.reduce((a, b) => a + b, 0) / changes.length;
}

/** The n largest rises and falls of the index since the previous cycle (ties by code). */
export function movers(rows: ReportRow[], n: number): { risers: ReportRow[]; fallers: ReportRow[] } {
  const changed = rows.filter((r) => r.ranked && r.change?.indexChange != null);
  const by = (sign: 1 | -1) => [...changed].sort((a, b) => sign * (b.change!.indexChange! - a.change!.indexChange!) || a.unit.localeCompare(b.unit));
  return {
    risers: by(1).filter((r) => r.change!.indexChange! > 0).slice(0, n),
    fallers: by(-1).filter((r) => r.change!.indexChange! < 0).slice(0, n),
  };
}
