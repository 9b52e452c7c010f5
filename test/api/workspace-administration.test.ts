// The secretariat's workspace screens (issue 14) on both runtimes: score upload as CSV with a
// dry-run preview and a sealed commit, access keys issued and revoked, the audit log with filters;
// each through the API's own functions, so a key the API refuses is refused on the page too.
import { beforeAll, describe, expect, it } from 'vitest';
import { as, freshApp, json, post, runtime } from './harness.js';

let app: Awaited<ReturnType<typeof freshApp>>;
let adminKey: string, adminKeyId: string, unitKey: string, appraiserKey: string;
let admin: string; // the admin's session cookie
let survey: string[]; // survey-scored indicators of the province methodology, 2 points at most
let other: string; // a province of the cycle other than 01
const ORIGIN = 'http://localhost';
const YEAR = 2043;
const UPLOAD = `/vi/workspace/cycles/${YEAR}/province/scores/upload`;

beforeAll(async () => {
  app = await freshApp();
  expect((await app.request('/v1/cycles', post({ year: YEAR, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
  ({ key: adminKey, id: adminKeyId } = await json(await app.request('/v1/api-keys', post({ role: 'admin', label: 'Ban Thư ký' }))));
  unitKey = (await json(await app.request('/v1/api-keys', post({ role: 'unit', unit: '01' })))).key;
  appraiserKey = (await json(await app.request('/v1/api-keys', post({ role: 'appraiser' })))).key;
  const methodology = await json(await app.request('/v1/methodologies/par-province-2022'));
  survey = surveyLeaves(methodology.document?.nodes ?? methodology.nodes);
  const units = (await json(await app.request('/v1/units?unitType=province'))).units as { code: string; validTo: string | null }[];
  other = units.find((u) => u.validTo === null && u.code !== '01')!.code;
  admin = await signIn(adminKey);
});

function surveyLeaves(nodes: any[]): string[] {
  return nodes.flatMap((n) => [...(n.source === 'survey' && n.rule?.type === 'points' ? [n.code] : []), ...surveyLeaves(n.children ?? [])]);
}

async function signIn(key: string): Promise<string> {
  const res = await app.page(`${ORIGIN}/vi/workspace/sign-in`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: new URLSearchParams({ key }).toString(),
  });
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0];
}

const open = (path: string, cookie: string) => app.page(`${ORIGIN}${path}`, { headers: { cookie } });
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
const tokenOf = async (path: string, cookie: string) => hidden(await (await open(path, cookie)).text(), 'token');

/** A multipart form post from this site, as a browser sends the upload form. */
function send(path: string, cookie: string, fields: Record<string, string | Blob>) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return app.page(`${ORIGIN}${path}`, { method: 'POST', headers: { origin: ORIGIN, cookie }, body });
}

const surveyScores = async () => (await json(await app.request(`/v1/cycles/${YEAR}/province/scores?revision=draft&source=survey`, as()))).scores as { unit: string; indicator: string; value: unknown }[];
const counts = (html: string) => Object.fromEntries([...html.matchAll(/data-count="(\w+)" data-value="(\d+)"/g)].map(([, k, v]) => [k, Number(v)]));
const csv = (...lines: string[]) => ['unit,indicator,source,value', ...lines].join('\n');

describe(`the secretariat's score upload on ${runtime}`, () => {
  it('shows the form with the header, a survey sample, and that CSV is what is taken', async () => {
    const res = await open(UPLOAD, admin);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toMatch(/<pre class="sample" data-sample="true">unit,indicator,source,value\n01,[\d.]+,survey,2<\/pre>/);
    expect(html).toContain('Hiện chỉ nhận tệp CSV');
    expect(html).toContain('Tối đa 200.000 dòng và 64 MiB mỗi lần tải lên.');
    const en = await (await open(UPLOAD.replace('/vi/', '/en/'), admin)).text();
    expect(en).toContain('CSV files are taken for now');
    expect(en).toContain('At most 200,000 rows and 64 MiB per upload.');
    expect((await open(`/vi/workspace/cycles/2099/province/scores/upload`, admin)).status).toBe(404);
  });

  it('previews a CSV with one bad row as a table naming its row and column, keeps the content, and writes nothing', async () => {
    const content = csv(`01,${survey[0]},survey,1.5`, `01,${survey[1]},survey,abc`, `${other},${survey[0]},survey,2`);
    const res = await send(UPLOAD, admin, { token: await tokenOf(UPLOAD, admin), file: new File([content], 'survey.csv', { type: 'text/csv' }) });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/role="alert" id="form-errors" data-problem="validation-failed"/);
    expect([...html.matchAll(/data-error-row="(\d+)" data-error-field="(\w+)"/g)].map((m) => [m[1], m[2]])).toEqual([['2', 'value']]);
    expect(html).toContain(`aria-invalid="true" aria-describedby="form-errors upload-help">${content}</textarea>`);
    expect(await surveyScores()).toEqual([]);
  });

  it('previews the fixed CSV with its counts, then commits exactly it: the scores are stored, the audit names the admin', async () => {
    const content = csv(`01,${survey[0]},survey,1.5`, `01,${survey[1]},survey,2`, `${other},${survey[0]},survey,2`);
    const preview = await send(UPLOAD, admin, { token: await tokenOf(UPLOAD, admin), csv: content });
    expect(preview.status).toBe(200);
    const page = await preview.text();
    expect(page).toContain('data-preview');
    expect(counts(page)).toEqual({ received: 3, inserted: 3, updated: 0, unchanged: 0 });
    expect(await surveyScores()).toEqual([]); // a preview writes nothing
    const fields = Object.fromEntries(['token', 'step', 'content', 'digest', 'version', 'seal'].map((k) => [k, hidden(page, k)]));
    expect(fields.step).toBe('commit');
    const result = await send(UPLOAD, admin, fields);
    expect(result.status).toBe(200);
    const done = await result.text();
    expect(done).toContain('data-result="true" data-changed="true"');
    expect(counts(done)).toEqual({ received: 3, inserted: 3, updated: 0, unchanged: 0 });
    const cycle = (await json(await app.request('/v1/cycles', as()))).cycles.find((c: any) => c.year === YEAR && c.unitType === 'province');
    expect(done).toContain(`data-data-version="${cycle.dataVersion}"`);
    expect((await surveyScores()).map((s) => [s.unit, s.indicator, s.value])).toEqual([['01', survey[0], 1.5], ['01', survey[1], 2], [other, survey[0], 2]]);
    const audit = await json(await app.request(`/v1/audit?year=${YEAR}&unitType=province&action=scores.upsert`, as()));
    expect(audit.entries.map((e: any) => [e.unit, e.actorKey, e.actorRole]).sort()).toEqual([['01', adminKeyId, 'admin'], [other, adminKeyId, 'admin']].sort());
    // Numbers in the reader's language on the preview of an update.
    const again = await (await send(UPLOAD, admin, { token: fields.token, csv: csv(`01,${survey[0]},survey,0.5`) })).text();
    expect(counts(again)).toEqual({ received: 1, inserted: 0, updated: 1, unchanged: 0 });
  });

  it('refuses a commit whose content is not what was previewed, or whose cycle changed since, and writes nothing', async () => {
    const token = await tokenOf(UPLOAD, admin);
    const page = await (await send(UPLOAD, admin, { token, csv: csv(`01,${survey[2]},survey,1`) })).text();
    const fields = Object.fromEntries(['token', 'step', 'content', 'digest', 'version', 'seal'].map((k) => [k, hidden(page, k)]));
    const changed = csv(`01,${survey[2]},survey,2`);
    const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(changed)))].map((b) => b.toString(16).padStart(2, '0')).join('');
    for (const tampered of [{ content: btoa(changed) }, { content: btoa(changed), digest }, { version: String(Number(fields.version) + 1) }, { seal: '0'.repeat(64) }] as Record<string, string>[]) {
      const res = await send(UPLOAD, admin, { ...fields, ...tampered });
      expect(res.status).toBe(409);
      expect(await res.text()).toContain('khác với nội dung đã xem trước');
    }
    expect((await surveyScores()).some((s) => s.indicator === survey[2])).toBe(false);
    // The cycle's scores change after the preview: the commit is refused, to be previewed again.
    const put = await app.request(`/v1/cycles/${YEAR}/province/scores`, as({ method: 'PUT', headers: { 'content-type': 'text/csv' }, body: csv(`${other},${survey[1]},survey,1`) }));
    expect(put.status).toBe(200);
    const late = await send(UPLOAD, admin, fields);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('đã thay đổi kể từ lúc xem trước');
    expect((await surveyScores()).some((s) => s.indicator === survey[2])).toBe(false);
  });

  it('answers an upload past the API\'s row limit with a clear 413 page', async () => {
    const rows = `unit,indicator,source,value\n${`01,${survey[0]},survey,1\n`.repeat(200_001)}`;
    const res = await send(UPLOAD, admin, { token: await tokenOf(UPLOAD, admin), csv: rows });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('Tệp tải lên quá lớn');
  });

  it('answers a body announced past the API\'s 64 MiB with the same page, before reading it', async () => {
    const res = await app.page(`${ORIGIN}${UPLOAD}`, {
      method: 'POST', body: '--x--',
      headers: { origin: ORIGIN, cookie: admin, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(65 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('Mỗi lần tải lên tối đa 64 MiB và 200.000 dòng');
  });

  it('refuses what the API refuses the same key: a unit\'s survey rows (403), an appraiser in the open phase (409), a forged form', async () => {
    const unit = await signIn(unitKey);
    const before = await surveyScores();
    const refused = await send(UPLOAD, unit, { token: await tokenOf(UPLOAD, unit), csv: csv(`01,${survey[2]},survey,1`) });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/data-error-row="1" data-error-field="source"/);
    const api = await app.request(`/v1/cycles/${YEAR}/province/scores`, as({ method: 'PUT', headers: { 'content-type': 'text/csv' }, body: csv(`01,${survey[2]},survey,1`) }, unitKey));
    expect(api.status).toBe(403);
    const appraiser = await signIn(appraiserKey);
    expect((await open(UPLOAD, appraiser)).status).toBe(409);
    expect((await send(UPLOAD, admin, { token: 'forged', csv: csv(`01,${survey[2]},survey,1`) })).status).toBe(403);
    expect(await surveyScores()).toEqual(before);
  });
});

describe(`the secretariat's keys on ${runtime}`, () => {
  const KEYS = '/vi/workspace/keys';
  const keyIds = async () => (await json(await app.request('/v1/api-keys', as()))).keys.map((k: any) => k.id) as string[];

  it('lists keys without secrets, and issues a key shown once that signs in to the workspace', async () => {
    const list = await (await open(KEYS, admin)).text();
    expect(list).toContain(`data-key="${adminKeyId}" data-key-role="admin" data-revoked="false"`);
    expect(list).not.toContain(adminKey.slice(15));
    const res = await send(KEYS, admin, { token: hidden(list, 'token'), role: 'unit', unit: '79', label: 'Thành phố Hồ Chí Minh' });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('chỉ hiển thị một lần duy nhất');
    const [, id, key] = /<code data-new-key="(\w+)">(par_\w+_[\w-]+)<\/code>/.exec(page)!;
    expect(await keyIds()).toContain(id);
    const session = await signIn(key);
    const home = await (await open('/vi/workspace', session)).text();
    expect(home).toContain('data-role="unit"');
    expect(home).toContain('data-unit="79"');
  });

  it('shows a refused key beside its field with the input kept, and issues nothing', async () => {
    const before = await keyIds();
    const res = await send(KEYS, admin, { token: await tokenOf(KEYS, admin), role: 'unit', unit: '', label: 'Sở Nội vụ' });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toMatch(/<input id="unit" name="unit" value="" maxlength="40" autocomplete="off" aria-invalid="true" aria-describedby="unit-error unit-help"/);
    expect(page).toContain('<p class="field-error" id="unit-error" data-field-error="unit">required for role unit</p>');
    expect(page).toContain('value="Sở Nội vụ"');
    expect(page).toContain('role="alert" id="form-errors"');
    const unknown = await send(KEYS, admin, { token: await tokenOf(KEYS, admin), role: 'unit', unit: 'XX' });
    expect(await unknown.text()).toContain('data-field-error="unit">unknown unit');
    expect(await keyIds()).toEqual(before);
  });

  it('revokes a key from its row: its sessions end', async () => {
    const { key, id } = await json(await app.request('/v1/api-keys', post({ role: 'appraiser', label: 'to revoke' })));
    const session = await signIn(key);
    expect((await open('/vi/workspace', session)).status).toBe(200);
    const res = await send(`${KEYS}/revoke`, admin, { token: await tokenOf(KEYS, admin), id });
    expect([res.status, res.headers.get('location')]).toEqual([303, `${KEYS}?revoked=${id}`]);
    expect((await open('/vi/workspace', session)).status).toBe(303);
    const list = await (await open(`${KEYS}?revoked=${id}`, admin)).text();
    expect(list).toContain(`data-revoked-notice="${id}"`);
    expect(list).toContain(`data-key="${id}" data-key-role="appraiser" data-revoked="true"`);
    expect((await send(`${KEYS}/revoke`, admin, { token: await tokenOf(KEYS, admin), id: 'nokey00000' })).status).toBe(404);
  });

  it('refuses unit and appraiser keys as the API does, and issues or revokes nothing', async () => {
    const before = await keyIds();
    for (const key of [unitKey, appraiserKey]) {
      const session = await signIn(key);
      expect((await open(KEYS, session)).status).toBe(403);
      const token = await tokenOf('/vi/workspace', session);
      expect((await send(KEYS, session, { token, role: 'admin' })).status).toBe(403);
      expect((await send(`${KEYS}/revoke`, session, { token, id: adminKeyId })).status).toBe(403);
      expect((await app.request('/v1/api-keys', as({}, key))).status).toBe(403);
    }
    expect(await keyIds()).toEqual(before);
    expect((await open(KEYS, admin)).status).toBe(200);
  });
});

describe(`the audit log on ${runtime}`, () => {
  const AUDIT = '/vi/workspace/audit';
  const entries = (html: string) => [...html.matchAll(/data-entry="(\d+)" data-action="([\w.-]+)" data-actor="([\w-]+)" data-actor-role="(\w+)" data-unit="(\w*)"/g)]
    .map(([, id, action, actor, role, unit]) => ({ id: Number(id), action, actor, role, unit }));

  it('lists entries newest first, and each filter narrows the list as the API does', async () => {
    const all = entries(await (await open(AUDIT, admin)).text());
    expect(all.length).toBeGreaterThan(3);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    const created = entries(await (await open(`${AUDIT}?action=api-key.create&actor=&unit=`, admin)).text());
    expect(created.length).toBeGreaterThan(0);
    expect(created.every((e) => e.action === 'api-key.create')).toBe(true);
    const byAdmin = entries(await (await open(`${AUDIT}?actor=${adminKeyId}&action=scores.upsert&year=${YEAR}&unitType=province&unit=${other}`, admin)).text());
    const api = await json(await app.request(`/v1/audit?actor=${adminKeyId}&action=scores.upsert&year=${YEAR}&unitType=province&unit=${other}`, as()));
    expect(byAdmin.map((e) => e.id)).toEqual(api.entries.map((e: any) => e.id));
    expect(byAdmin.length).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(entries(await (await open(`${AUDIT}?to=2000-01-01`, admin)).text())).toEqual([]);
    expect(entries(await (await open(`${AUDIT}?from=${today}&action=api-key.create`, admin)).text()).length).toBe(created.length);
  });

  it('pages with a cursor that keeps the filters', async () => {
    for (let i = 0; i < 50; i++) await app.request('/v1/api-keys', post({ role: 'appraiser', label: `bulk ${i}` }));
    const first = await (await open(`${AUDIT}?action=api-key.create`, admin)).text();
    const next = /<a href="([^"]+)" rel="next" data-next="(\d+)"/.exec(first)!;
    expect(entries(first)).toHaveLength(50);
    const second = entries(await (await open(next[1].replace(/&amp;/g, '&'), admin)).text());
    expect(second.length).toBeGreaterThan(0);
    expect(second.every((e) => e.action === 'api-key.create' && e.id < Number(next[2]))).toBe(true);
  });

  it('shows a bad filter beside its field, with the filters kept', async () => {
    const res = await open(`${AUDIT}?from=2025-13-45&actor=abc`, admin);
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toMatch(/<input id="from" name="from" value="2025-13-45" type="date" aria-invalid="true" aria-describedby="from-error"/);
    expect(page).toContain('data-field-error="from"');
    expect(page).toContain('value="abc"');
    const cycle = await open(`${AUDIT}?year=2099&unitType=province`, admin);
    expect(cycle.status).toBe(404);
    expect(await cycle.text()).toContain('data-field-error="year"');
  });

  it('lets a unit key read its own unit\'s entries only, and refuses an appraiser', async () => {
    const unit = await signIn(unitKey);
    const own = entries(await (await open(AUDIT, unit)).text());
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.unit === '01')).toBe(true);
    expect((await open(`${AUDIT}?unit=79`, unit)).status).toBe(403);
    expect((await app.request('/v1/audit?unit=79', as({}, unitKey))).status).toBe(403);
    expect((await open(AUDIT, await signIn(appraiserKey))).status).toBe(403);
    expect((await open(AUDIT.replace('/vi/', '/en/'), admin)).status).toBe(200);
  });
});
