// npm run bench [part …]: every benchmark of the project (or the parts named: engine, ingest,
// results, bundle, budgets, load, served), figures and ratios side by side.
import { benchEngine } from './engine.js';
import { benchServiceIngest, benchServiceResults } from './service.js';
import { benchBundle } from './bundle.js';
import { benchBudgets } from './budgets.js';
import { benchLoad } from './load.js';
import { benchServed } from './served.js';

const parts: Record<string, () => void | Promise<void>> = {
  engine: benchEngine,
  ingest: benchServiceIngest,
  results: benchServiceResults,
  bundle: benchBundle,
  budgets: benchBudgets,
  load: benchLoad,
  served: benchServed,
  sensitivity: (await import('./sensitivity.js')).benchSensitivity,
  sheets: async () => (await import('./sheets.js')).benchSheets(),
};
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in parts));
if (unknown.length) throw new Error(`unknown bench part(s) ${unknown.join(', ')}; parts: ${Object.keys(parts).join(', ')}`);
for (const [name, run] of Object.entries(parts)) if (asked.length === 0 || asked.includes(name)) await run();
