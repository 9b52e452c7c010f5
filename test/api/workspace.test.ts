// The workspace's sign-in, session and anti-forgery rules (issue 14), on both runtimes: the key is
// exchanged for a signed session cookie (HttpOnly, SameSite=Strict, expiring, Secure over HTTPS)
// that never holds the key, ends with sign-out or with its key's revocation, and never authenticates
// the JSON API; a form posted from another site is refused and changes nothing; what a person may do
// in each cycle is what the API allows the same key.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, as, freshApp, json, post, runtime } from './harness.js';

let app: Awaited<ReturnType<typeof freshApp>>;
let unitKey: string, unitKeyId: string, appraiserKey: string;
const ORIGIN = 'http://localhost';
beforeAll(async () => {
  app = await freshApp();
  for (const year of [2041, 2042]) await app.request('/v1/cycles', post({ year, unitType: 'province', methodology: 'par-province-2022' }));
  await app.request('/v1/cycles', post({ year: 2041, unitType: 'ministry', methodology: 'par-ministry-2022' }));
  // 2042 moves on to appraisal: units no longer write there, appraisers do.
  expect((await app.request('/v1/cycles/2042/province/status', post({ status: 'appraisal' }))).status).toBe(200);
  const unit = await json(await app.request('/v1/api-keys', post({ role: 'unit', unit: '01', label: 'Hà Nội' })));
  [unitKey, unitKeyId] = [unit.key, unit.id];
  appraiserKey = (await json(await app.request('/v1/api-keys', post({ role: 'appraiser' })))).key;
});

const signIn = (key: string, headers: Record<string, string> = { origin: ORIGIN }, url = `${ORIGIN}/vi/workspace/sign-in`) =>
  app.page(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ key }).toString() });
/** The session cookie a sign-in set, as a browser sends it back. */
const cookieOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? '';
const workspace = (cookie: string) => app.page(`${ORIGIN}/vi/workspace`, { headers: { cookie } });

describe(`the workspace on ${runtime}`, () => {
  it('sends a person without a session to the sign-in form, whose key field is a password field', async () => {
    const res = await app.page('/vi/workspace');
    expect([res.status, res.headers.get('location')]).toEqual([303, '/vi/workspace/sign-in']);
    const form = await (await app.page('/vi/workspace/sign-in')).text();
    expect(form).toMatch(/<form method="post" action="\/vi\/workspace\/sign-in"/);
    expect(form).toMatch(/<input id="key" name="key" type="password" autocomplete="off"/);
  });

  it('exchanges a valid key for a session cookie that is HttpOnly, SameSite=Strict, expiring, and does not hold the key', async () => {
    const res = await signIn(unitKey);
    expect([res.status, res.headers.get('location')]).toEqual([303, '/vi/workspace']);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^par-session=v1\.[a-z0-9]+\.\d+\.[\w-]{43}; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/);
    // The key's secret is everything after its id (it may itself contain '_').
    expect(cookie).not.toContain(unitKey.slice(`par_${unitKeyId}_`.length));
    const page = await (await workspace(cookieOf(res))).text();
    expect(page).toContain('data-role="unit"');
    expect(page).toContain('data-unit="01"');
  });

  it('sets a __Host- cookie marked Secure over HTTPS', async () => {
    const res = await signIn(unitKey, { origin: 'https://par.example' }, 'https://par.example/vi/workspace/sign-in');
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-par-session=v1\..*; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const back = await app.page('https://par.example/vi/workspace', { headers: { cookie: cookieOf(res) } });
    expect(back.status).toBe(200);
    // The same value without its prefix is not read over HTTPS.
    expect((await app.page('https://par.example/vi/workspace', { headers: { cookie: cookieOf(res).replace('__Host-', '') } })).status).toBe(303);
  });

  it('refuses a wrong key with a 401 page in the reader\'s language, and sets no cookie', async () => {
    for (const key of ['', 'par_0000000000_' + 'A'.repeat(43), 'not a key']) {
      const res = await signIn(key);
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(await res.text()).toContain('Khóa không hợp lệ');
    }
  });

  it('accepts the form from this site as browsers name it: Origin, or Sec-Fetch-Site where Origin is "null"', async () => {
    for (const headers of [{ origin: ORIGIN }, { origin: 'null', 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'same-origin' }, {}] as Record<string, string>[]) {
      expect((await signIn(unitKey, headers)).status).toBe(303);
    }
    const form = await app.page('/vi/workspace/sign-in');
    expect(form.headers.get('referrer-policy')).toBe('same-origin');
    expect(form.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a sign-in form posted from another site, and starts no session', async () => {
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { origin: 'null', 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
      const res = await signIn(unitKey, headers);
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(await res.text()).toContain('không được gửi từ trang của dịch vụ');
    }
  });

  it('says for each cycle of the unit\'s type what the API lets the key do in its phase', async () => {
    const cells = async (key: string) => {
      const page = await (await workspace(cookieOf(await signIn(key)))).text();
      return Object.fromEntries([...page.matchAll(/data-cycle="([^"]+)" data-allowed="(true|false)"/g)].map(([, cycle, allowed]) => [cycle, allowed === 'true']));
    };
    const unit = await cells(unitKey);
    // The unit (a province) sees province cycles only; it self-assesses in the open one alone.
    expect(Object.keys(unit).every((k) => k.endsWith('/province'))).toBe(true);
    expect(unit).toMatchObject({ '2041/province': true, '2042/province': false, '2025/province': false });
    const appraiser = await cells(appraiserKey);
    expect(appraiser).toMatchObject({ '2041/province': false, '2042/province': true, '2041/ministry': false, '2025/ministry': false });
    // The same answers as the API gives the same keys.
    const put = (key: string, year: number) => app.request(`/v1/cycles/${year}/province/scores`, as({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scores: [] }) }, key));
    expect((await put(unitKey, 2042)).status).toBe(409);
    expect((await put(appraiserKey, 2041)).status).toBe(409);
  });

  it('ends the session on sign-out only with the session\'s own form token', async () => {
    const cookie = cookieOf(await signIn(unitKey));
    const page = await (await workspace(cookie)).text();
    const token = /name="token" value="([^"]+)"/.exec(page)![1];
    const signOut = (body: Record<string, string>, headers: Record<string, string> = { origin: ORIGIN }) => app.page(`${ORIGIN}/vi/workspace/sign-out`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers }, body: new URLSearchParams(body).toString(),
    });
    expect((await signOut({ token: 'forged' })).status).toBe(403);
    expect((await signOut({ token }, { origin: 'https://evil.example' })).status).toBe(403);
    const out = await signOut({ token });
    expect([out.status, out.headers.get('location')]).toEqual([303, '/vi/workspace/sign-in']);
    expect(out.headers.get('set-cookie')).toMatch(/^par-session=; Max-Age=0; Path=\//);
  });

  it('ends every session of a key when the key is revoked, and refuses a cookie altered or expired', async () => {
    const { key, id } = await json(await app.request('/v1/api-keys', post({ role: 'unit', unit: '79' })));
    const cookie = cookieOf(await signIn(key));
    expect((await workspace(cookie)).status).toBe(200);
    const [name, value] = cookie.split('=');
    const [v, keyId, expires, mac] = value.split('.');
    for (const altered of [`${v}.${unitKeyId}.${expires}.${mac}`, `${v}.${keyId}.${Number(expires) + 1}.${mac}`, `${v}.${keyId}.1000.${mac}`, `${v}.${keyId}.${expires}.${'A'.repeat(43)}`]) {
      expect((await workspace(`${name}=${altered}`)).status).toBe(303);
    }
    expect((await app.request(`/v1/api-keys/${id}`, as({ method: 'DELETE' }))).status).toBe(200);
    expect((await workspace(cookie)).status).toBe(303);
  });

  it('counts failed sign-ins against the address as failed API authentications, and refuses past the limit', async () => {
    const limited = await freshApp({ rateLimit: () => 2 });
    const attempt = (key: string) => limited.page(`${ORIGIN}/vi/workspace/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: new URLSearchParams({ key }).toString(),
    });
    // The address's budget (2 a minute) is spent by its requests and its failed keys together: after
    // one failure, even the right key is refused until the minute ends.
    expect((await attempt('wrong-1')).status).toBe(401);
    const refused = await attempt(ADMIN_TOKEN);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.headers.get('set-cookie')).toBeNull();
  });

  it('never lets the session cookie authenticate the JSON API', async () => {
    const cookie = cookieOf(await signIn(appraiserKey));
    // Drafts are for keys: with the cookie alone, the API answers as to the public.
    const res = await app.request('/v1/cycles/2042/province/results?revision=draft', { headers: { cookie } });
    expect([401, 403]).toContain(res.status);
  });
});
