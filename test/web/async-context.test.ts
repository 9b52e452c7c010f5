// On Node, pages render without turning on async hooks (src/web/no-async-context.ts): once hono/jsx's
// AsyncLocalStorage has run, every later promise of the process is tracked, and each request pays
// for it. Seen from a promise callback: executionAsyncId() is 0 while no hook tracks promises.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Renders a JSX page in a fresh process, with or without the start's probe, and reports the async id a later promise runs in. */
function asyncIdAfterRender(probeFirst: boolean): number {
  const script = `
    import { jsx } from 'hono/jsx';
    import { executionAsyncId } from 'node:async_hooks';
    import { renderWithoutAsyncContext } from './src/web/no-async-context.ts';
    if (${probeFirst}) renderWithoutAsyncContext();
    const Later = async () => jsx('b', {}, 'sau');
    const page = String(await jsx('p', {}, 'Xếp hạng ', jsx(Later, {})).toString());
    if (page !== '<p>Xếp hạng <b>sau</b></p>') throw new Error(page);
    setTimeout(() => Promise.resolve().then(() => console.log(executionAsyncId())), 1);`;
  return Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }).trim());
}

describe('rendering pages on Node', () => {
  it('leaves promises untracked, with the same output', () => {
    expect(asyncIdAfterRender(true)).toBe(0);
    expect(asyncIdAfterRender(false)).toBeGreaterThan(0); // hono/jsx on its own: tracked from the first render
  });
});
