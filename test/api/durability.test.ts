// What the store promises of an acknowledged write (issue 11 §6): on Node it was committed with
// synchronous = FULL (the WAL synced before the answer: it survives an OS crash, not only a killed
// process), caches staying NORMAL; on D1 it was one batch, D1's one transaction. And a stored
// methodology is identified by its content: the hash of its canonical JSON, whatever the key order.
import { beforeAll, describe, expect, it } from 'vitest';
import { beginRequest, d1Usage, openTestDatabase } from '#runtime';
import type { SqliteDriver } from '../../src/store/sqlite.js';
import { as, freshApp, json, post, put, runtime } from './harness.js';

// On Workers each request starts a new D1 invocation, counted apart (test/runtime/d1-limits.ts).
const perRequest = runtime === 'd1' ? { driver: async () => { beginRequest(); return (await openTestDatabase()).driver; } } : {};

let api: Awaited<ReturnType<typeof freshApp>>;
beforeAll(async () => { api = await freshApp(perRequest); });

const Y2023 = '/v1/cycles/2023/province';

/** A correction of the published 2023 cycle through the API: each write's status and D1 batches (null on Node). */
async function correctAndRepublish() {
  const steps: { write: string; status: number; batches: number | null }[] = [];
  const record = async (write: string, res: Response) => steps.push({ write, status: res.status, batches: d1Usage()?.batches ?? null });
  const score = (await json(await api.request(`${Y2023}/scores?limit=10000`))).scores
    .find((s: any) => s.source !== 'self' && typeof s.value === 'number' && s.value > 0);
  await record('correction', await api.request(`${Y2023}/status`, post({ status: 'correction', reason: 'durability test' })));
  await record('upload', await api.request(`${Y2023}/scores`, put({ scores: [{ unit: score.unit, indicator: score.indicator, source: score.source, value: 0, reason: 'durability test' }] })));
  expect((await api.request(`${Y2023}/results?revision=draft`, as())).status).toBe(200); // a results cache write
  await record('publication', await api.request(`${Y2023}/status`, post({ status: 'published', reason: 'durability test' })));
  await record('key', await api.request('/v1/api-keys', post({ role: 'appraiser', label: 'durability' })));
  return steps;
}

describe('an acknowledged write', () => {
  it.runIf(runtime === 'sqlite')('commits with synchronous = FULL; a cache write and the connection between writes stay NORMAL', async () => {
    const sqlite = (api.driver as SqliteDriver).sqlite;
    // Every acknowledged write is audited in its own transaction: the audit row sees the level the commit will use.
    sqlite.exec(`CREATE TEMP TABLE sync_seen (what TEXT, level INTEGER);
      CREATE TEMP TRIGGER seen_audit AFTER INSERT ON main.audit BEGIN INSERT INTO sync_seen SELECT NEW.action, synchronous FROM pragma_synchronous; END;
      CREATE TEMP TRIGGER seen_results AFTER INSERT ON main.results BEGIN INSERT INTO sync_seen SELECT 'results cache', synchronous FROM pragma_synchronous; END;`);
    const steps = await correctAndRepublish();
    expect(steps.map((s) => s.status)).toEqual([200, 200, 200, 201]);
    const seen = sqlite.prepare('SELECT what, level FROM sync_seen ORDER BY rowid').all();
    const FULL = 2, NORMAL = 1;
    expect(seen).toEqual(expect.arrayContaining([
      { what: 'cycle.status', level: FULL }, { what: 'scores.upsert', level: FULL }, { what: 'results cache', level: NORMAL },
      { what: 'cycle.publish', level: FULL },
    ]));
    expect(seen.filter((s: any) => s.what !== 'results cache').every((s: any) => s.level === FULL)).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(NORMAL);
  });

  it.runIf(runtime === 'd1')('is one D1 batch: one transaction, committed before the answer', async () => {
    const steps = await correctAndRepublish();
    expect(steps).toEqual([
      { write: 'correction', status: 200, batches: 1 }, { write: 'upload', status: 200, batches: 1 },
      { write: 'publication', status: 200, batches: 1 }, { write: 'key', status: 201, batches: 1 },
    ]);
  });
});

/** Canonical JSON written here independently of the service: keys sorted at every depth. */
const canonical = (v: unknown): string => (Array.isArray(v) ? `[${v.map(canonical).join(',')}]`
  : v !== null && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`
    : JSON.stringify(v));
const sha256 = async (text: string) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))]
  .map((b) => b.toString(16).padStart(2, '0')).join('');
/** The same document with every object's keys in reverse order. */
const reversed = (v: unknown): unknown => (Array.isArray(v) ? v.map(reversed)
  : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v);

describe('a methodology\'s content hash', () => {
  const doc = {
    id: 'hash-test', mode: 'points', missing: 'zero', unitType: 'province', total: 2, name: { vi: 'Thử', en: 'Test' },
    nodes: [{ code: 'R' }, { code: 'A', parent: 'R', max: 1, source: 'appraisal' }, { code: 'B', parent: 'R', max: 1, source: 'appraisal' }],
  };

  it('is the SHA-256 of the canonical JSON of the served document, seeded ones included', async () => {
    for (const id of ['par-province-2022']) {
      const served = await json(await api.request(`/v1/methodologies/${id}`));
      expect(served.contentHash).toBe(await sha256(canonical(served.document)));
    }
  });

  it('is the same for the same document with its keys in another order: posting it again is not a conflict', async () => {
    expect((await api.request('/v1/methodologies', post(doc))).status).toBe(201);
    const again = await api.request('/v1/methodologies', post(reversed(doc)));
    expect(again.status, await again.clone().text()).toBe(200);
    const served = await json(await api.request('/v1/methodologies/hash-test'));
    expect(served.contentHash).toBe(await sha256(canonical(doc)));
    const changed = await api.request('/v1/methodologies', post({ ...doc, total: 3, nodes: [...doc.nodes, { code: 'C', parent: 'R', max: 1, source: 'appraisal' }] }));
    expect(changed.status).toBe(409);
  });
});
