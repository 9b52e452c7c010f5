// The unit's self-assessment form (issue 14), on both runtimes: a sub-criterion per leaf the unit
// self-assesses, each with its rule in words and an input that fits the rule; a save writes through
// the API's own checks, all or nothing, with every error beside its field and the input kept; the
// phase, the unit and the role decide as the API does; appraised values with their reasons; the
// unit's draft scorecard as the API computes it.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, as, freshApp, json, post, put, runtime } from './harness.js';

let app: Awaited<ReturnType<typeof freshApp>>;
let unitKey: string, otherUnitKey: string, ministryKey: string, appraiserKey: string;
const ORIGIN = 'http://localhost';
const FORM = '/vi/workspace/cycles/2051/province/self-assessment';

/** Every rule, at two depths: sub-criteria under criteria (1.x.y), and leaves straight under a domain (2.x). */
const METHODOLOGY = {
  id: 'sa-rules', version: 1, name: { vi: 'Bộ tiêu chí thử', en: 'Test set' }, unitType: 'province', years: [2051, 2052, 2053],
  mode: 'points', missing: 'zero', total: 10, rounding: 2,
  nodes: [
    { code: 'R', name: { vi: 'Chỉ số', en: 'Index' } },
    { code: '1', parent: 'R', name: { vi: 'Công tác chỉ đạo', en: 'Direction' } },
    { code: '1.1', parent: '1', name: { vi: 'Kế hoạch', en: 'Planning' } },
    { code: '1.1.1', parent: '1.1', max: 2, source: 'self', rule: { type: 'points' }, name: { vi: 'Ban hành kế hoạch cải cách hành chính', en: 'Reform plan issued' } },
    { code: '1.1.2', parent: '1.1', max: 1, source: 'self', rule: { type: 'binary' }, name: { vi: 'Báo cáo đúng hạn', en: 'Reports on time' } },
    { code: '1.2', parent: '1', name: { vi: 'Thực hiện', en: 'Delivery' } },
    { code: '1.2.1', parent: '1.2', max: 2, source: 'self', rule: { type: 'bands', bands: [{ min: 90, points: 2 }, { min: 50, share: 0.5 }] }, name: { vi: 'Tỷ lệ hoàn thành', en: 'Completion rate' } },
    { code: '1.2.2', parent: '1.2', max: 1, source: 'self', rule: { type: 'proportional', target: 20 }, name: { vi: 'Số thủ tục được đơn giản hóa', en: 'Procedures simplified' } },
    { code: '2', parent: 'R', name: { vi: 'Dịch vụ công', en: 'Public services' } },
    { code: '2.1', parent: '2', max: 1, source: 'self', rule: { type: 'linear', worst: 30, best: 5 }, name: { vi: 'Số ngày giải quyết', en: 'Days to settle' } },
    { code: '2.2', parent: '2', max: 1, source: 'self', rule: { type: 'survey' }, name: { vi: 'Khảo sát nội bộ', en: 'Internal survey' } },
    { code: '2.3', parent: '2', max: 1, source: 'appraisal', rule: { type: 'points' }, name: { vi: 'Kiểm tra thực tế', en: 'Inspection' } },
    { code: '2.4', parent: '2', max: 1, source: 'survey', rule: { type: 'survey' }, name: { vi: 'Sự hài lòng', en: 'Satisfaction' } },
  ],
};
const FORM_LEAVES = ['1.1.1', '1.1.2', '1.2.1', '1.2.2', '2.1', '2.2', '2.3'];

beforeAll(async () => {
  app = await freshApp();
  expect((await app.request('/v1/methodologies', post(METHODOLOGY))).status).toBe(201);
  for (const year of [2051, 2052, 2053]) expect((await app.request('/v1/cycles', post({ year, unitType: 'province', methodology: 'sa-rules' }))).status).toBe(201);
  expect((await app.request('/v1/cycles/2052/province/status', post({ status: 'appraisal' }))).status).toBe(200);
  const key = async (body: object) => (await json(await app.request('/v1/api-keys', post(body)))).key as string;
  unitKey = await key({ role: 'unit', unit: '01' });
  otherUnitKey = await key({ role: 'unit', unit: '04' });
  ministryKey = await key({ role: 'unit', unit: 'MOJ' });
  appraiserKey = await key({ role: 'appraiser' });
});

const cookies = new Map<string, string>();
/** A signed-in session's cookie (one sign-in per key). */
async function session(key: string): Promise<string> {
  if (!cookies.has(key)) {
    const res = await app.page(`${ORIGIN}/vi/workspace/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: new URLSearchParams({ key }).toString() });
    cookies.set(key, res.headers.get('set-cookie')!.split(';')[0]);
  }
  return cookies.get(key)!;
}
const open = async (key: string, url = FORM) => app.page(`${ORIGIN}${url}`, { headers: { cookie: await session(key) } });
const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)![1];
/** Posts the form as a browser sends it: from this site, with the page's token. */
async function save(key: string, fields: Record<string, string>, url = FORM, token?: string) {
  const cookie = await session(key);
  const t = token ?? tokenOf(await (await app.page(`${ORIGIN}${url}`, { headers: { cookie } })).text());
  return app.page(`${ORIGIN}${url}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, cookie },
    body: new URLSearchParams({ token: t, ...fields }).toString(),
  });
}
/** The unit's self-assessed rows, read back through the JSON API as the admin. */
async function selfRows(unit: string, year = 2051) {
  const body = await json(await app.request(`/v1/cycles/${year}/province/scores?revision=draft&unit=${unit}&source=self`, as()));
  return Object.fromEntries(body.scores.map((s: { indicator: string; value: unknown; evidence: string | null; note: string | null }) => [s.indicator, s]));
}
const attr = (html: string, name: string) => [...html.matchAll(new RegExp(`${name}="([^"]*)"`, 'g'))].map((m) => m[1]);
/** The <fieldset> of one sub-criterion. */
const leafOf = (html: string, code: string) => new RegExp(`<fieldset class="sa-leaf"[^>]*data-indicator="${code.replace(/\./g, '\\.')}"[\\s\\S]*?</fieldset>\\s*(?=<fieldset class="sa-leaf"|</section>)`).exec(html)?.[0] ?? '';

describe(`the self-assessment form on ${runtime}`, () => {
  it('asks for each sub-criterion the unit self-assesses, grouped by domain and criterion, with its maximum, its rule in words and an input that fits it', async () => {
    const res = await open(unitKey);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(attr(html, 'data-indicator')).toEqual(FORM_LEAVES); // not 2.4, scored by survey
    expect(attr(html, 'data-rule')).toEqual(['points', 'binary', 'bands', 'proportional', 'linear', 'survey', 'points']);
    expect(attr(html, 'data-domain')).toEqual(['1', '2']);
    expect(html).toContain('<h3>1.2. Thực hiện</h3>');
    expect(html).toContain('data-unit="01">Hà Nội');
    const points = leafOf(html, '1.1.1');
    expect(points).toContain('Ban hành kế hoạch cải cách hành chính');
    expect(points).toContain('tối đa 2 điểm');
    expect(points).toMatch(/<input type="number" id="sa0-value" name="value:1\.1\.1" step="any" inputmode="decimal" min="0" max="2"/);
    expect(points).toContain('aria-describedby="sa0-rule"');
    expect(leafOf(html, '1.1.2')).toMatch(/type="radio"[^>]*name="value:1\.1\.2" value="1"[\s\S]*type="radio"[^>]*name="value:1\.1\.2" value="0"/);
    expect(leafOf(html, '1.2.1')).toContain('Theo mức: nhập giá trị từ 0 đến 100; từ 90 trở lên: 2 điểm; từ 50 trở lên: 1 điểm; thấp hơn: 0 điểm.');
    expect(leafOf(html, '1.2.2')).toContain('so với chỉ tiêu 20');
    expect(leafOf(html, '2.1')).toMatch(/30 được 0 điểm, 5 được 1 điểm[\s\S]*min="5" max="30"/);
    const survey = leafOf(html, '2.2');
    expect(attr(survey, 'name').filter((n) => n.startsWith('value:'))).toEqual(['value:2.2:A', 'value:2.2:B', 'value:2.2:C', 'value:2.2:D']);
    expect(survey).toContain('B = 60%');
    expect(html).toMatch(/data-progress="true" data-answered="0" data-total="7"/);
    // English beside: the same form in the other language, numbers as English writes them.
    const en = await (await open(unitKey, FORM.replace('/vi/', '/en/'))).text();
    expect(leafOf(en, '1.2.2')).toContain('Achieved against the target 20');
    expect(leafOf(en, '1.1.1')).toContain('at most 2 points');
  });

  it('refuses a save with errors: 422, every error beside its field, every typed value kept, nothing written', async () => {
    const res = await save(unitKey, {
      'value:1.1.1': '5', 'evidence:1.1.1': 'Kế hoạch 12/KH-UBND',
      'value:1.1.2': '1',
      'value:1.2.2': 'mười', 'evidence:1.2.2': 'Quyết định 5/QĐ',
      'value:2.2:A': '30', 'value:2.2:B': '10', 'note:2.2': 'Phiếu khảo sát nội bộ',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/class="sa-errors" role="alert" data-errors="3"/);
    // Out of range (the engine's verdict), beside the value.
    expect(leafOf(html, '1.1.1')).toMatch(/aria-invalid="true" aria-describedby="sa0-rule sa0-value-error" value="5"|value="5"[^>]*aria-invalid="true"/);
    expect(leafOf(html, '1.1.1')).toMatch(/<p class="field-error" id="sa0-value-error"[^>]*>Giá trị không hợp lệ: <span lang="en">value 5 is outside \[0, 2\]/);
    // Without evidence or explanation: the API's rule, in the reader's words, beside the evidence and the note.
    const binary = leafOf(html, '1.1.2');
    expect(binary).toContain('id="sa1-evidence-error"');
    expect(binary).toContain('Cần ghi tài liệu kiểm chứng, hoặc thuyết minh vì sao không có.');
    expect(binary).toMatch(/<textarea id="sa1-note"[^>]*aria-invalid="true" aria-describedby="sa1-evidence-error"/);
    expect(binary).toMatch(/value="1" checked=""/);
    // Not a number: kept as typed.
    expect(leafOf(html, '1.2.2')).toMatch(/value="mười"/);
    expect(leafOf(html, '1.2.2')).toContain('Hãy nhập một số');
    // The sub-criteria without errors keep what was typed too, and are not marked.
    expect(leafOf(html, '2.2')).toMatch(/name="value:2\.2:A"[^>]*value="30"/);
    expect(leafOf(html, '2.2')).not.toContain('aria-invalid');
    expect(html).toContain('<a href="#sa0-value">1.1.1</a>');
    expect(await selfRows('01')).toEqual({});
    expect(html).toMatch(/data-answered="0"/);
  });

  it('puts a survey answer that is not a number beside the survey, and the API\'s text rules beside the evidence', async () => {
    const res = await save(unitKey, {
      'value:2.2:A': '12', 'value:2.2:B': 'nhiều', 'evidence:2.2': 'Phiếu 1',
      'value:2.1': '10', 'evidence:2.1': 'Báo cáo \u202Eđảo chiều',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/data-errors="2"/);
    const survey = leafOf(html, '2.2');
    expect(survey).toMatch(/name="value:2\.2:B"[^>]*value="nhiều"[^>]*aria-invalid="true" aria-describedby="sa5-rule sa5-value-error"/);
    expect(survey).toContain('id="sa5-value-error"');
    const linear = leafOf(html, '2.1');
    expect(linear).toMatch(/<textarea id="sa4-evidence"[^>]*aria-invalid="true" aria-describedby="sa4-evidence-error"/);
    expect(linear).toMatch(/id="sa4-evidence-error"[^>]*>Giá trị không hợp lệ: <span lang="en">[^<]*U\+202E/);
    expect(await selfRows('01')).toEqual({});
  });

  it('saves the filled sub-criteria as a draft (source self) and shows them stored, with progress; empty ones are left out', async () => {
    const res = await save(unitKey, {
      'value:1.1.1': '1,5', 'evidence:1.1.1': 'Kế hoạch 12/KH-UBND',
      'value:1.1.2': '1', 'note:1.1.2': 'Báo cáo gửi qua hệ thống, chưa có số văn bản',
      'value:1.2.1': '72.5', 'evidence:1.2.1': 'https://example.org/bao-cao',
      'value:2.2:A': '30', 'value:2.2:B': '10', 'note:2.2': 'Phiếu khảo sát nội bộ',
    });
    expect([res.status, res.headers.get('location')]).toEqual([303, `${FORM}?saved=1`]);
    const rows = await selfRows('01');
    expect(Object.keys(rows)).toEqual(['1.1.1', '1.1.2', '1.2.1', '2.2']);
    expect(rows['1.1.1']).toMatchObject({ value: 1.5, evidence: 'Kế hoạch 12/KH-UBND', note: null });
    expect(rows['1.1.2']).toMatchObject({ value: 1, note: 'Báo cáo gửi qua hệ thống, chưa có số văn bản' });
    expect(rows['2.2'].value).toEqual({ A: 30, B: 10 });
    const html = await (await open(unitKey, `${FORM}?saved=1`)).text();
    expect(html).toMatch(/class="saved" role="status" data-saved="true"/);
    expect(html).toMatch(/data-progress="true" data-answered="4" data-total="7"/);
    expect(leafOf(html, '1.1.1')).toMatch(/value="1\.5"/);
    expect(leafOf(html, '1.2.1')).toContain('>https://example.org/bao-cao</textarea>');
    expect(leafOf(html, '2.2')).toMatch(/name="value:2\.2:B"[^>]*value="10"/);
  });

  it('shows the unit its own draft scorecard: its points per domain and its index, as the API computes them', async () => {
    const html = await (await open(unitKey)).text();
    const card = await json(await app.request('/v1/cycles/2051/province/units/01?revision=draft', as({}, unitKey)));
    // 1.1.1: 1.5, 1.1.2: 1, 1.2.1 (72.5, band ≥ 50): 1, 2.2: (30 × 1 + 10 × 0.6) / 40 = 0.9; out of 10, the index is 44.
    expect(card.index).toBeCloseTo(44, 9);
    expect(html).toMatch(/<tr data-total="44">[\s\S]*?<td class="n">44,00<\/td>/);
    expect(html).toMatch(/data-domain-points="1">[\s\S]*?data-points="3\.5">3,50</);
    expect(html).toMatch(/data-domain-points="2">[\s\S]*?data-points="0\.9">0,90</);
  });

  it('writes an emptied sub-criterion as no data, and speaks the reader\'s language in its errors', async () => {
    const en = FORM.replace('/vi/', '/en/');
    const refused = await save(unitKey, { 'value:1.2.2': '4' }, en);
    expect(refused.status).toBe(422);
    expect(leafOf(await refused.text(), '1.2.2')).toContain('Name the evidence, or explain why there is none.');
    // 1.2.1 was stored: sent empty, it becomes no data (there is no deleting a score); the others stay as stored.
    const fields = { 'value:1.1.1': '1.5', 'evidence:1.1.1': 'Kế hoạch 12/KH-UBND', 'value:1.1.2': '1', 'note:1.1.2': 'Báo cáo gửi qua hệ thống, chưa có số văn bản', 'value:2.2:A': '30', 'value:2.2:B': '10', 'note:2.2': 'Phiếu khảo sát nội bộ' };
    expect((await save(unitKey, fields, en)).headers.get('location')).toBe(`${en}?saved=1`);
    const rows = await selfRows('01');
    expect(rows['1.2.1']).toMatchObject({ value: null, evidence: null, note: null });
    expect(rows['1.1.1'].value).toBe(1.5);
    const html = await (await open(unitKey, `${en}?saved=1`)).text();
    expect(html).toMatch(/data-answered="3" data-total="7"/);
    expect(html).toContain('The self-assessment draft is saved.');
  });

  it('refuses a unit another unit\'s form (403, nothing of it shown) and a post for it (nothing written)', async () => {
    const res = await open(unitKey, `${FORM}?unit=04`);
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('chỉ làm việc với đơn vị 01');
    expect(html).not.toContain('Cao Bằng');
    expect(html).not.toContain('data-indicator');
    const token = tokenOf(await (await open(unitKey)).text());
    const post = await save(unitKey, { 'value:1.1.1': '2', 'evidence:1.1.1': 'x' }, `${FORM}?unit=04`, token);
    expect(post.status).toBe(403);
    expect(await selfRows('04')).toEqual({});
    // Unit 04's own key opens its own form, with none of unit 01's values.
    const own = await (await open(otherUnitKey)).text();
    expect(own).toContain('data-unit="04"');
    expect(leafOf(own, '1.1.1')).toMatch(/name="value:1\.1\.1"[^>]*value=""/);
  });

  it('lets the secretariat choose a unit and save its self-assessment through the same checks', async () => {
    const chooser = await (await open(ADMIN_TOKEN)).text();
    expect(chooser).toMatch(/<form method="get" action="\/vi\/workspace\/cycles\/2051\/province\/self-assessment" class="work" data-unit-chooser="true">/);
    expect(chooser).toContain('<option value="04">04 · Cao Bằng</option>');
    const url = `${FORM}?unit=04`;
    expect((await open(ADMIN_TOKEN, url)).status).toBe(200);
    expect((await save(ADMIN_TOKEN, { 'value:1.1.1': '2' }, url)).status).toBe(422); // the evidence rule holds for admins too
    const res = await save(ADMIN_TOKEN, { 'value:1.1.1': '2', 'evidence:1.1.1': 'Công văn 7/UBND' }, url);
    expect([res.status, res.headers.get('location')]).toEqual([303, `${url}&saved=1`]);
    expect((await selfRows('04'))['1.1.1']).toMatchObject({ value: 2, evidence: 'Công văn 7/UBND' });
  });

  it('refuses a form posted from another site or without the session\'s token, and writes nothing', async () => {
    const before = await selfRows('01');
    expect((await save(unitKey, { 'value:1.2.2': '10', 'evidence:1.2.2': 'x' }, FORM, 'forged')).status).toBe(403);
    const cookie = await session(unitKey);
    const token = tokenOf(await (await open(unitKey)).text());
    const crossSite = await app.page(`${ORIGIN}${FORM}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', cookie },
      body: new URLSearchParams({ token, 'value:1.2.2': '10', 'evidence:1.2.2': 'x' }).toString(),
    });
    expect(crossSite.status).toBe(403);
    expect(await selfRows('01')).toEqual(before);
  });

  it('is read only, saying why, outside the open phase; a post then writes nothing, as the API refuses the same key', async () => {
    const url = FORM.replace('2051', '2052');
    const html = await (await open(unitKey, url)).text();
    expect(html).toContain('data-read-only="true">Chỉ xem: kỳ đánh giá đang ở giai đoạn thẩm định');
    expect(html).not.toContain('data-save');
    expect(leafOf(html, '1.1.1')).toMatch(/name="value:1\.1\.1"[^>]*readonly=""/);
    const token = tokenOf(html);
    expect((await save(unitKey, { 'value:1.1.1': '2', 'evidence:1.1.1': 'x' }, url, token)).status).toBe(409);
    expect(await selfRows('01', 2052)).toEqual({});
    expect((await app.request('/v1/cycles/2052/province/scores', put({ scores: [{ unit: '01', indicator: '1.1.1', source: 'self', value: 2, evidence: 'x' }] }, 'application/json', unitKey))).status).toBe(409);
    // The secretariat still writes until review.
    expect((await open(ADMIN_TOKEN, `${url}?unit=01`)).status).toBe(200);
    expect(await (await open(ADMIN_TOKEN, `${url}?unit=01`)).text()).toContain('data-save');
  });

  it('renders the national provincial methodology\'s form: every leaf scored by appraisal, none scored by survey', async () => {
    expect((await app.request('/v1/cycles', post({ year: 2054, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
    const doc = await json(await app.request('/v1/methodologies/par-province-2022'));
    const appraised = doc.document.nodes.filter((n: { source?: string }) => n.source === 'appraisal').map((n: { code: string }) => n.code);
    const res = await open(unitKey, FORM.replace('2051', '2054'));
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(attr(html, 'data-indicator')).toEqual(appraised);
    expect(html).toMatch(/data-answered="0" data-total="87"/);
  });

  it('refuses appraisers, and a unit not assessed in the cycle', async () => {
    const appraiser = await open(appraiserKey);
    expect(appraiser.status).toBe(403);
    expect(await appraiser.text()).not.toContain('data-indicator');
    expect((await open(ministryKey)).status).toBe(404);
    expect((await open(unitKey, '/vi/workspace/cycles/2099/province/self-assessment')).status).toBe(404);
  });

  it('shows, after appraisal, the appraised value and the appraiser\'s reason beside each sub-criterion adjusted', async () => {
    const url = FORM.replace('2051', '2053');
    expect((await save(unitKey, { 'value:2.3': '1', 'evidence:2.3': 'Biên bản kiểm tra', 'value:1.1.1': '2', 'evidence:1.1.1': 'KH 1' }, url)).status).toBe(303);
    expect((await app.request('/v1/cycles/2053/province/status', post({ status: 'appraisal' }))).status).toBe(200);
    const appraise = put({ scores: [
      { unit: '01', indicator: '2.3', source: 'appraisal', value: 0.5, reason: 'Biên bản chưa có chữ ký' },
    ] }, 'application/json', appraiserKey);
    expect((await app.request('/v1/cycles/2053/province/scores', appraise)).status).toBe(200);
    const html = await (await open(unitKey, url)).text();
    const adjusted = leafOf(html, '2.3');
    expect(adjusted).toMatch(/data-appraised="2\.3"[\s\S]*data-appraised-value="true">0,5<[\s\S]*data-reason="true">Biên bản chưa có chữ ký</);
    expect(leafOf(html, '1.1.1')).not.toContain('data-appraised');
  });
});
