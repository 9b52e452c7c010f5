// Engine speed beside its floor: a plain loop that sums the same leaf points per unit and sorts
// the totals. Measured side by side in one run; ratios hold where absolute numbers drift.
import { loadCatalog } from '../../src/catalog/index.js';
import { generateDemoScores } from '../../src/demo/generate.js';
import { competitionRanks, computeCycle, evaluate, prepareScores, rankUncertainty, unitsAssessedIn } from '../../src/engine/index.js';
import { report, time } from './measure.js';
import { record } from './table.js';

export function benchEngine(): void {
  const catalog = loadCatalog();
  const cycle = catalog.demo.cycles.find((c) => c.year === 2023 && c.unitType === 'province')!;
  const compiled = catalog.methodologies.find((m) => m.methodology.id === cycle.methodology)!;
  const units = unitsAssessedIn(catalog.units.units, 'province', 2023).map((u) => ({ code: u.code, attributes: { region: u.region } }));
  const scores = generateDemoScores(compiled, units.map((u) => u.code), cycle, catalog.demo.seed);
  const matrix = prepareScores(compiled, scores, units);
  const nLeaves = matrix.leafNodes.length;
  const nUnits = units.length;

  const floor = () => {
    const totals = new Float64Array(nUnits);
    for (let u = 0; u < nUnits; u++) {
      let sum = 0;
      for (let s = 0; s < nLeaves; s++) sum += matrix.values[u * nLeaves + s];
      totals[u] = sum;
    }
    return Array.from(totals.keys()).sort((a, b) => totals[b] - totals[a]);
  };
  const core = () => competitionRanks(evaluate(compiled, matrix).index);
  const full = () => computeCycle({ methodology: compiled, scores, units });

  console.log(`\nEngine: one cycle = ${nUnits} provinces × ${nLeaves} leaves (${scores.length} scores, ${compiled.nodes.length} nodes)`);
  const [coreMs, floorMs] = [time(core, 1000) / 1000, time(floor, 1000) / 1000];
  const coreRatio = report('one cycle (mean of 1,000): engine core (every node evaluated + competition ranks)', coreMs, floorMs, 'floor');
  record({ figure: `engine core, ${nUnits} × ${nLeaves}`, value: `${(coreMs * 1000).toFixed(0)} µs`, floor: `${(floorMs * 1000).toFixed(0)} µs (a loop + sort)`, ratio: coreRatio, target: '≤ 5×', met: coreRatio <= 5 });
  report('10,000 cycles: engine core', time(core, 10_000), time(floor, 10_000), 'floor');
  const f = time(floor, 1000);
  report('1,000 cycles: engine end to end from score objects (validate, rules, results, statistics)', time(full, 1000), f, 'floor');

  const evaluation = evaluate(compiled, matrix);
  const draws = () => rankUncertainty(compiled, matrix.units, evaluation, { draws: 10_000, perturbation: 0.2, distribution: 'uniform', seed: 7 });
  const mc = time(draws, 1, 3);
  console.log(`  rank uncertainty, 10,000 draws over ${nUnits} provinces: ${mc.toFixed(0)} ms (goal ≤ 1,000 ms) = ${(mc / 1000).toFixed(2)} of the goal`);
  record({ figure: `10,000 uncertainty draws, ${nUnits} units`, value: `${mc.toFixed(0)} ms`, floor: '—', target: '≤ 1,000 ms', met: mc <= 1000 });
}
