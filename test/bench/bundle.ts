// The Worker bundle's size (wrangler deploy --dry-run), gzipped, against the 1 MiB goal.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { record } from './table.js';

export function benchBundle(): void {
  const dir = mkdtempSync(join(tmpdir(), 'par-worker-'));
  try {
    execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', dir], { stdio: 'ignore' });
    const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
    const raw = files.reduce((s, f) => s + readFileSync(join(dir, f)).length, 0);
    const gzipped = files.reduce((s, f) => s + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
    console.log(`\nWorker bundle: ${(raw / 1024).toFixed(0)} KiB, gzipped ${(gzipped / 1024).toFixed(0)} KiB = ${(gzipped / (1024 * 1024)).toFixed(2)} of the 1 MiB goal`);
    record({ figure: 'Worker bundle, gzipped', value: `${(gzipped / 1024).toFixed(0)} KiB`, floor: '—', ratio: gzipped / (1024 * 1024), target: '≤ 1 MiB', met: gzipped <= 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
