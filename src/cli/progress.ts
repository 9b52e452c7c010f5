// Progress on stderr: a redrawn bar on a terminal, plain lines elsewhere (CI logs, files), nothing
// with --quiet. stdout is left to the command's answer, so that it can be piped.

export interface Progress {
  start(label: string, total?: number): void;
  update(done: number): void;
  finish(summary: string): void;
}

export interface ProgressSink { isTTY?: boolean; columns?: number; write(text: string): unknown }

const BAR_WIDTH = 24;
const REDRAW_MS = 80;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = n / 1024;
  let u = 0;
  while (value >= 1024 && u < units.length - 1) { value /= 1024; u++; }
  return `${value.toFixed(1)} ${units[u]}`;
}

export function progressOn(sink: ProgressSink, quiet: boolean): Progress {
  if (quiet) return { start() {}, update() {}, finish() {} };
  return sink.isTTY ? terminalBar(sink) : plainLines(sink);
}

/** One line when the work starts, one when it ends: readable in a log, no control characters. */
function plainLines(sink: ProgressSink): Progress {
  return {
    start: (label, total) => { sink.write(`${label}${total === undefined ? '' : ` (${formatBytes(total)})`}\n`); },
    update: () => {},
    finish: (summary) => { sink.write(`${summary}\n`); },
  };
}

/** A bar redrawn in place (carriage return, erase to the end of line), at most every 80 ms. */
function terminalBar(sink: ProgressSink): Progress {
  let label = '';
  let total: number | undefined;
  let drawnAt = 0;
  const draw = (done: number) => {
    const known = total !== undefined && total > 0;
    const share = known ? Math.min(1, done / total!) : 0;
    const filled = Math.round(share * BAR_WIDTH);
    const bar = known ? `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ` : '';
    const line = `${label} ${bar}${formatBytes(done)}${known ? ` / ${formatBytes(total!)}` : ''}`;
    sink.write(`\r${line.slice(0, Math.max(20, (sink.columns || 80) - 1))}\x1b[K`);
  };
  return {
    start: (l, t) => { label = l; total = t; drawnAt = 0; draw(0); },
    update: (done) => {
      const now = Date.now();
      if (now - drawnAt < REDRAW_MS && done !== total) return;
      drawnAt = now;
      draw(done);
    },
    finish: (summary) => { sink.write(`\r${summary}\x1b[K\n`); },
  };
}
