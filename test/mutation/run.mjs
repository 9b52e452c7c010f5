// `npm run mutate`: each group of test/mutation/stryker.config.mjs in turn (the engine's three, then
// access, keys, workflow, format and workspace), then the mutation score per folder from their JSON reports.
// Arguments are passed to Stryker (e.g. `npm run mutate -- --mutate src/engine/rank.ts`);
// PAR_MUTATE=analysis runs one group.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GROUPS } from './stryker.config.mjs';

// A new engine file must join a group: otherwise it would never be mutated and the score would not say so.
const grouped = new Set(Object.values(GROUPS).flat());
const ungrouped = readdirSync('src/engine').filter((name) => name.endsWith('.ts') && !grouped.has(`src/engine/${name}`));
if (ungrouped.length) {
  console.error(`src/engine files in no mutation group (test/mutation/stryker.config.mjs): ${ungrouped.join(', ')}`);
  process.exit(1);
}
// Outside the engine, the rules issue 12 asks to mutate: each must stay in a group, and each file a
// group names must exist (a file renamed would otherwise silently leave the mutated set).
const RULES = [
  'src/http/auth.ts', 'src/http/permissions.ts', 'src/http/visibility.ts', 'src/http/csv.ts', 'src/http/score-writes.ts',
  'src/http/key-writes.ts', 'src/http/cycle-writes.ts',
  'src/store/keys.ts', 'src/store/crypto.ts', 'src/store/workflow.ts',
  'src/web/workspace/session.ts', 'src/web/workspace/forms.ts',
];
const missing = [...RULES.filter((file) => !grouped.has(file)), ...[...grouped].filter((file) => !existsSync(file)).map((file) => `${file} (no such file)`)];
if (missing.length) {
  console.error(`files not in any mutation group (test/mutation/stryker.config.mjs): ${missing.join(', ')}`);
  process.exit(1);
}

const groups = process.env.PAR_MUTATE ? [process.env.PAR_MUTATE] : Object.keys(GROUPS);
const stryker = process.env.STRYKER_BIN ?? 'stryker';
for (const group of groups) {
  const run = spawnSync(stryker, ['run', 'test/mutation/stryker.config.mjs', ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, PAR_MUTATE: group } });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

/** Killed (and timed out) over valid mutants, per folder: Stryker's "mutation score". */
const folders = new Map();
for (const group of Object.keys(GROUPS)) {
  const report = `var/mutation/${group}.json`;
  if (!existsSync(report)) continue;
  for (const [file, { mutants }] of Object.entries(JSON.parse(readFileSync(report, 'utf8')).files)) {
    const f = folders.get(dirname(file)) ?? { killed: 0, survived: 0, noCoverage: 0, ignored: 0 };
    for (const m of mutants) {
      if (m.status === 'Killed' || m.status === 'Timeout') f.killed++;
      else if (m.status === 'Survived') f.survived++;
      else if (m.status === 'NoCoverage') f.noCoverage++;
      else if (m.status === 'Ignored') f.ignored++;
    }
    folders.set(dirname(file), f);
  }
}
console.log('\nfolder                 score   killed  survived  no coverage  ignored (static or marked equivalent)');
for (const [folder, f] of [...folders].sort()) {
  const valid = f.killed + f.survived + f.noCoverage;
  const score = valid ? ((100 * f.killed) / valid).toFixed(1) : 'n/a';
  console.log(`${folder.padEnd(22)} ${String(score).padStart(5)} % ${String(f.killed).padStart(7)} ${String(f.survived).padStart(9)} ${String(f.noCoverage).padStart(12)} ${String(f.ignored).padStart(8)}`);
}
