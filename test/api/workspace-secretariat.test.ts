// The secretariat's cycle screens (issue 14), on both runtimes: a cycle opened, moved through every
// phase and published by decision from the pages, through the API's own code (what a form writes is
// read back through the JSON API); the decision on the public pages and in the JSON; errors beside
// their fields with the input kept and nothing changed; unit and appraiser keys refused as the API
// refuses them.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, freshApp, json, post, put, runtime } from './harness.js';

let app: Awaited<ReturnType<typeof freshApp>>;
let admin: string, appraiser: string, unit: string;
const ORIGIN = 'http://localhost';
const CYCLE = '/vi/workspace/cycles/2044/province';

async function signIn(key: string): Promise<string> {
  const res = await app.page(`${ORIGIN}/vi/workspace/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: new URLSearchParams({ key }).toString() });
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0];
}
const get = (path: string, cookie: string) => app.page(`${ORIGIN}${path}`, { headers: { cookie } });
const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)![1];
/** Posts a form as the browser would from `page` (its session's token, this site's Origin); the page must answer. */
async function send(page: string, action: string, cookie: string, fields: Record<string, string>) {
  const html = await (await get(page, cookie)).text();
  const token = tokenOf(html.includes('name="token"') ? html : await (await get('/vi/workspace', cookie)).text());
  return app.page(`${ORIGIN}${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, cookie }, body: new URLSearchParams({ token, ...fields }).toString() });
}
/** A streamed page's chunks as they arrive. */
async function chunksOf(res: Response): Promise<string[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(decoder.decode(r.value, { stream: true }));
  return chunks;
}
const move = (cookie: string, fields: Record<string, string>, cycle = CYCLE) => send(cycle, `${cycle}/status`, cookie, fields);
const cycleJson = async () => (await json(await app.request('/v1/cycles?unitType=province'))).cycles.find((c: any) => c.year === 2044);
const revisions = async () => (await json(await app.request('/v1/cycles/2044/province/revisions'))).revisions;
const scores = (rows: { unit: string; value: number }[]) => app.request('/v1/cycles/2044/province/scores', put({ scores: rows.map((r) => ({ ...r, indicator: '1.1.1', source: 'self', evidence: 'Báo cáo 7/BC-UBND' })) }));

beforeAll(async () => {
  app = await freshApp();
  const key = async (body: object) => (await json(await app.request('/v1/api-keys', post(body)))).key as string;
  admin = await signIn(ADMIN_TOKEN);
  appraiser = await signIn(await key({ role: 'appraiser' }));
  unit = await signIn(await key({ role: 'unit', unit: '01' }));
});

describe(`the secretariat's cycle screens on ${runtime}`, () => {
  it('opens a cycle from the form, with a stored methodology, through the API\'s checks', async () => {
    const form = await (await get('/vi/workspace/new-cycle', admin)).text();
    expect(form).toContain('data-form="new-cycle"');
    expect(form).toMatch(/<option value="par-province-2022@1"/);
    // The defaults go together: a province (the first unit type), and the methodology of the latest provincial cycle.
    expect(/<select id="unitType"[^>]*><option value="([^"]+)"/.exec(form)?.[1]).toBe('province');
    expect(form.match(/<option value="[^"]+" selected="" data-unit-type="[^"]+"/g)).toEqual(['<option value="par-province-2022@1" selected="" data-unit-type="province"']);
    // A methodology of the other unit type: refused beside its field, the input kept, nothing opened.
    const wrong = await send('/vi/workspace/new-cycle', '/vi/workspace/new-cycle', admin, { year: '2044', unitType: 'ministry', methodology: 'par-province-2022@1' });
    expect(wrong.status).toBe(422);
    const page = await wrong.text();
    expect(page).toMatch(/<select id="unitType" name="unitType" aria-invalid="true" aria-describedby="unitType-error">/);
    expect(page).toContain('data-field-error="unitType"');
    expect(page).toMatch(/<option value="ministry" selected/);
    expect(page).toContain('role="alert"');
    expect(await cycleJson()).toBeUndefined();
    const bad = await send('/vi/workspace/new-cycle', '/vi/workspace/new-cycle', admin, { year: 'hai nghìn', unitType: 'province', methodology: 'par-province-2022@1' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('data-field-error="year"');

    const opened = await send('/vi/workspace/new-cycle', '/vi/workspace/new-cycle', admin, { year: '2044', unitType: 'province', methodology: 'par-province-2022@1' });
    expect([opened.status, opened.headers.get('location')]).toEqual([303, `${CYCLE}?opened=1`]);
    expect(await cycleJson()).toMatchObject({ status: 'open', revision: 0, methodology: { id: 'par-province-2022', version: 1 } });
    const again = await send('/vi/workspace/new-cycle', '/vi/workspace/new-cycle', admin, { year: '2044', unitType: 'province', methodology: 'par-province-2022@1' });
    expect(again.status).toBe(409);
    const cyclePage = await (await get(`${CYCLE}?opened=1`, admin)).text();
    expect(cyclePage).toContain('data-phase="open"');
    expect(cyclePage).toContain('data-move="appraisal"');
    expect(cyclePage).toContain('Đã mở kỳ đánh giá.');
  });

  it('refuses unit and appraiser keys the cycle form, as the API refuses them POST /v1/cycles', async () => {
    for (const cookie of [unit, appraiser]) {
      expect((await get('/vi/workspace/new-cycle', cookie)).status).toBe(403);
      const token = tokenOf(await (await get('/vi/workspace', cookie)).text());
      const res = await app.page(`${ORIGIN}/vi/workspace/new-cycle`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, cookie }, body: new URLSearchParams({ token, year: '2045', unitType: 'province', methodology: 'par-province-2022@1' }).toString() });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('data-refused');
    }
    expect((await json(await app.request('/v1/cycles?unitType=province'))).cycles.some((c: any) => c.year === 2045)).toBe(false);
  });

  it('walks the phases from the pages: appraisal, review (by an appraiser), published by decision', async () => {
    expect((await scores([{ unit: '01', value: 0.25 }, { unit: '04', value: 0.5 }])).status).toBe(200);
    // A unit key: the cycle page is refused as the API refuses it the status route.
    expect((await get(CYCLE, unit)).status).toBe(403);
    const toAppraisal = await move(admin, { status: 'appraisal' });
    expect([toAppraisal.status, toAppraisal.headers.get('location')]).toEqual([303, `${CYCLE}?moved=appraisal`]);
    // The appraiser sees only the move the API lets it make, and makes it.
    const seen = await (await get(CYCLE, appraiser)).text();
    expect(seen).toContain('data-move="review"');
    expect(seen).not.toContain('data-move="published"');
    expect((await move(appraiser, { status: 'review' })).status).toBe(303);
    expect((await cycleJson()).status).toBe('review');
    // …but may not publish: refused, nothing published.
    const byAppraiser = await move(appraiser, { status: 'published', decisionNumber: '1/QĐ', decisionDate: '2045-01-02' });
    expect(byAppraiser.status).toBe(403);
    expect(await revisions()).toEqual([]);

    const review = await (await get(`${CYCLE}/review`, admin)).text();
    expect(review).toContain('data-diff="none"');
    expect(review).toMatch(/<table id="draft-ranking">/);
    expect(review).toMatch(/<tr data-unit="04">/);
    expect((await get(`${CYCLE}/review`, unit)).status).toBe(403);

    const page = await (await get(CYCLE, admin)).text();
    expect(page).toMatch(/<input id="decisionNumber" name="decisionNumber" type="text"[^>]*required/);
    // A publication is streamed: its steps as they are done, then the revision's own page by GET.
    const published = await move(admin, { status: 'published', decisionNumber: '268/QĐ-BNV', decisionDate: '2045-03-28' });
    expect([published.status, published.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const chunks = await chunksOf(published);
    // Each step leaves as it is reached: the first line before the outcome is known.
    const at = (text: string) => chunks.findIndex((chunk) => chunk.includes(text));
    expect(at('role="log"')).toBe(0);
    expect(at('<li data-step="1">Đang tính kết quả để công bố…</li>')).toBeGreaterThan(0);
    expect(at('<li data-step="1">')).toBeLessThan(at('data-outcome="done"'));
    const streamed = chunks.join('');
    const [r1] = await revisions();
    expect(r1).toMatchObject({ revision: 1, decision: { number: '268/QĐ-BNV', date: '2045-03-28' }, reason: null });
    const units = (await json(await app.request('/v1/cycles/2044/province/results'))).results.length;
    expect(streamed).toContain(`<li data-step="2">Đã tính kết quả: ${units} đơn vị.</li>`);
    expect(streamed).toContain('<li data-step="3">Đã công bố lần 1: kết quả và điểm đã được niêm phong.</li>');
    expect(streamed).toContain(`<li data-step="4">Mã SHA-256 của lần công bố: ${r1.contentHash}.</li>`);
    expect(streamed).toContain(`<a href="${CYCLE}/revisions/1" data-result-link="true">`);
    expect(streamed).toContain(`<meta http-equiv="refresh" content="0;url=${CYCLE}/revisions/1"/>`);
    const result = await (await get(`${CYCLE}/revisions/1`, admin)).text();
    expect(result).toContain('data-decision="268/QĐ-BNV">Quyết định 268/QĐ-BNV ngày 28/3/2045</dd>');
    expect(result).toContain(`<code data-hash="true">${r1.contentHash}</code>`);
    // Reloading the result publishes nothing; an appraiser reads it too, a unit does not.
    expect(await (await get(`${CYCLE}/revisions/1`, admin)).text()).toBe(result);
    expect((await revisions()).length).toBe(1);
    expect((await get(`${CYCLE}/revisions/1`, appraiser)).status).toBe(200);
    expect((await get(`${CYCLE}/revisions/1`, unit)).status).toBe(403);
    expect((await get(`${CYCLE}/revisions/9`, admin)).status).toBe(404);
    // Posting the publication again is refused as the API refuses it, beside the form (409), publishing nothing.
    expect((await move(admin, { status: 'published', decisionNumber: '268/QĐ-BNV', decisionDate: '2045-03-28' })).status).toBe(409);
    expect((await revisions()).length).toBe(1);
  });

  it('shows a publication\'s decision on the public ranking and profile, and in the JSON provenance and bundle', async () => {
    const vi = await (await app.page('/vi/ranking/2044/province')).text();
    expect(vi).toContain('Quyết định 268/QĐ-BNV ngày 28/3/2045');
    expect(vi).toContain('data-decision="268/QĐ-BNV"');
    const en = await (await app.page('/en/units/01/2044')).text();
    expect(en).toContain('Decision 268/QĐ-BNV of 28 March 2045');
    const results = await json(await app.request('/v1/cycles/2044/province/results'));
    expect(results.revision).toMatchObject({ kind: 'publication', revision: 1, decision: { number: '268/QĐ-BNV', date: '2045-03-28' } });
    // The decision is part of the bytes its content hash covers.
    const bundle = await app.request('/v1/cycles/2044/province/revisions/1/bundle');
    expect(JSON.parse(await bundle.text()).decision).toEqual({ number: '268/QĐ-BNV', date: '2045-03-28' });
    // A demo publication, published without a decision, shows none and its bundle has no decision key.
    expect(await (await app.page('/vi/ranking/2023/province')).text()).not.toContain('data-decision=');
    expect(JSON.parse(await (await app.request('/v1/cycles/2023/province/revisions/1/bundle')).text())).not.toHaveProperty('decision');
  });

  it('refuses a correction without a reason, and a move from the wrong phase, beside the fields, changing nothing', async () => {
    const noReason = await move(admin, { status: 'correction', reason: '  ' });
    expect(noReason.status).toBe(422);
    const page = await noReason.text();
    expect(page).toMatch(/<textarea id="reason" name="reason"[^>]* aria-invalid="true" aria-describedby="reason-error">\s*<\/textarea>/);
    expect(page).toContain('data-field-error="reason"');
    const wrongPhase = await move(admin, { status: 'review' });
    expect(wrongPhase.status).toBe(409);
    expect(await wrongPhase.text()).toMatch(/data-move="review"[\s\S]*role="alert"[\s\S]*The cycle is published/);
    expect((await cycleJson())).toMatchObject({ status: 'published', revision: 1 });
  });

  it('publishes a correction as revision 2 with its own decision, after its diff is reviewed', async () => {
    expect((await move(admin, { status: 'correction', reason: 'Sửa điểm 1.1.1 của Hà Nội theo hồ sơ bổ sung' })).status).toBe(303);
    expect((await scores([{ unit: '01', value: 0.5 }])).status).toBe(200);
    const review = await (await get(`${CYCLE}/review`, admin)).text();
    expect(review).toContain('data-diff="1"');
    expect(review).toContain('data-score-change="01/1.1.1/self"');

    // Missing decision number and a date that is no date: both beside their fields, input kept, nothing published.
    const bad = await move(admin, { status: 'published', decisionNumber: '', decisionDate: '2045-02-30' });
    expect(bad.status).toBe(422);
    const page = await bad.text();
    expect(page).toMatch(/<input id="decisionNumber" name="decisionNumber"[^>]*aria-invalid="true" aria-describedby="decisionNumber-hint decisionNumber-error"/);
    expect(page).toContain('data-field-error="decisionDate"');
    expect(page).toMatch(/<input id="decisionDate" name="decisionDate" type="date"[^>]* value="2045-02-30" aria-invalid="true" aria-describedby="decisionDate-error"/);
    expect((await revisions()).length).toBe(1);

    expect(page).toMatch(/data-move="published"[\s\S]*<textarea id="reason" name="reason"/);
    const second = await (await move(admin, { status: 'published', decisionNumber: '301/QĐ-BNV', decisionDate: '2045-05-10', reason: 'Sửa điểm 1.1.1 của Hà Nội theo hồ sơ bổ sung' })).text();
    expect(second).toContain('data-outcome="done"');
    expect(second).toContain(`<a href="${CYCLE}/revisions/2" data-result-link="true">`);
    const [r2, r1] = await revisions();
    expect(r2).toMatchObject({ revision: 2, reason: 'Sửa điểm 1.1.1 của Hà Nội theo hồ sơ bổ sung', decision: { number: '301/QĐ-BNV', date: '2045-05-10' } });
    expect(r1.decision).toEqual({ number: '268/QĐ-BNV', date: '2045-03-28' });
    expect(await (await app.page('/vi/ranking/2044/province')).text()).toContain('Quyết định 301/QĐ-BNV ngày 10/5/2045');
    expect(await (await app.page('/vi/ranking/2044/province?revision=1')).text()).toContain('Quyết định 268/QĐ-BNV ngày 28/3/2045');
  });

  it('takes the decision in the API too: optional there, refused with another move, checked as the page checks it', async () => {
    const api = (body: object) => app.request('/v1/cycles/2044/province/status', post(body));
    const withAppraisal = await api({ status: 'correction', reason: 'x', decision: { number: '1/QĐ', date: '2045-06-01' } });
    expect(withAppraisal.status).toBe(422);
    expect((await json(withAppraisal)).errors).toEqual([expect.objectContaining({ pointer: '/decision' })]);
    expect((await api({ status: 'correction', reason: 'x', decision: { number: '1/QĐ', date: '1 June' } })).status).toBe(422);
    expect((await cycleJson()).status).toBe('published');
  });

  it('reviews a correction of a fully scored cycle: each unit\'s index and rank change against the publication', async () => {
    const demo = '/vi/workspace/cycles/2023/province';
    expect((await move(admin, { status: 'correction', reason: 'Rà soát lại điểm của Hà Nội' }, demo)).status).toBe(303);
    const row = (await json(await app.request('/v1/cycles/2023/province/scores?unit=01'))).scores.find((s: any) => typeof s.value === 'number' && s.value > 0);
    expect((await app.request('/v1/cycles/2023/province/scores', put({ scores: [{ unit: '01', indicator: row.indicator, source: row.source, value: 0 }] }))).status).toBe(200);
    const review = await (await get(`${demo}/review`, admin)).text();
    expect(review).toMatch(/<tr data-unit-change="01"><th scope="row" lang="vi">Hà Nội<\/th>/);
    expect(review).toContain(`data-score-change="01/${row.indicator}/${row.source}"`);
    const en = await (await get(`${demo.replace('/vi/', '/en/')}/review`, admin)).text();
    expect(en).toMatch(/<table id="draft-ranking">/);
  });
});
