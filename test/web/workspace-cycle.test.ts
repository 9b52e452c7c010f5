// One whole cycle in a real browser (issue 14), on the Node server: the secretariat opens a cycle and
// issues keys; a ministry self-assesses through the form, with a field error that it corrects; the
// cycle moves to appraisal; an appraiser adjusts one score with a reason and accepts the rest; the
// secretariat uploads survey scores from a file with one bad row (refused, nothing written), fixes
// it, reviews, and publishes with a decision number; the public ranking and the unit's profile show
// exactly the JSON's numbers and the decision; a correction is published as revision 2 with its diff.
// Screens are photographed under var/screenshots/ for the README's guides.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, getJson, open, photograph, vi, type Site, startBrowserSite } from './browser.js';
import { ADMIN } from './server.js';

let site: Site;
const YEAR = 2030, TYPE = 'ministry';
const CYCLE = `/vi/workspace/cycles/${YEAR}/${TYPE}`;
const API = `/v1/cycles/${YEAR}/${TYPE}`;
const DECISION = { number: '268/QĐ-BNV', date: '2031-03-28' };
const CORRECTION = { number: '301/QĐ-BNV', date: '2031-04-15' };

beforeAll(async () => {
  site = await startBrowserSite();
});
afterAll(async () => {
  await site?.close();
});

const json = <T = any>(path: string) => getJson<T>(site, path);
/** Draft reads need the secretariat's key (the JSON API does not take the workspace's cookie). */
const adminJson = async (path: string) => (await fetch(site.server.origin + path, { headers: { authorization: `Bearer ${ADMIN}` } })).json() as Promise<any>;

/** The units the cycle assesses, as its draft results list them. */
const cycleUnits = async (): Promise<string[]> => (await adminJson(`${API}/results?revision=draft`)).results.map((r: any) => r.unit.code).sort();

/** A person's own browser (their own cookies), signed in with their key. */
async function signIn(key: string): Promise<BrowserContext> {
  const ctx = await site.browser.newContext({ locale: 'vi-VN', bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(`${site.server.origin}/vi/workspace/sign-in`);
  await page.fill('#key', key);
  await Promise.all([page.waitForURL(`${site.server.origin}/vi/workspace`), page.click('form.sign-in button[type=submit]')]);
  await page.close();
  return ctx;
}

async function go(ctx: BrowserContext, path: string): Promise<Page> {
  const page = await ctx.newPage();
  const res = await page.goto(site.server.origin + path);
  expect(res?.status(), path).toBe(200);
  return page;
}

/** Submits by clicking, and waits for the page the server answers (a redirect's target, or the form again). */
async function submit(page: Page, selector: string): Promise<number> {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return res?.status() ?? 0;
}

async function moveTo(page: Page, status: string, fields: Record<string, string> = {}): Promise<void> {
  const form = page.locator(`form[data-move="${status}"]`);
  for (const [name, value] of Object.entries(fields)) await form.locator(`[name="${name}"]`).fill(value);
  expect(await submit(page, `form[data-move="${status}"] button[type=submit]`)).toBe(200);
  if (status !== 'published') {
    expect(await page.getAttribute('[data-phase]', 'data-phase')).toBe(status);
    return;
  }
  // A publication streams its progress, then the browser follows the refresh to the revision's page (by GET).
  await page.waitForURL(/\/revisions\/\d+$/);
  expect(await page.getAttribute('[data-result]', 'data-result')).toBe('published');
}

let admin: BrowserContext, unit: BrowserContext, appraiser: BrowserContext;
let unitCode: string;

describe('a whole cycle in the workspace', () => {
  it('the secretariat opens a cycle and issues a key to a ministry and one to an appraiser', async () => {
    admin = await signIn(ADMIN);
    const page = await go(admin, '/vi/workspace/new-cycle');
    await page.fill('[name=year]', String(YEAR));
    await page.selectOption('[name=unitType]', TYPE);
    await page.selectOption('[name=methodology]', 'par-ministry-2022@1');
    expect(await submit(page, 'form[data-form] button[type=submit]')).toBe(200);
    expect(await page.getAttribute('[data-phase]', 'data-phase')).toBe('open');
    // A ranked ministry (agencies such as the Government Inspectorate are assessed but not ranked).
    unitCode = (await adminJson(`${API}/results?revision=draft`)).results.filter((r: any) => r.ranked).map((r: any) => r.unit.code).sort()[0];

    const keys = await go(admin, '/vi/workspace/keys');
    const issue = async (role: string, unitOf?: string) => {
      await keys.goto(`${site.server.origin}/vi/workspace/keys`);
      await keys.selectOption('form[data-create-key] [name=role]', role);
      if (unitOf) await keys.fill('form[data-create-key] [name=unit]', unitOf);
      await keys.fill('form[data-create-key] [name=label]', `${role} ${unitOf ?? ''}`.trim());
      expect(await submit(keys, 'form[data-create-key] button[type=submit]')).toBe(200);
      expect(await keys.locator('[data-once]').count()).toBe(1);
      return (await keys.locator('[data-new-key]').textContent())!.trim();
    };
    const unitKey = await issue('unit', unitCode);
    const appraiserKey = await issue('appraiser');
    await photograph(keys, 'workspace-keys-vi');
    unit = await signIn(unitKey);
    appraiser = await signIn(appraiserKey);
    await keys.close();
    await page.close();
  });

  it('the ministry self-assesses: a score without evidence or explanation is shown beside its field with everything typed kept, then completed and saved', async () => {
    const page = await go(unit, '/vi/workspace');
    await Promise.all([page.waitForNavigation(), page.click(`tr[data-cycle="${YEAR}/${TYPE}"] a[data-screen]`)]);
    expect(page.url()).toBe(`${site.server.origin}${CYCLE}/self-assessment`);
    const leaves = page.locator('fieldset.sa-leaf');
    const count = await leaves.count();
    expect(count).toBeGreaterThan(90);
    const maxima: number[] = [];
    for (let i = 0; i < count; i++) {
      const leaf = leaves.nth(i);
      const max = Number(await leaf.locator('[data-max]').getAttribute('data-max'));
      maxima.push(max);
      await leaf.locator('input[type=number]').fill(String(max * 0.75));
      // The first has neither evidence nor an explanation: the API's rule refuses it.
      if (i > 0) await leaf.locator('textarea[name^="evidence:"]').fill(`Báo cáo số ${i + 1}/BC-BNV`);
    }
    expect(await submit(page, 'button[data-save]')).toBe(422);
    const first = leaves.nth(0);
    expect(await first.getAttribute('data-invalid')).toBe('true');
    expect(await first.locator('.field-error').count()).toBeGreaterThan(0);
    expect(await first.locator('textarea[name^="evidence:"]').getAttribute('aria-invalid')).toBe('true');
    expect(await leaves.nth(1).locator('input[type=number]').inputValue()).toBe(String(maxima[1] * 0.75));
    expect(await leaves.nth(1).locator('textarea[name^="evidence:"]').inputValue()).toBe('Báo cáo số 2/BC-BNV');
    expect((await adminJson(`${API}/scores?revision=draft&unit=${unitCode}`)).scores).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await photograph(page, 'workspace-self-assessment-error-vi');

    await first.locator('textarea[name^="note:"]').fill('Văn bản đang trình ký; sẽ bổ sung khi ban hành');
    expect(await submit(page, 'button[data-save]')).toBe(200);
    expect(await page.locator('[data-saved]').count()).toBe(1);
    expect(await page.getAttribute('[data-progress]', 'data-answered')).toBe(String(count));
    const stored = (await adminJson(`${API}/scores?revision=draft&unit=${unitCode}&source=self&limit=1000`)).scores;
    expect(stored).toHaveLength(count);
    await photograph(page, 'workspace-self-assessment-vi');
    await page.close();
  });

  it('the secretariat moves the cycle to appraisal; the appraiser adjusts one score with a reason and accepts the rest', async () => {
    const cyclePage = await go(admin, CYCLE);
    await moveTo(cyclePage, 'appraisal');
    await cyclePage.close();

    const page = await go(appraiser, `${CYCLE}/appraisal/${unitCode}`);
    const leaf = page.locator('tr[data-leaf]').first();
    const code = (await leaf.getAttribute('data-leaf'))!;
    const self = JSON.parse((await leaf.getAttribute('data-self-value'))!);
    await page.fill(`[name="value:${code}"]`, String(self / 2).replace('.', ','));
    expect(await submit(page, 'form[data-appraisal-form] button[name=save]')).toBe(422);
    expect(await page.locator(`.field-error[data-error-for="reason:${code}"]`).count()).toBe(1);
    await page.fill(`[name="reason:${code}"]`, 'Tài liệu kiểm chứng chưa đầy đủ');
    expect(await submit(page, 'form[data-appraisal-form] button[name=save]')).toBe(200);
    while (await page.locator('[data-accept-domain]').count() > 0) {
      expect(await submit(page, '[data-accept-domain] >> nth=0')).toBe(200);
    }
    expect(await page.getAttribute('[data-progress]', 'data-appraised')).toBe(await page.getAttribute('[data-progress]', 'data-total'));
    await photograph(page, 'workspace-appraisal-vi');
    const appraised = (await adminJson(`${API}/scores?revision=draft&unit=${unitCode}&source=appraisal&limit=1000`)).scores;
    expect(appraised.find((s: any) => s.indicator === code).value).toBe(self / 2);
    await page.close();
  });

  it('the secretariat uploads survey scores and the other ministries\' appraisal from a file: one bad row is refused with nothing written, then fixed, previewed and committed', async () => {
    const methodology = await json('/v1/methodologies/par-ministry-2022');
    const leaves = (methodology.document ?? methodology).nodes.filter((n: any) => n.source);
    const others = (await cycleUnits()).filter((c) => c !== unitCode);
    const lines = ['unit,indicator,source,value'];
    others.forEach((code: string, i: number) => leaves.forEach((leaf: any) => lines.push(`${code},${leaf.code},${leaf.source},${(leaf.max * (0.5 + (i % 5) / 10)).toFixed(4)}`)));
    leaves.filter((l: any) => l.source === 'survey').forEach((leaf: any) => lines.push(`${unitCode},${leaf.code},survey,${(leaf.max * 0.9).toFixed(4)}`));
    const badRow = lines.length; // the header is row 1
    lines.push(`${unitCode},NO-SUCH-INDICATOR,survey,1`);
    const page = await go(admin, `${CYCLE}/scores/upload`);
    const upload = async (text: string) => {
      await page.setInputFiles('form[data-upload-form] [name=file]', { name: 'diem-khao-sat.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
      return submit(page, 'form[data-upload-form] button[type=submit]');
    };
    expect(await upload(lines.join('\n'))).toBe(422);
    expect(await page.locator(`[data-error-row="${badRow}"]`).count()).toBeGreaterThan(0);
    expect((await adminJson(`${API}/scores?revision=draft&source=survey&limit=10`)).scores).toEqual([]);
    await photograph(page, 'workspace-upload-error-vi');
    lines.pop();
    expect(await upload(lines.join('\n'))).toBe(200);
    expect(await page.locator('[data-preview]').count()).toBe(1);
    expect((await adminJson(`${API}/scores?revision=draft&source=survey&limit=10`)).scores).toEqual([]);
    expect(await submit(page, 'form[data-commit-form] button[type=submit]')).toBe(200);
    await page.waitForURL(/\/scores\/upload\/result\?/);
    expect(await page.getAttribute('[data-result]', 'data-changed')).toBe('true');
    const surveys = (await adminJson(`${API}/scores?revision=draft&source=survey&limit=10000`)).scores;
    expect(surveys).toHaveLength((others.length + 1) * leaves.filter((l: any) => l.source === 'survey').length);
    await page.close();
  });

  it('the secretariat reviews the draft and publishes it with a decision number and date', async () => {
    const cyclePage = await go(admin, CYCLE);
    await moveTo(cyclePage, 'review');
    const review = await go(admin, `${CYCLE}/review`);
    const draft = await adminJson(`${API}/results?revision=draft`);
    const ranked = draft.results.filter((r: any) => r.rank !== null);
    expect(await review.locator('#draft-ranking tbody tr').count()).toBe(ranked.length);
    expect(await review.getAttribute('[data-diff]', 'data-diff')).toBe('none');
    await photograph(review, 'workspace-review-vi');
    await review.close();
    await moveTo(cyclePage, 'published', { decisionNumber: DECISION.number, decisionDate: DECISION.date });
    expect(await cyclePage.getAttribute('[data-decision]', 'data-decision')).toBe(DECISION.number);
    await photograph(cyclePage, 'workspace-published-vi');
    await cyclePage.close();
  });

  it('the public ranking and the unit\'s profile show exactly the published numbers and the decision', async () => {
    const results = await json(`${API}/results`);
    expect(results.revision.decision).toMatchObject({ number: DECISION.number, date: DECISION.date });
    const page = await open(site, `/vi/ranking/${YEAR}/${TYPE}`);
    expect(await page.getAttribute('[data-decision]', 'data-decision')).toBe(DECISION.number);
    expect(await page.locator('[data-decision]').textContent()).toBe('Quyết định 268/QĐ-BNV ngày 28/3/2031');
    const ours = results.results.find((r: any) => r.unit.code === unitCode);
    expect((await page.locator(`#ranking tr[data-unit="${unitCode}"] [data-col=index]`).textContent())?.trim()).toBe(vi(ours.index));
    const profile = await open(site, `/vi/units/${unitCode}/${YEAR}`);
    expect(await profile.getAttribute('[data-decision]', 'data-decision')).toBe(DECISION.number);
    expect(await profile.locator('[data-figure=index] .v').textContent()).toBe(vi(ours.index));
    await page.close();
    await profile.close();
  });

  it('a correction with a reason is published as revision 2 with its own decision, and its diff is public', async () => {
    const cyclePage = await go(admin, CYCLE);
    await moveTo(cyclePage, 'correction', { reason: 'Khiếu nại của đơn vị về tiêu chí thành phần đầu tiên' });
    const page = await go(admin, `${CYCLE}/appraisal/${unitCode}`);
    const leaf = page.locator('tr[data-leaf]').first();
    const code = (await leaf.getAttribute('data-leaf'))!;
    const self = JSON.parse((await leaf.getAttribute('data-self-value'))!);
    await page.fill(`[name="value:${code}"]`, String(self).replace('.', ','));
    await page.fill(`[name="reason:${code}"]`, 'Chấp nhận khiếu nại');
    expect(await submit(page, 'form[data-appraisal-form] button[name=save]')).toBe(200);
    await page.close();
    const review = await go(admin, `${CYCLE}/review`);
    expect(await review.getAttribute('[data-diff]', 'data-diff')).toBe('1');
    expect(await review.locator(`[data-score-change="${unitCode}/${code}/appraisal"]`).count()).toBe(1);
    await review.close();
    await cyclePage.goto(site.server.origin + CYCLE);
    await moveTo(cyclePage, 'published', { decisionNumber: CORRECTION.number, decisionDate: CORRECTION.date, reason: 'Đính chính sau khiếu nại' });
    await cyclePage.close();
    const diff = await json(`${API}/revisions/1/diff/2`);
    expect(diff.scores).toEqual([expect.objectContaining({ unit: unitCode, indicator: code, source: 'appraisal' })]);
    const ranking = await (await fetch(`${site.server.origin}/vi/ranking/${YEAR}/${TYPE}`)).text();
    expect(ranking).toContain(`data-decision="${CORRECTION.number}"`);
    expect(ranking).toMatch(/<tr data-revision="2"/);
    for (const ctx of [admin, unit, appraiser]) await ctx.close();
  });
});
