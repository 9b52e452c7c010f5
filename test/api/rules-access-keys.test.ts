// API key rules (issue 12), each in the test named after it: a key is shown once and only the
// SHA-256 of its secret is kept; issuing and revoking are audited; a revocation is recorded once and
// takes effect at once; a unit key is refused what belongs to other units.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkKey, createKey, isKeyShaped } from '../../src/store/keys.js';
import { as, freshApp, json, post } from './harness.js';

type Api = Awaited<ReturnType<typeof freshApp>>;

describe('a key is shown once; only the SHA-256 of its secret is kept', () => {
  let api: Api;
  let issued: any;
  beforeAll(async () => {
    api = await freshApp();
    const res = await api.request('/v1/api-keys', post({ role: 'unit', unit: '01', label: 'Sở Nội vụ' }));
    expect(res.status).toBe(201);
    issued = await json(res);
  });

  it('is par_<10-character id>_<43-character secret>, named by its id', () => {
    const m = /^par_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/.exec(issued.key);
    expect(m).not.toBeNull();
    expect(issued).toMatchObject({ id: m![1], role: 'unit', unit: '01', label: 'Sở Nội vụ', createdBy: 'env-admin', revokedAt: null });
  });

  it('stores the hash of the secret, never the key, and lists keys without either', async () => {
    const secret = issued.key.slice('par_'.length + 11);
    const [stored] = await api.sql<{ secret_hash: string }>(`select secret_hash from api_keys where id = '${issued.id}'`);
    expect(stored.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    const listed = (await json(await api.request('/v1/api-keys', as()))).keys;
    const mine = listed.find((k: any) => k.id === issued.id);
    expect(mine).toMatchObject({ id: issued.id, role: 'unit', unit: '01' });
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(JSON.stringify(listed)).not.toContain(stored.secret_hash);
  });

  it('is audited as issued, by whom, for which unit, without its secret', async () => {
    const entries = await api.sql<{ action: string; unit: string; actor_key: string; after: string }>(`select action, unit, actor_key, after from audit where action like 'api-key.%' and after like '%${issued.id}%'`);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'api-key.create', unit: '01', actor_key: 'env-admin' });
    expect(JSON.parse(entries[0].after)).toEqual({ id: issued.id, role: 'unit', unit: '01', label: 'Sở Nội vụ' });
  });
});

describe('a revocation takes effect at once and is recorded once', () => {
  it('refuses the key from then on; revoking again changes nothing; an unknown id is 404', async () => {
    const api = await freshApp();
    const { key, id } = await json(await api.request('/v1/api-keys', post({ role: 'appraiser' })));
    expect((await api.request('/v1/api-keys', as({}, key))).status).toBe(403); // authenticated, not an admin
    const first = await api.request(`/v1/api-keys/${id}`, as({ method: 'DELETE' }));
    expect(first.status).toBe(200);
    const revoked = await json(first);
    expect(revoked).toMatchObject({ id, role: 'appraiser' });
    expect(Date.parse(revoked.revokedAt)).not.toBeNaN();
    expect((await api.request('/v1/api-keys', as({}, key))).status).toBe(401);
    const again = await json(await api.request(`/v1/api-keys/${id}`, as({ method: 'DELETE' })));
    expect(again.revokedAt).toBe(revoked.revokedAt);
    const entries = await api.sql<{ before: string; after: string }>(`select before, after from audit where action = 'api-key.revoke' and before like '%${id}%'`);
    expect(entries.map((e) => [JSON.parse(e.before), JSON.parse(e.after)])).toEqual([[{ id, revokedAt: null }, { id, revokedAt: revoked.revokedAt }]]);
    const unknown = await api.request('/v1/api-keys/abc123xyz0', as({ method: 'DELETE' }));
    expect([unknown.status, (await json(unknown)).detail]).toEqual([404, 'No key abc123xyz0.']);
  });
});

describe('every issued key has the shape a key is checked against', () => {
  it('holds for 150 keys (about 4 % of ids lose two or more of 11 characters to - and _, and must be padded)', async () => {
    const api = await freshApp();
    const ctx = { actorKey: 'env-admin', actorRole: 'admin', requestId: 'key-shape-test' };
    for (let i = 0; i < 150; i++) {
      const { key, row } = await createKey(api.driver, ctx, 'appraiser', null, null);
      expect(isKeyShaped(key), key).toBe(true);
      expect(row.id).toMatch(/^[a-z0-9]{10}$/);
      expect(key.startsWith(`par_${row.id}_`)).toBe(true);
      if (i % 50 === 0) expect(await checkKey(api.driver, key)).toMatchObject({ ok: true, row: { id: row.id, role: 'appraiser' } });
    }
  });
});
