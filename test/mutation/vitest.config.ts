// The suites Stryker runs for each mutant, Node only (the Worker project needs workerd, far too slow
// per mutant). One per group of mutated code (PAR_MUTATE, see stryker.config.mjs): the engine is
// mutated under the engine tests alone (the API tests build a seeded app in beforeAll, which runs
// most of the engine: with them, every engine mutant would run every test). The API's rules are
// mutated each under the narrowest suite that states them: every API rules test for every rules
// file was 1,135 mutants and 7–10 hours here; split, each group runs well under an hour.
import { defineConfig } from 'vitest/config';

const at = (path: string) => new URL(`../../${path}`, import.meta.url).pathname;

export const SUITES: Record<string, string[]> = {
  methodology: ['test/engine/**/*.test.ts'],
  pipeline: ['test/engine/**/*.test.ts'],
  scoring: ['test/engine/**/*.test.ts'],
  analysis: ['test/engine/**/*.test.ts'],
  access: ['test/api/{access-matrix,publication}.test.ts', 'test/api/rules-access.test.ts', 'test/api/rules-access-roles.test.ts'],
  keys: ['test/api/rules-access-{keys,crypto,roles}.test.ts', 'test/api/rules-access.test.ts'],
  // The rules files state every workflow rule (phases, review before publication, the hash, stale
  // reads, revisions, score writes); the cycle walk-through and publication scenarios restate them
  // at 3 minutes per surviving mutant here.
  workflow: ['test/api/rules-workflow*.test.ts', 'test/api/rules-access.test.ts'],
  format: ['test/api/{csv,rules-csv,rules-csv-io}.test.ts'],
  workspace: ['test/api/{workspace,rules-workspace-session}.test.ts'],
};

const group = process.env.PAR_MUTATE ?? 'methodology';

export default defineConfig({
  resolve: { alias: { '#runtime': at('test/runtime/node.ts') } },
  test: {
    root: at(''),
    include: SUITES[group] ?? SUITES.methodology,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    provide: { contractReportOnly: false },
  },
});
