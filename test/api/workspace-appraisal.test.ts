// The appraiser's screens of the workspace (issue 14), on both runtimes: progress across units, one
// unit's self-assessed beside appraised values, accept one / accept a domain / adjust with a reason;
// writes read back through the JSON API; errors beside their fields with the input kept and nothing
// written; the same refusals as the API (a unit key, the wrong phase, a forged form).
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, as, freshApp, json, post, put, runtime } from './harness.js';

let app: Awaited<ReturnType<typeof freshApp>>;
let appraiserKey: string, unitKey: string;
const ORIGIN = 'http://localhost';
const YEAR = 2043, OPEN_YEAR = 2044;
const PAGE = `/vi/workspace/cycles/${YEAR}/province/appraisal`;
const UNIT_PAGE = `${PAGE}/01`;

// Unit 01 self-assesses four sub-criteria of domain 1 and one of domain 2.
const SELF = [
  { indicator: '1.1.1', value: 0.5, evidence: 'Quyết định 12/QĐ-UBND' },
  { indicator: '1.1.2', value: 0.25, note: 'Chưa ban hành văn bản riêng' },
  { indicator: '1.1.3', value: 0.5, evidence: 'https://example.gov.vn/vb/13' },
  { indicator: '1.2.1', value: 0.5, evidence: 'Báo cáo 45/BC-UBND' },
  { indicator: '2.1.1', value: 0.75, evidence: 'Kế hoạch 7/KH-UBND' },
];

beforeAll(async () => {
  app = await freshApp();
  for (const year of [YEAR, OPEN_YEAR]) expect((await app.request('/v1/cycles', post({ year, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
  unitKey = (await json(await app.request('/v1/api-keys', post({ role: 'unit', unit: '01' })))).key;
  appraiserKey = (await json(await app.request('/v1/api-keys', post({ role: 'appraiser' })))).key;
  const rows = SELF.map((r) => ({ unit: '01', source: 'self', ...r }));
  expect((await app.request(`/v1/cycles/${YEAR}/province/scores`, put({ scores: rows }, 'application/json', unitKey))).status).toBe(200);
  expect((await app.request(`/v1/cycles/${YEAR}/province/status`, post({ status: 'appraisal' }))).status).toBe(200);
});

const cookies = new Map<string, string>();
async function cookieFor(key: string): Promise<string> {
  if (!cookies.has(key)) {
    const res = await app.page(`${ORIGIN}/vi/workspace/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: new URLSearchParams({ key }).toString() });
    cookies.set(key, res.headers.get('set-cookie')!.split(';')[0]);
  }
  return cookies.get(key)!;
}
const view = async (key: string, url: string) => app.page(`${ORIGIN}${url}`, { headers: { cookie: await cookieFor(key) } });
const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
/** Posts the unit page's form as a browser would: the page's token, this site's Origin, the fields given. */
async function send(key: string, fields: Record<string, string>, options: { url?: string; origin?: string; token?: string } = {}) {
  const url = options.url ?? UNIT_PAGE;
  const token = options.token ?? tokenOf(await (await view(key, url)).text());
  return app.page(`${ORIGIN}${url}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: options.origin ?? ORIGIN, cookie: await cookieFor(key) },
    body: new URLSearchParams({ token, ...fields }).toString(),
  });
}
/** Unit 01's appraised scores, read back through the JSON API. */
async function appraised(year = YEAR): Promise<Record<string, unknown>> {
  const body = await json(await app.request(`/v1/cycles/${year}/province/scores?unit=01&source=appraisal&revision=draft`, as()));
  return Object.fromEntries(body.scores.map((s: { indicator: string; value: unknown }) => [s.indicator, s.value]));
}
const attr = (html: string, leaf: string, name: string) => new RegExp(`data-leaf="${leaf.replace(/\./g, '\\.')}"[^>]*${name}="([^"]*)"`).exec(html)?.[1];
const row = (html: string, unit: string) => new RegExp(`<tr data-unit="${unit}"[^>]*>`).exec(html)?.[0] ?? '';

describe(`the appraisal screens on ${runtime}`, () => {
  it('shows progress across units: to appraise is every leaf the methodology scores by appraisal', async () => {
    const methodology = await json(await app.request('/v1/methodologies/par-province-2022'));
    const nodes = methodology.document.nodes as { code: string; parent?: string; source?: string }[];
    const parents = new Set(nodes.map((n) => n.parent));
    const toAppraise = nodes.filter((n) => !parents.has(n.code) && n.source === 'appraisal').length;
    const res = await view(appraiserKey, PAGE);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(row(html, '01')).toContain(`data-appraised="0" data-total="${toAppraise}" data-self="5" data-awaiting="5" data-complete="false"`);
    expect(row(html, '04')).toContain(`data-appraised="0" data-total="${toAppraise}" data-self="0"`);
    expect(html).toContain(`href="${UNIT_PAGE}"`);
    expect(html).toContain('mọi tiêu chí thành phần lấy điểm từ thẩm định');
  });

  it('shows each sub-criterion by domain and criterion: the self-assessment with evidence and note beside an appraised field', async () => {
    const html = await (await view(appraiserKey, UNIT_PAGE)).text();
    expect(html).toContain('data-domain="1"');
    expect(attr(html, '1.1.2', 'data-state')).toBe('awaiting');
    expect(attr(html, '1.3', 'data-state')).toBe('unassessed');
    expect(html).toContain('Chưa ban hành văn bản riêng');
    expect(html).toContain('<a href="https://example.gov.vn/vb/13" rel="noopener noreferrer">');
    expect(html).toContain('<strong>0,25</strong>');
    expect(html).toMatch(/<label for="value-\d+" class="vh">Điểm thẩm định tiêu chí 1\.1\.1<\/label><input id="value-\d+" name="value:1\.1\.1" type="text" value=""/);
    expect(html).toContain('name="accept" value="1.1.1"');
    expect(html).not.toContain('name="accept" value="1.3"'); // nothing to accept
    expect(html).toContain('data-accept-domain="1"');
    expect(html).not.toContain('data-read-only');
  });

  it('accepts one sub-criterion: the appraised value is the self-assessed one, and the page says what was written', async () => {
    const res = await send(appraiserKey, { accept: '1.1.1' });
    expect([res.status, res.headers.get('location')]).toEqual([303, `${UNIT_PAGE}?written=1&inserted=1&updated=0`]);
    expect(await appraised()).toEqual({ '1.1.1': 0.5 });
    const html = await (await view(appraiserKey, res.headers.get('location')!)).text();
    expect(html).toMatch(/data-notice="true">Đã ghi 1 điểm thẩm định/);
    expect(attr(html, '1.1.1', 'data-state')).toBe('accepted');
    expect(html).toMatch(/name="value:1\.1\.1" type="text" value="0,5"/);
  });

  it('refuses an adjustment without a reason beside its field, keeps every typed value, and writes nothing', async () => {
    const res = await send(appraiserKey, { 'value:1.1.2': '0,1', 'value:1.2.1': '0,5', 'reason:1.2.1': '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/role="alert" data-errors="1"/);
    const field = /<textarea id="(reason-\d+)" name="reason:1\.1\.2"[^>]*aria-invalid="true" aria-describedby="(reason-\d+-error)"/.exec(html);
    expect(field).not.toBeNull();
    expect(html).toContain(`<p class="field-error" id="${field![2]}" data-error-for="reason:1.1.2">`);
    expect(html).toMatch(/name="value:1\.1\.2" type="text" value="0,1"/);
    expect(html).toMatch(/name="value:1\.2\.1" type="text" value="0,5"/);
    expect(await appraised()).toEqual({ '1.1.1': 0.5 });
  });

  it('writes an adjustment with its reason, and shows the reason with the stored value', async () => {
    const res = await send(appraiserKey, { 'value:1.1.2': '0,1', 'reason:1.1.2': 'Văn bản chưa đúng thẩm quyền' });
    expect(res.status).toBe(303);
    expect(await appraised()).toEqual({ '1.1.1': 0.5, '1.1.2': 0.1 });
    const html = await (await view(appraiserKey, UNIT_PAGE)).text();
    expect(attr(html, '1.1.2', 'data-state')).toBe('adjusted');
    expect(html).toMatch(/name="reason:1\.1\.2"[^>]*>Văn bản chưa đúng thẩm quyền<\/textarea>/);
    // Sending the page back unchanged writes nothing.
    const again = await send(appraiserKey, { 'value:1.1.1': '0,5', 'value:1.1.2': '0,1' });
    expect(again.headers.get('location')).toBe(`${UNIT_PAGE}?written=0`);
  });

  it('refuses a value the methodology refuses (above the maximum, not a number) beside the value field, nothing written', async () => {
    for (const value of ['0,9', 'nhiều']) {
      const res = await send(appraiserKey, { 'value:1.2.2': value, 'reason:1.2.2': 'Kiểm tra lại' });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toMatch(/name="value:1\.2\.2" type="text" value="[^"]+" size="6" inputmode="decimal" aria-invalid="true" aria-describedby="value-\d+-error"/);
      expect(html).toContain(`value="${value}"`);
      expect(html).toContain('data-error-for="value:1.2.2"');
    }
    expect(Object.keys(await appraised())).toEqual(['1.1.1', '1.1.2']);
  });

  it('lists every error of a post at once: a missing reason and a value the methodology refuses', async () => {
    const res = await send(appraiserKey, { 'value:1.1.2': '0,2', 'value:1.2.2': '0,9', 'reason:1.2.2': 'Kiểm tra lại' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/role="alert" data-errors="2"/);
    expect(html).toContain('data-error-for="reason:1.1.2"');
    expect(html).toContain('data-error-for="value:1.2.2"');
    expect(await appraised()).toEqual({ '1.1.1': 0.5, '1.1.2': 0.1 });
  });

  it('accepts a whole domain: every self-assessed sub-criterion of it not yet appraised, and nothing else', async () => {
    const res = await send(appraiserKey, { 'accept-domain': '1' });
    expect(res.headers.get('location')).toBe(`${UNIT_PAGE}?written=2&inserted=2&updated=0`);
    // 1.1.2 keeps its adjustment; 2.1.1 (domain 2) and the sub-criteria never self-assessed stay unappraised.
    expect(await appraised()).toEqual({ '1.1.1': 0.5, '1.1.2': 0.1, '1.1.3': 0.5, '1.2.1': 0.5 });
    const html = await (await view(appraiserKey, PAGE)).text();
    expect(row(html, '01')).toContain('data-appraised="4"');
    expect(row(html, '01')).toContain('data-awaiting="1"');
    const unit = await (await view(appraiserKey, UNIT_PAGE)).text();
    expect(unit).not.toContain('data-accept-domain="1"');
    expect(/data-unappraised="([^"]*)"/.exec(unit)![1].split(' ')).toContain('2.1.1');
  });

  it('answers in English with English numbers', async () => {
    const html = await (await view(appraiserKey, UNIT_PAGE.replace('/vi/', '/en/'))).text();
    expect(html).toContain('Appraisal of');
    expect(html).toMatch(/name="value:1\.1\.2" type="text" value="0\.1"/);
  });

  it('gives a unit key a refusal on every appraisal page, as the API refuses it, and writes nothing', async () => {
    for (const url of [PAGE, UNIT_PAGE]) {
      const res = await view(unitKey, url);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('dành cho hội đồng thẩm định và Ban Thư ký');
    }
    const token = tokenOf(await (await view(unitKey, '/vi/workspace')).text());
    expect((await send(unitKey, { accept: '2.1.1' }, { token })).status).toBe(403);
    // The API refuses the same key: its phase (self-assessment) is over.
    const api = await app.request(`/v1/cycles/${YEAR}/province/scores`, put({ scores: [{ unit: '01', indicator: '2.1.1', source: 'appraisal', value: 0.75 }] }, 'application/json', unitKey));
    expect(api.status).toBe(409);
    expect(await appraised()).not.toHaveProperty('2.1.1');
  });

  it('is read-only with the reason outside the appraisal phase, and refuses a post there as the API does', async () => {
    const url = `/vi/workspace/cycles/${OPEN_YEAR}/province/appraisal/01`;
    const html = await (await view(appraiserKey, url)).text();
    expect(html).toMatch(/data-read-only="true"><strong>Chỉ xem: <\/strong>Kỳ này đang ở giai đoạn «Tự đánh giá»/);
    expect(html).not.toContain('data-appraisal-form');
    const token = tokenOf(await (await view(appraiserKey, UNIT_PAGE)).text());
    const res = await send(appraiserKey, { 'value:1.1.1': '0,5', 'reason:1.1.1': 'x' }, { url, token });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('data-read-only');
    expect(await appraised(OPEN_YEAR)).toEqual({});
    const api = await app.request(`/v1/cycles/${OPEN_YEAR}/province/scores`, put({ scores: [{ unit: '01', indicator: '1.1.1', source: 'appraisal', value: 0.5, reason: 'x' }] }, 'application/json', appraiserKey));
    expect(api.status).toBe(409);
  });

  it('lets the secretariat write appraised values in the same form', async () => {
    const res = await send(ADMIN_TOKEN, { 'value:2.1.1': '0.5', 'reason:2.1.1': 'Kế hoạch ban hành muộn' });
    expect(res.status).toBe(303);
    expect(await appraised()).toMatchObject({ '2.1.1': 0.5 });
  });

  it('refuses a form without the session\'s token or from another site, and writes nothing', async () => {
    expect((await send(appraiserKey, { 'value:1.3': '1', 'reason:1.3': 'x' }, { token: 'forged' })).status).toBe(403);
    expect((await send(appraiserKey, { 'value:1.3': '1', 'reason:1.3': 'x' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect(await appraised()).not.toHaveProperty('1.3');
  });

  it('shows the secretariat a published cycle read-only, with why', async () => {
    const html = await (await view(ADMIN_TOKEN, '/vi/workspace/cycles/2025/province/appraisal/01')).text();
    expect(html).toMatch(/data-read-only="true"><strong>Chỉ xem: <\/strong>Kỳ này đang ở giai đoạn «Đã công bố»: điểm đã khóa/);
    expect(html).not.toContain('data-appraisal-form');
  });

  it('shows a ministry cycle\'s progress too', async () => {
    expect((await app.request('/v1/cycles', post({ year: YEAR, unitType: 'ministry', methodology: 'par-ministry-2022' }))).status).toBe(201);
    const html = await (await view(appraiserKey, `/en/workspace/cycles/${YEAR}/ministry/appraisal`)).text();
    expect(html).toMatch(/<tr data-unit="[^"]+" data-appraised="0" data-total="[1-9]\d*"/);
  });

  it('answers 404 for a unit outside the cycle or a cycle that does not exist, and sends a stranger to sign-in', async () => {
    expect((await view(appraiserKey, `${PAGE}/nowhere`)).status).toBe(404);
    expect((await view(appraiserKey, '/vi/workspace/cycles/1999/province/appraisal')).status).toBe(404);
    const res = await app.page(PAGE);
    expect([res.status, res.headers.get('location')]).toEqual([303, '/vi/workspace/sign-in']);
  });
});
