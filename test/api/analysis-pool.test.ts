// Node's analysis threads (src/threads): the heavy routes answer the same through the pool as inline
// — results, problems with their pointers, engine errors — a full queue is 503 busy with
// Retry-After, and a thread that dies or runs past its time is replaced. (Workers run analyses
// inline: the workers project skips this file.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshApp, post, runtime } from './harness.js';

type Harness = Awaited<ReturnType<typeof freshApp>>;
type Pool = ReturnType<typeof import('../../src/threads/analysis-pool.js').analysisPool>;

const CYCLE = '/v1/cycles/2023/province';
const methodology = { id: 'pool', mode: 'points', missing: 'zero', nodes: [{ code: 'R' }, { code: 'a', parent: 'R', max: 1 }, { code: 'b', parent: 'R', max: 2 }] };
const REQUESTS: [string, string, unknown][] = [
  ['an inline computation with uncertainty', '/v1/compute', { methodology, scores: [{ unit: 'U1', indicator: 'a', value: 1 }, { unit: 'U2', indicator: 'b', value: 1.5 }], uncertainty: { draws: 50 } }],
  ['invalid scores (engine error)', '/v1/compute', { methodology, scores: [{ unit: 'U1', indicator: 'a', value: 5 }] }],
  ['a schema problem with its pointer', '/v1/compute', { methodology, scores: [{ unit: 'U1', indicator: 'a', value: 'x' }] }],
  ['an unknown key in the methodology', '/v1/compute', { methodology: { ...methodology, colour: 'red' }, scores: [] }],
  ['a budget', '/v1/compute', { methodology, scores: [], units: Array.from({ length: 20_000 }, (_, i) => ({ code: `U${i}` })) }],
  ['a stored cycle\'s uncertainty', `${CYCLE}/uncertainty`, { draws: 200, seed: 3 }],
  ['a what-if', `${CYCLE}/units/01/what-if`, { changes: [{ indicator: '1.1.1', value: 0 }] }],
  ['a what-if naming an unknown indicator', `${CYCLE}/units/01/what-if`, { changes: [{ indicator: 'nope', value: 0 }] }],
];

describe.runIf(runtime === 'sqlite')('analyses on threads (Node)', () => {
  let inline: Harness, pooled: Harness, pool: Pool, analysisPool: typeof import('../../src/threads/analysis-pool.js').analysisPool;
  beforeAll(async () => {
    ({ analysisPool } = await import('../../src/threads/analysis-pool.js'));
    pool = analysisPool({ threads: 1 });
    [inline, pooled] = await Promise.all([freshApp(), freshApp({ analyse: pool.run })]);
  });
  afterAll(async () => { await pool?.close(); });

  const answer = async (h: Harness, path: string, body: unknown) => {
    const res = await h.request(path, post(body, null));
    const parsed = JSON.parse(await res.text());
    // what differs between two databases seeded apart: times, hashes and request ids
    for (const key of ['cycle', 'revision', 'requestId']) delete parsed[key];
    return { status: res.status, body: parsed };
  };

  it.each(REQUESTS)('answers %s exactly as inline', async (_, path, body) => {
    const [a, b] = [await answer(inline, path, body), await answer(pooled, path, body)];
    expect(b).toEqual(a);
    expect(a.status === 200 || a.body.type?.startsWith('/problems/')).toBe(true);
  });

  it('refuses 503 busy with Retry-After when every thread is busy and the queue is full', async () => {
    const small = analysisPool({ threads: 1, queue: 0 });
    try {
      const h = await freshApp({ analyse: small.run });
      const heavy = { draws: 10_000 };
      const [first, second] = await Promise.all([h.request(`${CYCLE}/uncertainty`, post(heavy, null)), h.request(`${CYCLE}/uncertainty`, post(heavy, null))]);
      expect([first.status, second.status].sort()).toEqual([200, 503]);
      const refused = first.status === 503 ? first : second;
      expect(refused.headers.get('retry-after')).toBe('1');
      expect((await refused.json() as { type: string }).type).toBe('/problems/busy');
    } finally {
      await small.close();
    }
  });

  it('stops a task past its time with a 500, and starts a fresh thread for the next task', async () => {
    const slow = analysisPool({ threads: 1, timeoutMs: 1 });
    try {
      const h = await freshApp({ analyse: slow.run });
      // Each times out on its own thread: the second would wait forever on a thread never replaced.
      for (let i = 0; i < 2; i++) expect((await h.request(`${CYCLE}/uncertainty`, post({ draws: 10_000 }, null))).status).toBe(500);
    } finally {
      await slow.close();
    }
  });
});
