// Long operations and methodologies in the workspace, in Chromium on the Node server: a 2,500-row
// upload previewed as a streamed page (its progress lines and <progress> bars, no script), committed,
// ending on the result page by GET (a reload posts nothing); a methodology uploaded from a file: a bad
// one lists every problem by sheet, row, column and node, the fixed one is previewed as its tree and
// stored. Screens photographed under var/screenshots/workspace-*.png; axe-core on each.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, photograph, type Site, startBrowserSite } from './browser.js';
import { ADMIN } from './server.js';

let site: Site;
let admin: BrowserContext;
const YEAR = 2032, TYPE = 'province';
const UPLOAD = `/vi/workspace/cycles/${YEAR}/${TYPE}/scores/upload`;
const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
const api = async (path: string, init: RequestInit = {}) => (await fetch(site.server.origin + path, { ...init, headers })).json() as Promise<any>;

beforeAll(async () => {
  site = await startBrowserSite();
  await api('/v1/cycles', { method: 'POST', body: JSON.stringify({ year: YEAR, unitType: TYPE, methodology: 'par-province-2022' }) });
  admin = await site.browser.newContext({ locale: 'vi-VN', bypassCSP: true });
  const page = await admin.newPage();
  await page.goto(`${site.server.origin}/vi/workspace/sign-in`);
  await page.fill('#key', ADMIN);
  await Promise.all([page.waitForURL(`${site.server.origin}/vi/workspace`), page.click('form.sign-in button[type=submit]')]);
  await page.close();
});
afterAll(async () => {
  await admin?.close();
  await site?.close();
});

async function go(path: string): Promise<Page> {
  const page = await admin.newPage();
  expect((await page.goto(site.server.origin + path))?.status(), path).toBe(200);
  return page;
}

async function choose(page: Page, form: string, name: string, text: string | Buffer) {
  await page.setInputFiles(`form[${form}] [name=file]`, { name, mimeType: 'text/csv', buffer: Buffer.isBuffer(text) ? text : Buffer.from(text) });
  const [res] = await Promise.all([page.waitForNavigation(), page.click(`form[${form}] button[type=submit]`)]);
  return res?.status() ?? 0;
}

describe('long operations and methodologies in the browser', () => {
  it('a 2,500-row upload shows its progress while checked, then commits and ends on its result page', async () => {
    const nodes = (await api('/v1/methodologies/par-province-2022')).document.nodes as any[];
    const units = ((await api(`/v1/units?unitType=${TYPE}`)).units as any[]).filter((u) => u.validTo === null);
    const lines = units.flatMap((u) => nodes.filter((n) => n.rule?.type === 'points').map((n) => `${u.code},${n.code},${n.source},0`)).slice(0, 2500);
    const page = await go(UPLOAD);
    expect(await choose(page, 'data-upload-form', 'diem.csv', ['unit,indicator,source,value', ...lines].join('\n'))).toBe(200);
    await page.waitForSelector('[data-outcome="done"]');
    expect(await page.locator('ol.op-log progress').count()).toBe(3);
    expect(await page.locator('ol.op-log progress').last().getAttribute('value')).toBe('2500');
    expect(await page.getAttribute('[data-count=received]', 'data-value')).toBe('2500');
    expect(await axeViolations(page)).toEqual([]);
    await photograph(page, 'workspace-upload-progress-vi');
    await Promise.all([page.waitForURL(/\/scores\/upload\/result\?/), page.click('form[data-commit-form] button[type=submit]')]);
    expect(await page.getAttribute('[data-count=inserted]', 'data-value')).toBe('2500');
    const version = await page.getAttribute('[data-data-version]', 'data-data-version');
    // A reload is a GET of the result: nothing is posted again, the data version stays.
    expect((await page.reload())?.request().method()).toBe('GET');
    expect((await api('/v1/cycles')).cycles.find((c: any) => c.year === YEAR).dataVersion).toBe(Number(version));
    await photograph(page, 'workspace-upload-result-vi');
    await page.close();
  });

  it('a methodology file: every problem with its place, then the fixed file previewed as its tree and stored', async () => {
    const sheet = (max: string) => `id,ws-browser\nmode,points\nmissing,zero\nname_vi,Phương pháp thử\nname_en,Trial methodology\n\ncode,parent,name_vi,name_en,max,source,rule,bands,target\nR,,Chỉ số,Index,,,,,\n1,,Công tác chỉ đạo,Direction,,,,,\n1.1,,Kế hoạch,Plan,${max},appraisal,bands,≥100:2; ≥50:50%; else:0,\n1.2,,Báo cáo,Reports,3,appraisal,proportional,,100\n2,,Khảo sát,Survey,5,survey,survey,,\n`;
    const home = await go('/vi/workspace');
    await Promise.all([home.waitForURL(/\/methodologies$/), home.click('nav.tasks a[href$="/methodologies"]')]);
    expect(await choose(home, 'data-methodology-form', 'phuong-phap.csv', sheet('"2,5"'))).toBe(422);
    expect(await home.locator('#row-errors tbody tr').count()).toBeGreaterThan(0);
    expect(await home.locator('#row-errors tr[data-problem-sheet=nodes][data-problem-column=E][data-problem-node="1.1"]').count()).toBe(1);
    expect(await axeViolations(home)).toEqual([]);
    await photograph(home, 'workspace-methodology-errors-vi');
    expect((await fetch(`${site.server.origin}/v1/methodologies/ws-browser`)).status).toBe(404);
    expect(await choose(home, 'data-methodology-form', 'phuong-phap.csv', sheet('2'))).toBe(200);
    expect(await home.locator('#domains tbody tr').count()).toBe(2);
    expect(await home.getAttribute('[data-total]', 'data-total')).toBe('10');
    await photograph(home, 'workspace-methodology-preview-vi');
    await Promise.all([home.waitForURL(/\/methodologies\/ws-browser\/1\?stored=new$/), home.click('form[data-commit-form] button[type=submit]')]);
    expect(await home.textContent('code[data-hash]')).toBe((await api('/v1/methodologies/ws-browser')).contentHash);
    await photograph(home, 'workspace-methodology-stored-vi');
    await home.close();
  });
});
