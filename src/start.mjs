// npm start: the Node service (src/node.ts) run as compiled JavaScript. Loading the app's
// TypeScript through tsx's loader at every start cost 2–4 s, most of it in the loader's hooks,
// not in compiling. So the entry and the analysis thread are bundled with esbuild (tsx's own copy:
// tsx is a dependency already) into var/build/, rebuilt here whenever a file they are built from
// is newer than the build, so `npm install && npm start` stays the whole set-up and the build
// never runs stale code. Packages are bundled too (resolving and reading some 200 module files cost
// about a third of the start), except a native one (better-sqlite3), one that starts worker threads
// from its own files (pino) and one loaded only when a workbook is asked for (exceljs).
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Two levels below the root, as src/<dir>/ is: the sources' relative URLs (migrations) resolve alike.
const OUT = join(ROOT, 'var', 'build');
const ENTRIES = { node: 'src/node.ts', 'analysis-thread': 'src/threads/analysis-thread.ts' };
/** What the build is made of: any change here rebuilds it. */
const SOURCES = ['src', 'schema', 'data', 'openapi/examples.json', 'package.json', 'tsconfig.json'];

/** The latest modification time under a file or folder, in ms (0 when it does not exist). */
function latest(path) {
  let stat;
  try { stat = statSync(path); } catch { return 0; }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, latest(join(path, name))), stat.mtimeMs);
}

function builtAt() {
  return Math.min(...Object.keys(ENTRIES).map((name) => latest(join(OUT, `${name}.mjs`)) || -1));
}

async function build() {
  // tsx's esbuild, the one that already compiles this code for the tests and tools.
  const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: OUT,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'pino', 'exceljs'],
    // Bundled CommonJS packages call require() for Node's own modules: an ES module has none of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(OUT, { recursive: true });
  // Written beside, then renamed: a start running at the same moment reads a whole file or the old one.
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

if (builtAt() < Math.max(...SOURCES.map((s) => latest(join(ROOT, s))))) await build();
await import(pathToFileURL(join(OUT, 'node.mjs')).href);
