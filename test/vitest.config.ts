// Two projects run the API behaviour suite on both runtimes from the same files: `node`
// (better-sqlite3) and `workers` (D1 inside workerd). Engine tests run once, on Node.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const root = new URL('..', import.meta.url).pathname;
// CONTRACT_VALIDATION=report makes the contract check of test/api print its findings instead of
// failing (local runs only, to see every gap at once); unset, it is strict.
const provide = { contractReportOnly: process.env.CONTRACT_VALIDATION === 'report' };
const at = (path: string) => new URL(`../${path}`, import.meta.url).pathname;

export default defineConfig(async () => {
  const migrations = await readD1Migrations(at('schema/migrations'));
  return {
    test: {
      root,
      testTimeout: 60_000,
      hookTimeout: 60_000,
      projects: [
        {
          resolve: { alias: { '#runtime': at('test/runtime/node.ts') } },
          test: { name: 'node', root, include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000, provide },
        },
        {
          plugins: [cloudflareTest({
            main: at('src/worker.ts'),
            wrangler: { configPath: at('wrangler.toml') },
            miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
          })],
          resolve: { alias: { '#runtime': at('test/runtime/worker.ts') } },
          test: {
            name: 'workers', root, include: ['test/api/**/*.test.ts'], exclude: ['test/api/crash.test.ts', 'test/api/cli.test.ts', 'test/api/contract.test.ts', 'test/api/backup.test.ts', 'test/api/connections.test.ts', 'test/api/start.test.ts', 'test/api/shared-file.test.ts'],
            setupFiles: [at('test/runtime/worker-setup.ts')], testTimeout: 120_000, hookTimeout: 120_000, provide,
          },
        },
      ],
    },
  };
});
