// API key rules (issue 12), each in the test named after it: a key is shown once and only the
// SHA-256 of its secret is kept; issuing and revoking are audited, naming the key and its issuer; a
// revocation is recorded once and takes effect at once; a key names a unit exactly when its role is
// unit, and that unit exists; only an admin issues or revokes; the answers never carry a hash.
// (Keys do not expire: a key is valid until it is revoked.)
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkKey, createKey, isKeyShaped, keyById } from '../../src/store/keys.js';
import { ADMIN_TOKEN, as, freshApp, json, post } from './harness.js';

type Api = Awaited<ReturnType<typeof freshApp>>;

describe('a key is shown once; only the SHA-256 of its secret is kept', () => {
  // The app is built once; each test issues its own key inside the test, so that Stryker's per-test
  // coverage sees the issuing code run by the test that checks it (not by a hook).
  let api: Api;
  beforeAll(async () => { api = await freshApp(); });
  const issue = async () => {
    const res = await api.request('/v1/api-keys', post({ role: 'unit', unit: '01', label: 'Sở Nội vụ' }));
    expect(res.status).toBe(201);
    return json(res);
  };

  it('is par_<10-character id>_<43-character secret>, named by its id', async () => {
    const issued = await issue();
    const m = /^par_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/.exec(issued.key);
    expect(m).not.toBeNull();
    expect(issued).toMatchObject({ id: m![1], role: 'unit', unit: '01', label: 'Sở Nội vụ', createdBy: 'env-admin', revokedAt: null });
  });

  it('stores the hash of the secret, never the key, and lists keys without either', async () => {
    const issued = await issue();
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
    const issued = await issue();
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

/** What a refused key write leaves: the keys and the audit, counted (on Workers the database is shared by the file). */
const tally = async (api: Api) => (await api.sql<{ keys: number; audit: number }>('select (select count(*) from api_keys) keys, (select count(*) from audit) audit'))[0];
const ISSUED_FIELDS = ['createdAt', 'createdBy', 'id', 'key', 'label', 'revokedAt', 'role', 'unit'];

describe('a key names a unit exactly when its role is unit, and that unit exists', () => {
  let api: Api;
  beforeAll(async () => { api = await freshApp(); });

  /** The problem a refused issue answers, after checking that it stored nothing. */
  const refused = async (body: unknown) => {
    const before = await tally(api);
    const res = await api.request('/v1/api-keys', post(body));
    const problem = await json(res);
    expect([res.status, problem.type]).toEqual([422, '/problems/validation-failed']);
    expect(await tally(api)).toEqual(before);
    return problem;
  };

  it('refuses a unit key without its unit: 422 at /unit, "required for role unit", nothing stored', async () => {
    const p = await refused({ role: 'unit', label: 'Sở Nội vụ' });
    expect([p.detail, p.errors]).toEqual(['A unit key names its unit; other roles do not.', [{ pointer: '/unit', field: 'unit', message: 'required for role unit' }]]);
  });

  it('refuses an appraiser or admin key that names a unit: "only for role unit", nothing stored', async () => {
    for (const role of ['appraiser', 'admin']) {
      const p = await refused({ role, unit: '01' });
      expect([p.detail, p.errors], role).toEqual(['A unit key names its unit; other roles do not.', [{ pointer: '/unit', field: 'unit', message: 'only for role unit' }]]);
    }
  });

  it('refuses a unit key for a unit that does not exist: "No unit 99.", nothing stored', async () => {
    const p = await refused({ role: 'unit', unit: '99' });
    expect([p.detail, p.errors]).toEqual(['No unit 99.', [{ pointer: '/unit', field: 'unit', message: 'unknown unit' }]]);
  });

  it('issues an appraiser and an admin key with no unit and no label: both null, the answer the key and its public fields only', async () => {
    for (const role of ['appraiser', 'admin']) {
      const res = await api.request('/v1/api-keys', post({ role }));
      expect(res.status, role).toBe(201);
      const issued = await json(res);
      expect(Object.keys(issued).sort(), role).toEqual(ISSUED_FIELDS);
      expect(issued, role).toMatchObject({ role, unit: null, label: null, createdBy: 'env-admin', revokedAt: null });
      expect(await checkKey(api.driver, issued.key), role).toMatchObject({ ok: true, row: { id: issued.id, role, unit: null } });
    }
  });

  it('issues a unit key for a unit that exists, the unit in its row and its audit', async () => {
    const issued = await json(await api.request('/v1/api-keys', post({ role: 'unit', unit: '08-2025' })));
    expect(issued).toMatchObject({ role: 'unit', unit: '08-2025', label: null });
    const [entry] = await api.sql<{ unit: string; after: string }>(`select unit, after from audit where action = 'api-key.create' and after like '%${issued.id}%'`);
    expect([entry.unit, JSON.parse(entry.after)]).toEqual(['08-2025', { id: issued.id, role: 'unit', unit: '08-2025', label: null }]);
  });
});

describe('only an admin issues or revokes keys, and the audit names the admin\'s key', () => {
  let api: Api;
  beforeAll(async () => { api = await freshApp(); });
  const issue = async (body: unknown, key?: string) => json(await api.request('/v1/api-keys', post(body, key)));
  const revoke = (id: string, key: string | null) => api.request(`/v1/api-keys/${id}`, key === null ? { method: 'DELETE' } : as({ method: 'DELETE' }, key));

  it('a stored admin key issues and revokes; createdBy and both audit entries name its id', async () => {
    const admin = await issue({ role: 'admin' });
    const issued = await issue({ role: 'unit', unit: '01' }, admin.key);
    expect(issued.createdBy).toBe(admin.id);
    expect((await revoke(issued.id, admin.key)).status).toBe(200);
    const entries = await api.sql<{ action: string; actor_key: string; actor_role: string; unit: string }>(`select action, actor_key, actor_role, unit from audit where (action = 'api-key.create' and after like '%${issued.id}%') or (action = 'api-key.revoke' and before like '%${issued.id}%') order by id`);
    expect(entries).toEqual([
      { action: 'api-key.create', actor_key: admin.id, actor_role: 'admin', unit: '01' },
      { action: 'api-key.revoke', actor_key: admin.id, actor_role: 'admin', unit: '01' },
    ]);
  });

  it('refuses an appraiser and a unit key both (403, naming the role needed), storing nothing and leaving the key valid', async () => {
    const target = await issue({ role: 'appraiser' });
    for (const holder of [await issue({ role: 'appraiser' }), await issue({ role: 'unit', unit: '01' })]) {
      const before = await tally(api);
      for (const res of [await api.request('/v1/api-keys', post({ role: 'admin' }, holder.key)), await revoke(target.id, holder.key)]) {
        const p = await json(res);
        expect([res.status, p.detail], holder.role).toEqual([403, `This needs the role admin; your key has the role ${holder.role}.`]);
      }
      expect(await tally(api)).toEqual(before);
    }
    expect(await checkKey(api.driver, target.key)).toMatchObject({ ok: true });
  });

  it('refuses the public (401 with a Bearer challenge) while its reads stay open', async () => {
    const target = await issue({ role: 'appraiser' });
    const before = await tally(api);
    for (const res of [await api.request('/v1/api-keys', post({ role: 'admin' }, null)), await revoke(target.id, null)]) {
      expect([res.status, (await json(res)).detail, res.headers.get('www-authenticate')])
        .toEqual([401, 'This needs an API key: Authorization: Bearer <key>.', 'Bearer realm="par-index"']);
    }
    expect(await tally(api)).toEqual(before);
    expect(await checkKey(api.driver, target.key)).toMatchObject({ ok: true });
    expect((await api.request('/v1/units/01')).status).toBe(200);
  });

  it('answers a revocation with the key as now stored: its public fields, no key and no hash', async () => {
    const target = await issue({ role: 'unit', unit: '01', label: 'Sở Tư pháp' });
    const res = await revoke(target.id, ADMIN_TOKEN);
    const revoked = await json(res);
    expect(Object.keys(revoked).sort()).toEqual(ISSUED_FIELDS.filter((f) => f !== 'key'));
    const { key: _, ...fields } = target;
    expect(revoked).toEqual({ ...fields, revokedAt: revoked.revokedAt });
    expect(revoked.revokedAt).not.toBeNull();
  });
});

describe('a stored key is checked by its id and its own secret', () => {
  let api: Api;
  beforeAll(async () => { api = await freshApp(); });

  it('says why a token is refused: malformed, unknown (no such id, or another secret), revoked', async () => {
    const { key, id } = await json(await api.request('/v1/api-keys', post({ role: 'appraiser' })));
    const otherSecret = `par_${id}_${'A'.repeat(43)}`;
    expect(await checkKey(api.driver, 'par_short')).toEqual({ ok: false, reason: 'malformed' });
    expect(await checkKey(api.driver, otherSecret)).toEqual({ ok: false, reason: 'unknown' });
    expect(await checkKey(api.driver, `par_zzzzzzzzz0_${key.slice(-43)}`)).toEqual({ ok: false, reason: 'unknown' });
    await api.request(`/v1/api-keys/${id}`, as({ method: 'DELETE' }));
    expect(await checkKey(api.driver, key)).toEqual({ ok: false, reason: 'revoked' });
    // a revoked key with another secret is unknown, not revoked: the answer tells nothing of the id without its secret
    expect(await checkKey(api.driver, otherSecret)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('finds a key\'s row by its id, revoked or not (a workspace session is checked against it), and nothing for an unknown id', async () => {
    const { id } = await json(await api.request('/v1/api-keys', post({ role: 'unit', unit: '01' })));
    expect(await keyById(api.driver, id)).toMatchObject({ id, role: 'unit', unit: '01', revokedAt: null });
    await api.request(`/v1/api-keys/${id}`, as({ method: 'DELETE' }));
    expect((await keyById(api.driver, id))?.revokedAt).toEqual(expect.any(String));
    expect(await keyById(api.driver, 'zzzzzzzzz0')).toBeUndefined();
  });
});
