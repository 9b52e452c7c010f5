// Mutation testing (issue 12): `npm run mutate`. Node project only, one mutant at a time (two
// shared cores), per-test coverage so that each mutant runs only the tests that reach it, and
// incremental: a run re-tests only the mutants whose code or tests changed since the last one.
// One folder at a time: `npm run mutate -- --mutate 'src/engine/**/*.ts'`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The vitest runner as a path, so that the plugin is found wherever Stryker is installed.
const vitestRunner = (() => {
  try { return require.resolve('@stryker-mutator/vitest-runner'); } catch { return '@stryker-mutator/vitest-runner'; }
})();

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: [vitestRunner],
  vitest: { configFile: 'test/mutation/vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  concurrency: 1,
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  mutate: [
    'src/engine/**/*.ts',
    'src/http/auth.ts', 'src/http/permissions.ts', 'src/http/visibility.ts', 'src/http/csv.ts',
    'src/store/keys.ts', 'src/store/crypto.ts', 'src/store/workflow.ts',
  ],
  ignorePatterns: ['var', 'coverage', '.wrangler', 'dist', 'openapi/client'],
  tempDirName: 'var/stryker-tmp',
  cleanTempDir: 'always',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'var/mutation/report.html' },
  jsonReporter: { fileName: 'var/mutation/report.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 20_000,
};
