// The budgets (src/engine/budgets.ts) beside what they admit: how compiling a methodology grows
// with its nodes (linear: the time per 1,000 nodes stays flat from 1k to 25k), and the time of the
// heaviest anonymous requests each budget allows, end to end through the app (validation,
// computation, JSON), each at the edge of one budget. Goal: a few hundred milliseconds each.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../src/catalog/index.js';
import { BUDGETS, compileMethodology, estimateAnswerBytes, unitsAssessedIn } from '../../src/engine/index.js';
import { createApp } from '../../src/http/app.js';
import { COMPUTE_BODY } from '../../src/http/routes/compute.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { seedIfEmpty } from '../../src/store/seed.js';
import { time } from './measure.js';
import { record } from './table.js';

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** Limits raised far above the budgets: the compiler itself is measured, not the budget check. */
const UNBOUNDED = { methodologyNodes: Number.MAX_SAFE_INTEGER, methodologyDepth: Number.MAX_SAFE_INTEGER };

/** A flat methodology: a root and `leaves` leaves of 1 point each. */
export function flatMethodology(leaves: number): ReturnType<typeof treeMethodology> {
  return {
    id: 'flat', mode: 'points' as const, missing: 'zero' as const,
    nodes: [{ code: 'R' }, ...Array.from({ length: leaves }, (_, i) => ({ code: `L${i}`, parent: 'R', max: 1 }))],
  };
}

/** A root, `domains` domains and `perDomain` leaves under each (1 + d + d·p nodes); leaves of 1 point. */
export function treeMethodology(domains: number, perDomain: number) {
  const nodes: { code: string; parent?: string; max?: number }[] = [{ code: 'R' }];
  for (let d = 0; d < domains; d++) {
    nodes.push({ code: `D${d}`, parent: 'R' });
    for (let l = 0; l < perDomain; l++) nodes.push({ code: `D${d}.${l}`, parent: `D${d}`, max: 1 });
  }
  return { id: 'tree', mode: 'points' as const, missing: 'zero' as const, nodes };
}

function benchCompile(): void {
  console.log('\nBudgets: compiling a flat methodology (root + n leaves), best of 3');
  const sizes = [1_000, 5_000, 20_000, 25_000];
  for (let i = 0; i < 20; i++) compileMethodology(flatMethodology(1_000), UNBOUNDED); // warm up: the first size is not charged for compiling the compiler
  const perThousand: number[] = [];
  for (const n of sizes) {
    const doc = flatMethodology(n);
    const ms = time(() => compileMethodology(doc, UNBOUNDED), 1, 3);
    perThousand.push(ms / (n / 1000));
    console.log(`  ${fmt(n)} leaves: ${fmt(ms, 1)} ms (${fmt(ms / (n / 1000), 2)} ms per 1,000 nodes)`);
  }
  console.log(`  growth: time per node at 25k / at 1k = ${fmt(perThousand[3] / perThousand[0], 2)}× (1 = linear; before issue 11, 20,000 leaves took 13 s: quadratic)`);
  const within = flatMethodology(BUDGETS.methodologyNodes - 1);
  console.log(`  at the budget (${fmt(BUDGETS.methodologyNodes)} nodes): ${fmt(time(() => compileMethodology(within), 1, 3), 1)} ms`);
}

export interface Case { label: string; path: string; body: unknown; status?: number }

/** `count` units with `regions` regions (each its own region when regions = count). */
function unitList(count: number, regions: number) {
  return Array.from({ length: count }, (_, u) => ({ code: `U${u}`, attributes: { region: `R${u % regions}` } }));
}

/** Scores for the first units of the list, every leaf, as many as fit beside the rest in `bytes` of JSON. */
function scoresFor(doc: ReturnType<typeof treeMethodology>, units: { code: string }[], bytes: number) {
  const leaves = doc.nodes.filter((n) => n.max !== undefined);
  const scores: { unit: string; indicator: string; value: number }[] = [];
  let size = JSON.stringify({ methodology: doc, units, uncertainty: { draws: BUDGETS.draws } }).length;
  for (const unit of units) {
    for (const [k, leaf] of leaves.entries()) {
      const score = { unit: unit.code, indicator: leaf.code, value: ((k * 7 + unit.code.length * 3) % 11) / 10 };
      size += JSON.stringify(score).length + 1;
      if (size > bytes) return scores;
      scores.push(score);
    }
  }
  return scores;
}

/** The heaviest compute requests each budget admits, one budget at its edge per case (for load tests too). */
export function computeCases(): Case[] {
  const body = COMPUTE_BODY - 16 * 1024; // the route's body limit, less a margin
  const cases: Case[] = [];
  const add = (label: string, doc: ReturnType<typeof treeMethodology>, units: ReturnType<typeof unitList>, draws?: number) => {
    const nodes = doc.nodes.length;
    cases.push({
      label: `${label}: ${fmt(units.length)} units × ${fmt(nodes)} nodes${draws ? ` × ${fmt(draws)} draws (inline uncertainty)` : ''}`,
      path: '/v1/compute',
      body: { methodology: doc, units, scores: scoresFor(doc, units, body), ...(draws && { uncertainty: { draws } }) },
    });
  };
  const perUnit = (nodes: number) => Math.floor(BUDGETS.cells / nodes);
  add('cells, a provincial tree', treeMethodology(9, 10), unitList(perUnit(100), 10));
  add('units', treeMethodology(1, 3), unitList(BUDGETS.computeUnits, 10));
  add('nodes', flatMethodology(BUDGETS.methodologyNodes - 1), unitList(perUnit(BUDGETS.methodologyNodes), 1));
  // draws × units at its edge (10,000 × 100), and draws × units × domains (20 domains)
  add('draws × units × domains', treeMethodology(BUDGETS.drawCells / BUDGETS.drawUnits, 4), unitList(BUDGETS.drawUnits / BUDGETS.draws, 10), BUDGETS.draws);
  add('draws × units, many units', flatMethodology(9), unitList(1_000, 10), BUDGETS.drawUnits / 1_000);
  add('draws × units × domains, flat', flatMethodology(BUDGETS.drawCells / BUDGETS.drawUnits * 10), unitList(100, 10), BUDGETS.draws / 10);
  // the refusal of a body full of bad rows: every row checked, the first errors listed
  const duplicate = { unit: 'U0', indicator: 'L0', value: 1 };
  const rows = Math.floor(body / (JSON.stringify(duplicate).length + 1));
  cases.push({ label: `refused: ${fmt(rows)} duplicate scores (422)`, path: '/v1/compute', status: 422, body: { methodology: flatMethodology(1), scores: Array.from({ length: rows }, () => duplicate) } });
  return cases;
}

/** Every heaviest anonymous request: inline computations, and analyses of the stored 2023 provincial cycle. */
export function heavyCases(): Case[] {
  const catalog = loadCatalog();
  const provinces = unitsAssessedIn(catalog.units.units, 'province', 2023).length;
  const leaves = catalog.methodologies.find((m) => m.methodology.id === 'par-province-2022')!;
  return [
    ...computeCases(),
    { label: `stored cycle: ${fmt(BUDGETS.draws)} draws × ${provinces} provinces × ${leaves.nodes.length} nodes (the documented use)`, path: '/v1/cycles/2023/province/uncertainty', body: { draws: BUDGETS.draws } },
    { label: `what-if: every leaf of a province changed (${leaves.leaves.length} changes)`, path: '/v1/cycles/2023/province/units/01/what-if', body: { changes: leaves.leaves.map((l) => ({ indicator: leaves.nodes[l].code, value: leaves.nodes[l].rule?.type === 'survey' ? { A: 1 } : 0 })) } },
  ];
}

async function benchRequests(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'par-bench-budgets-'));
  const driver = openSqlite(join(dir, 'bench.sqlite'));
  try {
    await seedIfEmpty(driver, loadCatalog());
    const app = createApp({ driver: () => driver, rateLimit: () => Number.MAX_SAFE_INTEGER });
    const cases = heavyCases();
    let slowest = 0;
    console.log('\nBudgets: the heaviest anonymous requests they admit, through the app (best of 3, body already in memory;');
    console.log(`  CPU: this process's CPU time, all threads, which other work on the machine does not inflate as much; load average now ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`);
    for (const c of cases) {
      const text = JSON.stringify(c.body);
      const send = async () => {
        const res = await app.request(c.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
        const answer = await res.text();
        if (res.status !== (c.status ?? 200)) throw new Error(`${c.label}: ${res.status} ${answer.slice(0, 300)}`);
        return answer.length;
      };
      let best = Infinity, bestCpu = Infinity, bytes = 0;
      for (let r = 0; r < 3; r++) {
        const started = performance.now(), cpu = process.cpuUsage();
        bytes = await send();
        const used = process.cpuUsage(cpu);
        best = Math.min(best, performance.now() - started);
        bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000);
      }
      slowest = Math.max(slowest, best);
      console.log(`  ${c.label}: ${fmt(best)} ms, CPU ${fmt(bestCpu)} ms (request ${fmt(text.length / 1024)} KiB, answer ${fmt(bytes / 1024 / 1024, 1)} MiB${estimated(c)})`);
    }
    record({ figure: 'budgets: the slowest request they admit', value: `${fmt(slowest)} ms`, floor: '—', target: '≤ 400 ms (README)', met: slowest <= 400 });
  } finally {
    driver.sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The answer's size as the budget estimated it, beside the real one. */
function estimated(c: Case): string {
  const body = c.body as { methodology?: unknown; units?: { code: string }[]; uncertainty?: unknown };
  if (!body.methodology || !body.units) return '';
  const bytes = estimateAnswerBytes(compileMethodology(body.methodology), body.units, body.uncertainty !== undefined);
  return `, estimated ${fmt(bytes / 1024 / 1024, 1)} MiB of ${BUDGETS.responseBytes / 1024 / 1024}`;
}

export async function benchBudgets(): Promise<void> {
  benchCompile();
  await benchRequests();
}
