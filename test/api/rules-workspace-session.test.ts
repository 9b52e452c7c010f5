// The workspace's session and anti-forgery rules, stated one by one (issue 12: they join the mutated
// set). A session cookie is `v1.<key id>.<expiry, ms>.<HMAC-SHA-256 of those, keyed by the hash of
// the key's secret>`: the test signs cookies itself, as the server documents it, to show which are
// accepted (a signature that holds, a live key, an expiry still ahead) and which are not. A form is
// accepted from this site only: Origin naming this host, or Sec-Fetch-Site where Origin is "null".
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Hono } from 'hono';
import type { AppEnv } from '../../src/http/env.js';
import { postedForm } from '../../src/web/workspace/forms.js';
import { ADMIN_TOKEN, as, freshApp, json, post, runtime } from './harness.js';

const ORIGIN = 'http://localhost';
const HOURS_8 = 8 * 60 * 60 * 1000;
let app: Awaited<ReturnType<typeof freshApp>>;
let unit: { key: string; id: string }, other: { key: string; id: string };
/** The admin token the app is given, changed by one test to show what a session is tied to. */
let adminToken: string | undefined = ADMIN_TOKEN;

beforeAll(async () => {
  app = await freshApp({ adminToken: () => adminToken });
  unit = await json(await app.request('/v1/api-keys', post({ role: 'unit', unit: '01' })));
  other = await json(await app.request('/v1/api-keys', post({ role: 'unit', unit: '79' })));
});
afterEach(() => { vi.useRealTimers(); adminToken = ADMIN_TOKEN; });

const encoder = new TextEncoder();
const hex = async (text: string) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))].map((b) => b.toString(16).padStart(2, '0')).join('');
async function hmac(secretHash: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secretHash), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
  return btoa(String.fromCharCode(...mac)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
/** What a stored key's sessions are signed with: the stored hash of its secret (`par_<10-char id>_<secret>`). */
const keyHash = (key: string) => hex(key.slice('par_0123456789_'.length));
/** The bootstrap admin has no stored key: a hash of its token, apart from the one the API compares. */
const adminHash = (token = ADMIN_TOKEN) => hex(`session:${token}`);
const signed = async (keyId: string, expires: number, secretHash: string, format = 'v1') => {
  const payload = `${format}.${keyId}.${expires}`;
  return `${payload}.${await hmac(secretHash, payload)}`;
};

const signIn = (key: string, headers: Record<string, string> = { origin: ORIGIN }, url = `${ORIGIN}/vi/workspace/sign-in`) =>
  app.page(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ key }).toString() });
const home = (value: string) => app.page(`${ORIGIN}/vi/workspace`, { headers: { cookie: `par-session=${value}` } });
const cookieValue = (res: Response) => /^[\w-]+=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')![1];
const tokenOn = async (value: string) => /name="token" value="([^"]+)"/.exec(await (await home(value)).text())![1];
const signOut = (value: string | null, token: string, headers: Record<string, string> = { origin: ORIGIN }) => app.page(`${ORIGIN}/vi/workspace/sign-out`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(value === null ? {} : { cookie: `par-session=${value}` }), ...headers },
  body: new URLSearchParams({ token }).toString(),
});
const later = () => Date.now() + 60 * 60 * 1000;

describe(`workspace sessions on ${runtime}`, () => {
  it('signs in with a cookie signed as documented, lasting eight hours, naming the key and not holding it', async () => {
    const before = Date.now();
    const res = await signIn(unit.key);
    const after = Date.now();
    const value = cookieValue(res);
    const [, keyId, expires] = value.split('.');
    expect(keyId).toBe(unit.id);
    expect(Number(expires)).toBeGreaterThanOrEqual(before + HOURS_8);
    expect(Number(expires)).toBeLessThanOrEqual(after + HOURS_8);
    expect(value).toBe(await signed(unit.id, Number(expires), await keyHash(unit.key)));
    expect(res.headers.get('set-cookie')).toContain('Max-Age=28800;');
  });

  it('signs the bootstrap admin\'s session with a hash of its token, so that the session is tied to that token', async () => {
    const value = cookieValue(await signIn(ADMIN_TOKEN));
    const expires = Number(value.split('.')[2]);
    expect(value).toBe(await signed('env-admin', expires, await adminHash()));
    expect((await home(value)).status).toBe(200);
    // Another admin token, or none: the same cookie is refused.
    adminToken = 'another-admin-token-0123456789';
    expect((await home(value)).status).toBe(303);
    adminToken = undefined;
    expect((await home(value)).status).toBe(303);
    adminToken = ADMIN_TOKEN;
    // Signed with the hash the API compares tokens against (no "session:"), or as another key id: refused.
    expect((await home(await signed('env-admin', later(), await hex(ADMIN_TOKEN)))).status).toBe(303);
    expect((await home(await signed(unit.id, later(), await adminHash()))).status).toBe(303);
  });

  it('gives the known answer: the admin signing in at 2030-01-01T00:00:00.006Z', async () => {
    // Chosen so that the signature's base64 has two + and two / (written - and _ in base64url).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1893456000006);
    const value = cookieValue(await signIn(ADMIN_TOKEN));
    expect(value).toBe('v1.env-admin.1893484800006.0o_okPY-ykIAjPHmagDJMcQhIH3TCwlCTm6tjnA-H_o');
    expect(await tokenOn(value)).toBe('u3xITzVtXgeiIPTelq174kUZNA4bNPEaOYWb_x3f67Q');
  });

  it('accepts a cookie until the millisecond of its expiry, and refuses it from then on', async () => {
    const expires = Date.now() + 5_000;
    const value = await signed(unit.id, expires, await keyHash(unit.key));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(expires - 1);
    expect((await home(value)).status).toBe(200);
    vi.setSystemTime(expires);
    expect((await home(value)).status).toBe(303);
    vi.setSystemTime(expires + 1);
    expect((await home(value)).status).toBe(303);
  });

  it('refuses a cookie whose key id, expiry, format or signature was changed, or signed with another key\'s secret', async () => {
    const expires = later();
    const hash = await keyHash(unit.key);
    const good = await signed(unit.id, expires, hash);
    expect((await home(good)).status).toBe(200);
    const [, , , mac] = good.split('.');
    for (const value of [
      `v1.${other.id}.${expires}.${mac}`, // another live key, this key's signature
      `v1.${unit.id}.${expires + 1}.${mac}`, // a later expiry
      `v2.${unit.id}.${expires}.${mac}`, // another format
      await signed(unit.id, expires, hash, 'v2'), // another format, signed as such
      `v1.${unit.id}.${expires}.${mac.slice(0, 42)}B`, // one character of the signature
      await signed(unit.id, expires, await keyHash(other.key)), // another key's secret
      await signed(unit.id, expires, hash.toUpperCase()), // a look-alike of the hash
      `x${good}`, `${good}x`, `${good}=`, // anything around a well-formed cookie
      await signed('nokey00000', expires, hash), // no such key
      await signed(unit.id, 1e15, hash), // an expiry of more than 15 digits (30,000 years)
    ]) expect((await home(value)).status, value).toBe(303);
  });

  it('ends a key\'s sessions, however well signed, once the key is revoked', async () => {
    const key = await json(await app.request('/v1/api-keys', post({ role: 'unit', unit: '02' })));
    const value = await signed(key.id, later(), await keyHash(key.key));
    expect((await home(value)).status).toBe(200);
    expect((await app.request(`/v1/api-keys/${key.id}`, as({ method: 'DELETE' }))).status).toBe(200);
    expect((await home(value)).status).toBe(303);
    const again = await signIn(key.key);
    expect([again.status, again.headers.get('set-cookie')]).toEqual([401, null]);
  });

  it('derives each session\'s form token from that session: another session\'s token is refused', async () => {
    const hash = await keyHash(unit.key);
    const [a, b] = [await signed(unit.id, later(), hash), await signed(unit.id, later() + 1, hash)];
    const [tokenA, tokenB] = [await tokenOn(a), await tokenOn(b)];
    expect(tokenA).not.toBe(tokenB);
    expect(tokenA).toBe(await hmac(hash, `form:${a.split('.')[3]}`));
    expect((await signOut(b, tokenA)).status).toBe(403);
    expect((await signOut(a, '')).status).toBe(403);
    const out = await signOut(b, tokenB);
    expect([out.status, out.headers.get('location')]).toEqual([303, '/vi/workspace/sign-in']);
    expect(out.headers.get('set-cookie')).toMatch(/^par-session=; Max-Age=0; Path=\/$/);
  });

  it('sends a form posted without a live session to sign-in, and refuses a forged one first', async () => {
    const value = await signed(unit.id, later(), await keyHash(unit.key));
    const token = await tokenOn(value);
    const out = await signOut(null, token);
    expect([out.status, out.headers.get('location')]).toEqual([303, '/vi/workspace/sign-in']);
    expect((await signOut(null, token, { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('over HTTPS, reads and ends only the __Host- cookie', async () => {
    const value = await signed(unit.id, later(), await keyHash(unit.key));
    const secure = (name: string) => app.page('https://par.example/vi/workspace', { headers: { cookie: `${name}=${value}` } });
    expect((await secure('__Host-par-session')).status).toBe(200);
    expect((await secure('par-session')).status).toBe(303);
    const token = /name="token" value="([^"]+)"/.exec(await (await secure('__Host-par-session')).text())![1];
    const out = await app.page('https://par.example/vi/workspace/sign-out', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://par.example', cookie: `__Host-par-session=${value}` }, body: new URLSearchParams({ token }).toString(),
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^__Host-par-session=; Max-Age=0; Path=\/; Secure$/);
  });
});

describe(`the workspace's forms come from this site only, on ${runtime}`, () => {
  const status = async (headers: Record<string, string>, url?: string) => (await signIn(unit.key, headers, url)).status;

  it('accepts Origin naming this host, as the Host header or the URL names it', async () => {
    expect(await status({ origin: ORIGIN })).toBe(303);
    expect(await status({ origin: 'https://par.example', host: 'par.example' })).toBe(303);
    expect(await status({ origin: 'https://par.example:8443' }, 'https://par.example:8443/vi/workspace/sign-in')).toBe(303);
  });

  it('refuses Origin naming another host, another port, or not an origin at all', async () => {
    for (const origin of ['https://evil.example', 'http://localhost:8787', 'http://localhost.evil.example', 'localhost', '']) {
      expect(await status({ origin }), origin).toBe(403);
    }
    // The Host header names the site when there is one: Origin must match it, not the URL.
    expect(await status({ origin: ORIGIN, host: 'par.example' })).toBe(403);
    // Origin decides when it names a host: Sec-Fetch-Site cannot overrule it.
    expect(await status({ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' })).toBe(403);
  });

  it('decides by Sec-Fetch-Site when Origin is "null": same-origin only', async () => {
    expect(await status({ origin: 'null', 'sec-fetch-site': 'same-origin' })).toBe(303);
    for (const site of ['cross-site', 'same-site', 'none']) expect(await status({ origin: 'null', 'sec-fetch-site': site }), site).toBe(403);
    expect(await status({ origin: 'null' })).toBe(403);
  });

  it('without Origin, accepts a request naming neither (not a browser\'s form) or same-origin, and refuses any other site', async () => {
    expect(await status({})).toBe(303);
    expect(await status({ 'sec-fetch-site': 'same-origin' })).toBe(303);
    for (const site of ['cross-site', 'same-site', 'none']) expect(await status({ 'sec-fetch-site': site }), site).toBe(403);
  });

  it('gives workspace pages, and only them, the same-origin referrer policy their forms rely on; never cached', async () => {
    for (const path of ['/vi/workspace', '/en/workspace', '/vi/workspace/sign-in', '/en/workspace/sign-in']) {
      const res = await app.page(path);
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
    }
    for (const path of ['/vi/workspaces', '/fr/workspace', '/x/vi/workspace', '/vi/x/workspace', '/vi']) {
      expect((await app.page(path)).headers.get('referrer-policy'), path).toBe('no-referrer');
    }
    const form = await app.page('/en/workspace/sign-in');
    expect([form.headers.get('cache-control'), form.headers.get('content-type')]).toEqual(['no-store', 'text/html; charset=utf-8']);
  });
});

describe(`a posted form, as the workspace's screens receive it, on ${runtime}`, () => {
  // The screens (self-assessment, appraisal …) read forms through postedForm: a stand-in screen
  // answers with what it received, over the test app's database.
  const screen = () => {
    const stand = new Hono<AppEnv>();
    stand.use('*', async (c, next) => { c.set('driver', app.driver); await next(); });
    stand.post('/screen', async (c) => {
      const posted = await postedForm(c, { adminToken: () => adminToken, guard: { beforeKey: async () => {}, failed: async () => {} } });
      return c.json('refused' in posted ? posted : { form: posted.form, token: posted.token, actor: c.get('actor'), keyId: posted.session.actor.keyId });
    });
    return stand;
  };
  const send = async (body: FormData, headers: Record<string, string>) => (await screen().request(`${ORIGIN}/screen`, { method: 'POST', body, headers })).json();

  it('gives the text fields (repeated ones as lists, files left out), the token, and sets the signed-in person', async () => {
    const value = await signed(unit.id, later(), await keyHash(unit.key));
    const token = await tokenOn(value);
    const body = new FormData();
    body.append('token', token);
    body.append('note', 'Hà Nội');
    body.append('indicator', '1.1');
    body.append('indicator', '1.2');
    body.append('evidence', new File(['x'], 'a.pdf'));
    body.append('mixed', 'kept');
    body.append('mixed', new File(['y'], 'b.pdf'));
    const got = await send(body, { cookie: `par-session=${value}`, origin: ORIGIN });
    expect(got).toEqual({
      form: { token, note: 'Hà Nội', indicator: ['1.1', '1.2'], mixed: ['kept'] },
      token, actor: { keyId: unit.id, role: 'unit', unit: '01' }, keyId: unit.id,
    });
  });

  it('says why it refuses: another site or a wrong token is forged, no live session is signed-out', async () => {
    const value = await signed(unit.id, later(), await keyHash(unit.key));
    const body = () => { const f = new FormData(); f.append('token', 'not-the-token'); return f; };
    expect(await send(body(), { cookie: `par-session=${value}`, origin: ORIGIN })).toEqual({ refused: 'forged' });
    expect(await send(body(), { cookie: `par-session=${value}`, origin: 'https://evil.example' })).toEqual({ refused: 'forged' });
    expect(await send(body(), { origin: ORIGIN })).toEqual({ refused: 'signed-out' });
    expect(await send(new FormData(), { cookie: `par-session=${value}`, origin: ORIGIN })).toEqual({ refused: 'forged' });
  });
});
