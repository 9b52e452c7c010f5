// Mutation testing (issue 12): `npm run mutate` (test/mutation/run.mjs) runs each group in turn
// and prints the score per folder. One group by hand:
//   PAR_MUTATE=scoring npx stryker run test/mutation/stryker.config.mjs
// Node project only, one mutant at a time (two shared cores), per-test coverage so that a mutant
// runs only the tests that reach it, and incremental: a run re-tests only the mutants whose code or
// tests changed since the last (test/mutation/incremental-<group>.json, committed).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The vitest runner by path when it is installed here, so that the plugin is found wherever Stryker runs from.
const vitestRunner = (() => {
  try { return require.resolve('@stryker-mutator/vitest-runner'); } catch { return '@stryker-mutator/vitest-runner'; }
})();

/** What each group mutates; its tests are SUITES[group] in vitest.config.ts. */
// The engine is three groups (each its own incremental file, so that they can be run and kept apart);
// together they are every file of src/engine.
const engine = (...names) => names.map((name) => `src/engine/${name}.ts`);
export const GROUPS = {
  methodology: engine('model', 'compile', 'tree', 'shape', 'units', 'index', 'errors', 'hygiene', 'budgets', 'normalise', 'methodology-table'),
  scoring: engine('scores', 'rules', 'results', 'compute', 'profile', 'aggregate', 'cost'),
  analysis: engine('uncertainty', 'change', 'whatif', 'statistics', 'rank', 'random', 'numbers'),
  // COINr's data treatment (issue 17): not yet measured.
  pipeline: engine('pipeline', 'denominate', 'impute', 'treat', 'moments', 'means', 'screen', 'panel', 'panel-scores', 'choices', 'choice-uncertainty', 'choice-cost', 'sensitivity'),
  // The API's rules, each group mutated under the narrowest suite that states them (SUITES in
  // vitest.config.ts): all of them under every API test would take 7–10 hours here.
  access: ['src/http/permissions.ts', 'src/http/visibility.ts'],
  keys: ['src/http/auth.ts', 'src/store/keys.ts', 'src/store/crypto.ts', 'src/http/key-writes.ts'],
  workflow: ['src/store/workflow.ts', 'src/http/score-writes.ts', 'src/http/cycle-writes.ts'],
  format: ['src/http/csv.ts'],
  workspace: ['src/web/workspace/session.ts', 'src/web/workspace/forms.ts'],
};

const group = process.env.PAR_MUTATE ?? 'methodology';
if (!(group in GROUPS)) throw new Error(`PAR_MUTATE=${group}: expected one of ${Object.keys(GROUPS).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: [vitestRunner],
  vitest: { configFile: 'test/mutation/vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level code: the zod schemas, constant tables) run every test of the group,
  // a minute each here: left out of the score and listed as ignored. Their rules are tested anyway.
  ignoreStatic: true,
  concurrency: 1,
  incremental: true,
  incrementalFile: `test/mutation/incremental-${group}.json`,
  mutate: GROUPS[group],
  ignorePatterns: ['var', 'coverage', '.wrangler', 'dist'],
  tempDirName: 'var/stryker-tmp',
  cleanTempDir: 'always',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `var/mutation/${group}.html` },
  jsonReporter: { fileName: `var/mutation/${group}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 20_000,
};
