// The suite Stryker runs for each mutant: Node only (the Worker project needs workerd, far too slow
// per mutant), and only the test files that speak to the mutated code (engine, access, workflow,
// formats), so that a mutant costs seconds, not the whole suite.
import { defineConfig } from 'vitest/config';

const at = (path: string) => new URL(`../../${path}`, import.meta.url).pathname;

export default defineConfig({
  resolve: { alias: { '#runtime': at('test/runtime/node.ts') } },
  test: {
    root: at(''),
    include: [
      'test/engine/**/*.test.ts',
      'test/api/{access-matrix,workflow,publication,csv,exports,analysis,bad-input,hardening,edges,service}.test.ts',
      'test/api/*-rule*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    provide: { contractReportOnly: false },
  },
});
