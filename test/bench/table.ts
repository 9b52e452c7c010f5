// The summary every part of `npm run bench` adds to: one row per figure, printed as one table at
// the end of the run (figure, floor, ratio, target, met), with the machine's load beside it.
import { cpus, loadavg } from 'node:os';

export interface Row {
  figure: string;
  /** the measured value, with its unit */
  value: string;
  /** what it is measured against, with its unit; '—' for an absolute target */
  floor: string;
  /** value ÷ floor (or the value in the target's unit); undefined when there is none */
  ratio?: number;
  target: string;
  /** undefined for a figure shown beside the targets, with none of its own */
  met?: boolean;
}

const rows: Row[] = [];

export function record(row: Row): void {
  rows.push(row);
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');

/** The table of every figure recorded in this run, in a Markdown table (it pastes into the README). */
export function printTable(): void {
  if (rows.length === 0) return;
  console.log(`\nSummary (${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores, Node ${process.versions.node}, load average ${load()} at the end)`);
  const cells = rows.map((r) => [r.figure, r.value, r.floor, r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`, r.target, r.met === undefined ? '' : r.met ? 'met' : 'NOT met']);
  const header = ['figure', 'measured', 'floor', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}

export const loadAverage = load;
