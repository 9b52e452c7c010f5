// Timing helpers for benchmarks: warm up, then take the best of a few repetitions.
export function time(fn: () => unknown, runs: number, repetitions = 5): number {
  for (let i = 0; i < Math.min(runs, 200); i++) fn();
  let best = Infinity;
  for (let r = 0; r < repetitions; r++) {
    const start = performance.now();
    for (let i = 0; i < runs; i++) fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

export function report(label: string, ms: number, baselineMs: number, baselineName: string): number {
  console.log(`  ${label}: ${ms.toFixed(2)} ms vs ${baselineName} ${baselineMs.toFixed(2)} ms → ${(ms / baselineMs).toFixed(2)}×`);
  return ms / baselineMs;
}
