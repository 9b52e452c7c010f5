// npm run bench [part …]: every benchmark of the project (or the parts named: engine, compute,
// ingest, bundle, budgets, load, served, scale, memory, start, sensitivity, sheets), figures and ratios side by
// side, then one table of every figure with its floor, ratio and target (table.ts).
import { benchEngine } from './engine.js';
import { benchCompute } from './compute.js';
import { benchServiceIngest } from './service.js';
import { benchBundle } from './bundle.js';
import { benchBudgets } from './budgets.js';
import { benchLoad } from './load.js';
import { benchServed } from './served.js';
import { benchScale } from './scale.js';
import { benchMemory } from './memory.js';
import { benchStart } from './start.js';
import { benchSensitivity } from './sensitivity.js';
import { printTable } from './table.js';

const parts: Record<string, () => void | Promise<void>> = {
  engine: benchEngine,
  compute: benchCompute,
  ingest: benchServiceIngest,
  bundle: benchBundle,
  budgets: benchBudgets,
  load: benchLoad,
  served: benchServed,
  sensitivity: benchSensitivity,
  sheets: async () => (await import('./sheets.js')).benchSheets(),
  scale: benchScale,
  memory: benchMemory,
  start: benchStart,
};
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in parts));
if (unknown.length) throw new Error(`unknown bench part(s) ${unknown.join(', ')}; parts: ${Object.keys(parts).join(', ')}`);
try {
  for (const [name, run] of Object.entries(parts)) if (asked.length === 0 || asked.includes(name)) await run();
} finally {
  printTable(); // what was measured, even when a part failed
}
