// What a computation will cost, known before it runs: its units, units × nodes (every cell is a
// number computed and sent), draws × units (× domains) for the uncertainty analysis, and the size
// of the answer, estimated from the units, the nodes and the length of their codes. Each is
// checked against its budget (budgets.ts), so that a request too large is refused in microseconds
// instead of holding the server for seconds and answering 500 "Invalid string length".
import { BUDGETS, within, type Limits } from './budgets.js';
import type { CompiledMethodology } from './compile.js';
import { MAX_PAIRS } from './uncertainty.js';

/** A unit as a computation is asked for it (code and attributes, which the answer repeats). */
export interface UnitAsked { code: string; attributes?: Record<string, string | null> }

// Bytes of JSON, upper estimates of what results.ts and statistics.ts write (numbers at 9 decimals):
/** one node of one unit, its code aside: {"points":33.333333333,"max":12.5,"percent":66.666666667,"rank":63,"missing":0,"imputed":0}, */
const CELL_BYTES = 104;
/** one unit, its code, attributes and nodes aside: index, rank, group, rankWithin, ranked, missing, imputed */
const UNIT_BYTES = 220;
/** one statistics summary (n, mean, median, sd, min, max, q1, q3), its key aside */
const SUMMARY_BYTES = 200;
/** one unit of the uncertainty analysis, its code aside; one pair, its codes aside */
const UNCERTAINTY_UNIT_BYTES = 100;
const PAIR_BYTES = 10;

/** Checks a computation's budgets (units, units × nodes, the answer's size) before it runs. */
export function checkComputeBudget(c: CompiledMethodology, units: UnitAsked[], limits: Partial<Limits> = BUDGETS): void {
  const nodes = c.nodes.length;
  within('computeUnits', units.length, 'units in the computation', ['units'], limits);
  within('cells', units.length * nodes, `units × methodology nodes (${units.length.toLocaleString('en')} × ${nodes.toLocaleString('en')})`, [], limits);
}

/**
 * Checks an uncertainty analysis's budgets before it runs: draws, draws × units (every draw ranks
 * every unit) and draws × units × domains (every draw recombines every unit's domains, and the
 * sensitivity of each domain reads every rank). The rest of the tree is evaluated once, whatever
 * the draws: its cost is the computation's (units × nodes), not the analysis's.
 */
export function checkUncertaintyBudget(c: CompiledMethodology, units: number, draws: number, path: (string | number)[] = ['draws'], limits: Partial<Limits> = BUDGETS): void {
  const domains = c.nodes[0].children.length;
  const x = (n: number) => n.toLocaleString('en');
  within('draws', draws, 'Monte Carlo draws', path, limits);
  within('drawUnits', draws * units, `draws × units (${x(draws)} × ${x(units)})`, path, limits);
  within('drawCells', draws * units * domains, `draws × units × domains (${x(draws)} × ${x(units)} × ${x(domains)})`, path, limits);
}

/** Checks the estimated size of the answer (results, statistics and, with draws, the uncertainty analysis). */
export function checkAnswerBudget(c: CompiledMethodology, units: UnitAsked[], withUncertainty: boolean, limits: Partial<Limits> = BUDGETS): void {
  within('responseBytes', estimateAnswerBytes(c, units, withUncertainty), 'estimated bytes of the answer', [], limits);
}

/**
 * An upper estimate of the bytes of a computation's JSON answer, in time linear in units + nodes:
 * every unit carries every node (code and numbers); statistics carry the index and every domain,
 * overall and per region; the uncertainty analysis a line per unit and at most MAX_PAIRS pairs.
 */
export function estimateAnswerBytes(c: CompiledMethodology, units: UnitAsked[], withUncertainty = false): number {
  let perUnit = UNIT_BYTES;
  for (const node of c.nodes) perUnit += jsonBytes(node.code) + CELL_BYTES;
  const domains = c.nodes[0].children;
  let summaries = SUMMARY_BYTES;
  for (const d of domains) summaries += jsonBytes(c.nodes[d].code) + SUMMARY_BYTES;
  const regions = new Set<string>();
  let bytes = summaries, longestCode = 0;
  for (const unit of units) {
    bytes += perUnit + jsonBytes(unit.code);
    longestCode = Math.max(longestCode, jsonBytes(unit.code));
    for (const [key, value] of Object.entries(unit.attributes ?? {})) bytes += jsonBytes(key) + (value === null ? 5 : jsonBytes(value));
    const region = unit.attributes?.region;
    if (region != null && !regions.has(region)) {
      regions.add(region);
      bytes += jsonBytes(region) + summaries;
    }
  }
  if (withUncertainty) {
    const n = units.length;
    bytes += n * (UNCERTAINTY_UNIT_BYTES + longestCode) + Math.min(MAX_PAIRS, (n * (n - 1)) / 2) * (PAIR_BYTES + 2 * longestCode)
      + domains.length * SUMMARY_BYTES;
  }
  return bytes;
}

/** Bytes of a string as a JSON string in UTF-8, quotes and a separator included (escapes aside: control characters are refused). */
function jsonBytes(s: string): number {
  let bytes = 4;
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    bytes += unit < 0x80 ? (unit === 0x22 || unit === 0x5c ? 2 : 1) : unit < 0x800 ? 2 : unit >= 0xd800 && unit <= 0xdfff ? 2 : 3;
  }
  return bytes;
}
