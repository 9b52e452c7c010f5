// A unit's strengths and weaknesses (domains and leaves furthest above and below the national and
// regional means), where it lost most since the last cycle, and its peers side by side.
import type { Change } from './change.js';
import { snap } from './numbers.js';
import { nodeMetric, type NodeResult } from './results.js';

interface Row { unit: string; rank: number | null; index: number | null; attributes: Record<string, string | null>; nodes: Record<string, NodeResult>; change?: Change | null }

export interface Gap { code: string; value: number; nationalMean: number; regionalMean: number | null; vsNational: number; vsRegion: number | null }

export interface Profile {
  unit: string;
  strengths: Gap[];
  weaknesses: Gap[];
  /** domains whose % of max (or value) fell most since the previous cycle */
  largestDrops: { code: string; change: number }[];
}

const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);

function mean(rows: Row[], code: string): number | null {
  const xs = rows.map((r) => nodeMetric(r.nodes[code])).filter((v): v is number => v !== null);
  return xs.length ? snap(xs.reduce((s, x) => s + x, 0) / xs.length) : null;
}

/** Gaps against the means for the given nodes (domains and leaves), the top `n` each way. */
export function profile(rows: Row[], unit: string, codes: string[], n = 5): Profile {
  const row = rows.find((r) => r.unit === unit);
  if (!row) throw new Error(`unit ${unit} not in rows`);
  const region = row.attributes.region ?? null;
  const peers = region ? rows.filter((r) => r.attributes.region === region) : [];
  const gaps = codes.filter((code) => nodeMetric(row.nodes[code]) !== null).map((code): Gap => {
    // The unit's own value is in both means, so neither is null here (regional: null without a region).
    const value = snap(nodeMetric(row.nodes[code])!);
    const national = mean(rows, code)!;
    const regional = mean(peers, code);
    // Means and differences of decimals carry binary noise (0.7000000000000002): snapped, as sums are.
    return { code, value, nationalMean: national, regionalMean: regional, vsNational: snap(value - national), vsRegion: regional === null ? null : snap(value - regional) };
  });
  // Largest gap first each way; ties by code (in both lists, so that a reversal cannot flip them).
  const strengths = gaps.filter((g) => g.vsNational > 0).sort((a, b) => b.vsNational - a.vsNational || byCode(a, b));
  const weaknesses = gaps.filter((g) => g.vsNational < 0).sort((a, b) => a.vsNational - b.vsNational || byCode(a, b));
  const drops = Object.entries(row.change?.domains ?? {})
    .filter(([, d]) => (d.change ?? 0) < 0)
    .map(([code, d]) => ({ code, change: d.change! }))
    .sort((a, b) => a.change - b.change || byCode(a, b));
  return { unit, strengths: strengths.slice(0, n), weaknesses: weaknesses.slice(0, n), largestDrops: drops };
}

/** The units ranked just above and below (`around` each way) and the unit's region, ordered by rank. */
export function peers<T extends Row>(rows: T[], unit: string, around = 2): { neighbours: T[]; region: T[] } {
  const ranked = rows.filter((r) => r.rank !== null).sort((a, b) => a.rank! - b.rank! || a.unit.localeCompare(b.unit));
  const at = ranked.findIndex((r) => r.unit === unit);
  const row = rows.find((r) => r.unit === unit);
  const region = row?.attributes.region;
  return {
    neighbours: at < 0 ? [] : ranked.slice(Math.max(0, at - around), at + around + 1),
    region: region ? ranked.filter((r) => r.attributes.region === region) : [],
  };
}
