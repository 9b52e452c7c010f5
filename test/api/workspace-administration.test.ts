// The secretariat's workspace screens (issue 14) on both runtimes: score upload as CSV with a
// dry-run preview and a sealed commit, access keys issued and revoked, the audit log with filters;
// each through the API's own functions, so a key the API refuses is refused on the page too.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { as, freshApp, json, post, runtime } from './harness.js';

let app: Awaited<ReturnType<typeof freshApp>>;
let adminKey: string, adminKeyId: string, unitKey: string, appraiserKey: string;
let admin: string; // the admin's session cookie
let survey: string[]; // survey-scored indicators of the province methodology, 2 points at most
let other: string; // a province of the cycle other than 01
const ORIGIN = 'http://localhost';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
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
const sealedFields = (page: string) => Object.fromEntries(['token', 'step', 'content', 'kind', 'digest', 'version', 'seal'].map((k) => [k, hidden(page, k)]));
const csv = (...lines: string[]) => ['unit,indicator,source,value', ...lines].join('\n');

describe(`the secretariat's score upload on ${runtime}`, () => {
  it('shows the form with the header, a survey sample, and that CSV or the cycle\'s Excel template is what is taken', async () => {
    const res = await open(UPLOAD, admin);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toMatch(/<pre class="sample" data-sample="true">unit,indicator,source,value\n01,[\d.]+,survey,2<\/pre>/);
    expect(html).toContain('Nhận tệp CSV (UTF-8, dấu phẩy hoặc dấu chấm phẩy) hoặc tệp Excel (XLSX) theo mẫu của kỳ, đã điền.');
    expect(html).toContain(`<a href="${UPLOAD}/template" download="" data-template="true">`);
    expect(html).toContain('Tối đa 200.000 dòng và 64 MiB mỗi lần tải lên.');
    const en = await (await open(UPLOAD.replace('/vi/', '/en/'), admin)).text();
    expect(en).toContain('the cycle&#39;s Excel (XLSX) template, filled in.');
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
    const fields = sealedFields(page);
    expect(fields.step).toBe('commit');
    expect(fields.kind).toBe('csv');
    const result = await send(UPLOAD, admin, fields);
    // Post/redirect/get: the result is a page of its own, signed for this session.
    expect(result.status).toBe(303);
    const location = result.headers.get('location')!;
    expect(location).toMatch(/\/scores\/upload\/result\?o=3\.3\.0\.0\.\d+&s=[0-9a-f]{64}$/);
    const done = await (await open(location, admin)).text();
    expect(done).toContain('data-result="true" data-changed="true"');
    expect(counts(done)).toEqual({ received: 3, inserted: 3, updated: 0, unchanged: 0 });
    const cycle = (await json(await app.request('/v1/cycles', as()))).cycles.find((c: any) => c.year === YEAR && c.unitType === 'province');
    expect(done).toContain(`data-data-version="${cycle.dataVersion}"`);
    expect((await surveyScores()).map((s) => [s.unit, s.indicator, s.value])).toEqual([['01', survey[0], 1.5], ['01', survey[1], 2], [other, survey[0], 2]]);
    const audit = await json(await app.request(`/v1/audit?year=${YEAR}&unitType=province&action=scores.upsert`, as()));
    expect(audit.entries.map((e: any) => [e.unit, e.actorKey, e.actorRole]).sort()).toEqual([['01', adminKeyId, 'admin'], [other, adminKeyId, 'admin']].sort());
    // Reloading the result page writes nothing; its link cannot be forged, nor read by another session.
    expect(await (await open(location, admin)).text()).toBe(done);
    expect((await json(await app.request(`/v1/audit?year=${YEAR}&unitType=province&action=scores.upsert`, as()))).entries.length).toBe(audit.entries.length);
    expect((await open(location.replace('o=3.3.0.0', 'o=3.0.3.0'), admin)).status).toBe(404);
    expect((await open(location, await signIn(adminKey))).status).toBe(404);
    // Numbers in the reader's language on the preview of an update.
    const again = await (await send(UPLOAD, admin, { token: fields.token, csv: csv(`01,${survey[0]},survey,0.5`) })).text();
    expect(counts(again)).toEqual({ received: 1, inserted: 0, updated: 1, unchanged: 0 });
  });

  it('takes the cycle\'s Excel template, filled: a bad cell named by sheet, row and column with nothing written, then fixed and committed', async () => {
    const res = await open(`${UPLOAD}/template`, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="par-index-${YEAR}-province-template.xlsx"`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.getWorksheet('điểm')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const rowOf = (unit: string, indicator: string) => {
      for (let r = 2; r <= sheet.rowCount; r++) {
        const row = sheet.getRow(r);
        if (row.getCell(col('mã đơn vị')).value === unit && row.getCell(col('mã tiêu chí')).value === indicator && row.getCell(col('nguồn điểm')).value === 'survey') return r;
      }
      throw new Error(`no template row for ${unit} ${indicator}`);
    };
    const good = rowOf('01', survey[3]), bad = rowOf(other, survey[3]);
    sheet.getRow(good).getCell(col('giá trị')).value = 1.25;
    sheet.getRow(bad).getCell(col('giá trị')).value = '1,5';
    const letter = String.fromCharCode(64 + col('giá trị'));
    const before = await surveyScores();
    const file = async () => new File([await book.xlsx.writeBuffer() as ArrayBuffer], 'mau.xlsx', { type: XLSX });
    const refused = await send(UPLOAD, admin, { token: await tokenOf(UPLOAD, admin), file: await file() });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect([...html.matchAll(/data-error-row="(\d+)" data-error-field="\w*" data-error-cell="([^"]+)"/g)].map((m) => [Number(m[1]), m[2]])).toEqual([[bad, `điểm!${letter}`]]);
    expect(await surveyScores()).toEqual(before);
    sheet.getRow(bad).getCell(col('giá trị')).value = 1.5;
    const page = await (await send(UPLOAD, admin, { token: await tokenOf(UPLOAD, admin), file: await file() })).text();
    // The template comes back with the stored scores filled in: they travel again, unchanged.
    expect(before.length).toBeGreaterThan(0);
    expect(counts(page)).toEqual({ received: 2 + before.length, inserted: 2, updated: 0, unchanged: before.length });
    const fields = sealedFields(page);
    expect(fields.kind).toBe('xlsx');
    expect((await send(UPLOAD, admin, fields)).status).toBe(303);
    const stored = (await surveyScores()).filter((s) => s.indicator === survey[3]).map((s) => [s.unit, s.value]);
    expect(stored.sort()).toEqual([['01', 1.25], [other, 1.5]].sort());
  });

  it('refuses a commit whose content is not what was previewed, or whose cycle changed since, and writes nothing', async () => {
    const token = await tokenOf(UPLOAD, admin);
    const page = await (await send(UPLOAD, admin, { token, csv: csv(`01,${survey[2]},survey,1`) })).text();
    const fields = sealedFields(page);
    const changed = csv(`01,${survey[2]},survey,2`);
    const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(changed)))].map((b) => b.toString(16).padStart(2, '0')).join('');
    for (const tampered of [{ content: btoa(changed) }, { content: btoa(changed), digest }, { version: String(Number(fields.version) + 1) }, { seal: '0'.repeat(64) }, { kind: 'xlsx' }] as Record<string, string>[]) {
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

const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

/** A streamed page's chunks as they arrive. */
async function chunksOf(res: Response): Promise<string[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(decoder.decode(r.value, { stream: true }));
  return chunks;
}

describe(`a long upload on ${runtime}: streamed with its progress, ending on a result page`, () => {
  const BIG_YEAR = 2046;
  const BIG = `/vi/workspace/cycles/${BIG_YEAR}/province/scores/upload`;
  let lines: string[]; // 2,500 valid rows: every points leaf of the methodology for each province, value 0
  const cycleNow = async () => (await json(await app.request('/v1/cycles', as()))).cycles.find((c: any) => c.year === BIG_YEAR);
  const stored = async () => (await json(await app.request(`/v1/cycles/${BIG_YEAR}/province/scores?revision=draft&limit=5000`, as()))).scores.length as number;

  beforeAll(async () => {
    expect((await app.request('/v1/cycles', post({ year: BIG_YEAR, unitType: 'province', methodology: 'par-province-2022' }))).status).toBe(201);
    const nodes = (await json(await app.request('/v1/methodologies/par-province-2022'))).document.nodes as any[];
    const leaves = nodes.filter((n) => n.rule?.type === 'points');
    const units = ((await json(await app.request('/v1/units?unitType=province'))).units as { code: string; validTo: string | null }[]).filter((u) => u.validTo === null);
    lines = units.flatMap((u) => leaves.map((n) => `${u.code},${n.code},${n.source},0`)).slice(0, 2500);
    expect(lines.length).toBe(2500);
  });

  it('previews 2,500 rows as lines that arrive while the rows are checked, 1,000 at a time, then the counts; nothing written', async () => {
    const res = await send(BIG, admin, { token: await tokenOf(BIG, admin), file: new File([csv(...lines)], 'big.csv', { type: 'text/csv' }) });
    expect([res.status, res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual([200, 'text/html; charset=utf-8', 'no-store']);
    const chunks = await chunksOf(res);
    const html = chunks.join('');
    // The page's head and its log leave before the work's outcome is known.
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks[0]).toContain('<div role="log" aria-labelledby="op-title"><ol class="op-log" data-operation>');
    expect(chunks[0]).not.toContain('data-outcome');
    expect(html).toContain('<li data-step="1">Đã đọc 2.500 dòng.</li>');
    expect([...html.matchAll(/data-done="(\d+)" data-total="2500"><label for="step-\d">([^<]+)<\/label>/g)].map((m) => [m[1], m[2]]))
      .toEqual([['1000', 'Đã kiểm tra 1.000/2.500 dòng.'], ['2000', 'Đã kiểm tra 2.000/2.500 dòng.'], ['2500', 'Đã kiểm tra 2.500/2.500 dòng.']]);
    expect(html).toContain('<progress id="step-2" max="2500" value="1000">40 %</progress>');
    expect(html).toContain('data-outcome="done"');
    expect(counts(html)).toEqual({ received: 2500, inserted: 2500, updated: 0, unchanged: 0 });
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(await stored()).toBe(0);

    // The commit: read, checked, written, recomputed; then the result page by GET, which a reload leaves as it is.
    const commit = await send(BIG, admin, sealedFields(html));
    expect(commit.status).toBe(200);
    const done = (await chunksOf(commit)).join('');
    expect(done).toContain('Đã ghi 2.500 dòng thay đổi trong một lần ghi trọn vẹn.');
    expect(done).toContain('Đã tính lại kết quả của kỳ.');
    const link = /<a href="([^"]+)" data-result-link="true">/.exec(done)![1].replaceAll('&amp;', '&');
    expect(done).toContain(`<meta http-equiv="refresh" content="0;url=${link.replaceAll('&', '&amp;')}"/>`);
    expect(await stored()).toBe(2500);
    const result = await (await open(link, admin)).text();
    expect(counts(result)).toEqual({ received: 2500, inserted: 2500, updated: 0, unchanged: 0 });
    const audits = (await json(await app.request(`/v1/audit?year=${BIG_YEAR}&unitType=province&action=scores.upsert`, as()))).entries.length;
    expect(await (await open(link, admin)).text()).toBe(result);
    expect((await json(await app.request(`/v1/audit?year=${BIG_YEAR}&unitType=province&action=scores.upsert`, as()))).entries.length).toBe(audits);
    // Posting the same commit again is refused: the cycle's data changed since its preview.
    expect((await send(BIG, admin, sealedFields(html))).status).toBe(409);
    expect(await stored()).toBe(2500);
  });

  it('ends a long upload with a bad row on the form again: its row and column, the content kept, nothing written', async () => {
    const bad = [...lines.slice(0, 2399), lines[2399].replace(/,0$/, ',abc'), ...lines.slice(2400)];
    const content = csv(...bad);
    const before = await cycleNow();
    const res = await send(BIG, admin, { token: await tokenOf(BIG, admin), file: new File([content], 'big.csv') });
    expect(res.status).toBe(200);
    const html = (await chunksOf(res)).join('');
    expect(html).toContain('data-outcome="failed"');
    expect([...html.matchAll(/data-error-row="(\d+)" data-error-field="(\w+)"/g)].map((m) => [m[1], m[2]])).toEqual([['2400', 'value']]);
    expect(html).toContain(`aria-describedby="form-errors upload-help">${content}</textarea>`);
    expect(html).not.toContain('data-commit-form');
    expect((await cycleNow()).dataVersion).toBe(before.dataVersion);
  });
});

describe(`methodologies in the workspace on ${runtime}`, () => {
  const PAGE = '/vi/workspace/methodologies';
  const sheet = (id: string, nodes: string[]) => `id,${id}\nmode,points\nmissing,zero\n\ncode,parent,name_vi,name_en,max,source,rule,bands,target\n${nodes.join('\n')}\n`;
  const good = sheet('ws-test', ['R,,Chỉ số,Index,,,,,', '1,,Một,One,,,,,', '1.1,,a,a,2,appraisal,bands,≥100:2; ≥50:50%; else:0,', '1.2,,b,b,3,appraisal,proportional,,100', '2,,Hai,Two,5,survey,survey,,']);
  const methodologyFields = (page: string) => Object.fromEntries(['token', 'step', 'content', 'kind', 'digest', 'seal'].map((k) => [k, hidden(page, k)]));
  const audited = async () => (await json(await app.request('/v1/audit?action=methodology.create', as()))).entries.length as number;

  it('lists the stored methodologies with their CSV and XLSX downloads, linked from the workspace home', async () => {
    expect(await (await open('/vi/workspace', admin)).text()).toContain(`<a href="${PAGE}">Phương pháp đánh giá</a>`);
    const html = await (await open(PAGE, admin)).text();
    expect(html).toContain('<a href="/v1/methodologies/par-province-2022?version=1&amp;format=xlsx&amp;lang=vi" data-download="xlsx">XLSX</a>');
    const csvLink = /href="(\/v1\/methodologies\/par-province-2022\?version=1&amp;format=csv[^"]*)"/.exec(html)![1].replaceAll('&amp;', '&');
    const download = await app.request(csvLink);
    expect([download.status, download.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
    expect(html).toMatch(/<input id="file" name="file" type="file" accept="[^"]*\.xlsx[^"]*" aria-describedby="shape-help"/);
  });

  it('previews a CSV as the tree with each domain\'s total, as the API\'s dry run, then stores it through the same path; a reload stores nothing', async () => {
    const token = await tokenOf(PAGE, admin);
    const preview = await send(PAGE, admin, { token, file: new File([good], 'ws-test.csv', { type: 'text/csv' }) });
    expect(preview.status).toBe(200);
    const page = await preview.text();
    const api = await json(await app.request('/v1/methodologies?dryRun=true', as({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: good })));
    expect(page).toContain(`data-stored="new"`);
    expect(page).toContain(`<code data-hash="true">${api.contentHash}</code>`);
    expect(page).toContain('data-levels="1,2,2"');
    expect(page).toContain('data-total="10"');
    expect([...page.matchAll(/data-domain="([^"]+)" data-max="([^"]*)"/g)].map((m) => [m[1], Number(m[2])])).toEqual(api.domains.map((d: any) => [d.code, d.max]));
    expect((await app.request('/v1/methodologies/ws-test')).status).toBe(404);
    const before = await audited();
    const stored = await send(PAGE, admin, methodologyFields(page));
    expect([stored.status, stored.headers.get('location')]).toEqual([303, `${PAGE}/ws-test/1?stored=new`]);
    const m = await json(await app.request('/v1/methodologies/ws-test'));
    expect(m.contentHash).toBe(api.contentHash);
    expect(await audited()).toBe(before + 1);
    const result = await (await open(`${PAGE}/ws-test/1?stored=new`, admin)).text();
    expect(result).toContain(`<code data-hash="true">${m.contentHash}</code>`);
    expect(result).toContain('data-result="new"');
    expect(await (await open(`${PAGE}/ws-test/1?stored=new`, admin)).text()).toBe(result);
    // The same commit posted again stores nothing new: the same version with the same content.
    const again = await send(PAGE, admin, methodologyFields(page));
    expect(again.headers.get('location')).toBe(`${PAGE}/ws-test/1?stored=same`);
    expect(await audited()).toBe(before + 1);
    // Tampered content is refused.
    expect((await send(PAGE, admin, { ...methodologyFields(page), content: base64(good.replace('ws-test', 'ws-other')) })).status).toBe(409);
    expect((await app.request('/v1/methodologies/ws-other')).status).toBe(404);
  });

  it('previews an XLSX workbook (a stored methodology\'s download) as the same version with the same content', async () => {
    const xlsx = new Uint8Array(await (await app.request('/v1/methodologies/par-province-2022?format=xlsx')).arrayBuffer());
    const page = await (await send(PAGE, admin, { token: await tokenOf(PAGE, admin), file: new File([xlsx], 'm.xlsx') })).text();
    expect(page).toContain('data-stored="same"');
    expect(hidden(page, 'kind')).toBe('xlsx');
  });

  it('lists every problem of a bad file with its sheet, row, column and node, as the API places them, keeps the CSV, stores nothing', async () => {
    const bad = sheet('ws-bad', ['R,,Chỉ số,Index,,,,,', '1,,Một,One,5,,,,', '1.1,,a,a,"2,5",appraisal,points,,', '1.1,,b,b,1,appraisal,stars,,', '1.2,,c,c,two,appraisal,bands,>80:1,', '9.1,,d,d,1,appraisal,,,']);
    const before = await audited();
    const res = await send(PAGE, admin, { token: await tokenOf(PAGE, admin), file: new File([bad], 'bad.csv') });
    expect(res.status).toBe(422);
    const html = await res.text();
    const api = await json(await app.request('/v1/methodologies', as({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: bad })));
    const placed = [...html.matchAll(/data-problem-sheet="([^"]*)" data-problem-row="(\d*)" data-problem-column="([^"]*)" data-problem-node="([^"]*)"/g)].map((m) => m.slice(1).join(' '));
    expect(placed.length).toBeGreaterThanOrEqual(5);
    expect(placed).toEqual(api.errors.map((e: any) => [e.sheet, e.row ?? '', e.column ?? '', e.indicator ?? ''].join(' ')));
    expect(placed).toContain('nodes 8 E 1.1');
    expect(html).toContain('role="alert" id="form-errors" data-problem="invalid-methodology"');
    expect(html).toContain(`aria-describedby="form-errors shape-help">${bad.replaceAll('"', '&quot;').replaceAll('>', '&gt;')}</textarea>`);
    expect((await app.request('/v1/methodologies/ws-bad')).status).toBe(404);
    expect(await audited()).toBe(before);
  });

  it('refuses the screens to a unit key, as the API refuses it POST /v1/methodologies', async () => {
    const unit = await signIn(unitKey);
    expect((await open(PAGE, unit)).status).toBe(403);
    expect((await send(PAGE, unit, { token: await tokenOf('/vi/workspace', unit), csv: good.replace('ws-test', 'ws-unit') })).status).toBe(403);
    expect((await app.request('/v1/methodologies/ws-unit')).status).toBe(404);
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
