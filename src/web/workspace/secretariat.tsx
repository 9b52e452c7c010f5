// The secretariat screens of the workspace (issue 14):
//   GET  /{lang}/workspace/new-cycle                           open a cycle (admin);  POST: opens it
//   GET  /{lang}/workspace/cycles/{year}/{unitType}            its phase and the moves the role may make
//   POST /{lang}/workspace/cycles/{year}/{unitType}/status     a move: appraisal, review, published (with
//                                                              its decision, required here), correction (reason)
//   GET  /{lang}/workspace/cycles/{year}/{unitType}/revisions/{n}  a revision: what a publication wrote
//   GET  /{lang}/workspace/cycles/{year}/{unitType}/review     in review or correction: the draft's results
//                                                              as the ranking will show them, and the diff
// Every write is the API's own (http/cycle-writes.ts: openCycle, changeStatus) with its schemas and
// guards; a refusal comes back beside the fields, the input kept, nothing written.
import { Hono, type Context } from 'hono';
import { requireRole } from '../../http/auth.js';
import { changeStatus, CycleIn, openCycle, StatusIn, validated } from '../../http/cycle-writes.js';
import { requireCycle } from '../../http/cycle-context.js';
import type { AppEnv } from '../../http/env.js';
import { ApiProblem } from '../../http/problem.js';
import { UnitType } from '../../http/schemas.js';
import { viewFor } from '../../http/visibility.js';
import { listMethodologies, methodologyRef } from '../../store/methodologies.js';
import { listCycles } from '../../store/cycles.js';
import { listRegions } from '../../store/units.js';
import { diffRevisions, draftContent, getRevision } from '../../store/workflow.js';
import { LANGS, type Lang } from '../i18n.js';
import { formToken } from './session.js';
import { cycleRoute, page, postedForm, signedIn, workspacePath, type PostedForm, type WorkspaceOptions } from './forms.js';
import { WORKSPACE_LABELS } from './labels.js';
import { formErrors, problemStatus } from './secretariat-fields.js';
import { SECRETARIAT_LABELS } from './secretariat-labels.js';
import { CyclePage, cyclePath, movesFor, NewCyclePage, newCyclePath, type Posted } from './secretariat-pages.js';
import { publishing, RevisionPage } from './secretariat-publication.js';
import { refusalPage } from './refusal.js';
import { ReviewPage } from './secretariat-review.js';

export function secretariatRoutes(options: WorkspaceOptions) {
  const app = new Hono<AppEnv>();
  for (const l of LANGS) {
    const route = cycleRoute(l);
    app.get(newCyclePath(l), (c) => signedInPage(c, options, l, (token) => newCycleForm(c, l, token)));
    app.post(newCyclePath(l), (c) => postedPage(c, options, l, (form, token) => postNewCycle(c, l, form, token)));
    app.get(route, (c) => signedInPage(c, options, l, (token) => cycleScreen(c, l, token)));
    app.post(`${route}/status`, (c) => postedPage(c, options, l, (form, token) => postStatus(c, l, form, token)));
    app.get(`${route}/review`, (c) => signedInPage(c, options, l, () => reviewScreen(c, l)));
    app.get(`${route}/revisions/:revision{[0-9]{1,6}}`, (c) => signedInPage(c, options, l, () => revisionScreen(c, l)));
  }
  return app;
}

/** A page for a signed-in person (given their forms' token); a refusal by the API's rules (403, 404, 409) is a refusal page. */
async function signedInPage(c: Context<AppEnv>, options: WorkspaceOptions, l: Lang, screen: (token: string) => Promise<Response>): Promise<Response> {
  const session = await signedIn(c, options, l);
  if (session instanceof Response) return session;
  const token = await formToken(session);
  return refusedAsPage(c, l, () => screen(token));
}

/** A form post: from this site, with its session's token (else 403 or sign-in), then the screen. */
async function postedPage(c: Context<AppEnv>, options: WorkspaceOptions, l: Lang, screen: (form: Posted, token: string) => Promise<Response>): Promise<Response> {
  const posted = await postedForm(c, options);
  if ('refused' in posted) {
    if (posted.refused === 'signed-out') return c.redirect(workspacePath(l, '/sign-in'), 303);
    return refusalPage(c, l, { status: 403, title: SECRETARIAT_LABELS[l].refused, message: WORKSPACE_LABELS[l].forged });
  }
  return refusedAsPage(c, l, () => screen(textOf(posted.form), posted.token));
}

async function refusedAsPage(c: Context<AppEnv>, l: Lang, screen: () => Promise<Response>): Promise<Response> {
  try {
    return await screen();
  } catch (err) {
    if (!(err instanceof ApiProblem)) throw err;
    const s = SECRETARIAT_LABELS[l];
    const said = err.type === 'forbidden' || err.type === 'unauthorized' ? s.forbidden : err.type === 'not-found' ? s.notFound : s.refused;
    return refusalPage(c, l, { status: problemStatus(err), title: s.refused, message: `${said} (${err.detail})`, kind: err.type });
  }
}

/** A form's single text fields, NFC as the API stores text. */
function textOf(form: PostedForm): Posted {
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, (Array.isArray(v) ? v[0] ?? '' : v).normalize('NFC')]));
}

const cycleOf = (c: Context<AppEnv>) => requireCycle(c, Number(c.req.param('year')), c.req.param('unitType')!);

async function newCycleForm(c: Context<AppEnv>, l: Lang, token: string): Promise<Response> {
  requireRole(c, 'admin');
  const latest = (await listCycles(c.get('driver'), UnitType.options[0])).at(-1);
  const current = latest && `${latest.methodologyId}@${latest.methodologyVersion}`;
  return page(c, 200, <NewCyclePage lang={l} token={token} methodologies={await listMethodologies(c.get('driver'))} current={current} />);
}

/** The form's fields as the API's body: the year a number when it is one (else the schema says why), the methodology as id@version. */
function cycleBody(input: Posted) {
  const year = input.year?.trim() ?? '';
  const [methodology, version] = (input.methodology ?? '').split('@');
  return {
    year: /^\d{1,4}$/.test(year) ? Number(year) : year, unitType: input.unitType, methodology,
    ...(version !== undefined && { methodologyVersion: /^\d{1,9}$/.test(version) ? Number(version) : version }),
  };
}

async function postNewCycle(c: Context<AppEnv>, l: Lang, input: Posted, token: string): Promise<Response> {
  requireRole(c, 'admin');
  try {
    const cycle = await openCycle(c, validated(CycleIn, cycleBody(input)));
    return c.redirect(`${cyclePath(l, cycle.year, cycle.unitType)}?opened=1`, 303);
  } catch (err) {
    if (!(err instanceof ApiProblem)) throw err;
    const methodologies = await listMethodologies(c.get('driver'));
    return page(c, problemStatus(err), <NewCyclePage lang={l} token={token} methodologies={methodologies} input={input} errors={formErrors(err)} />);
  }
}

/** The notice of the move just made (?moved=) or the cycle just opened (?opened=1). */
function noticeOf(c: Context<AppEnv>, l: Lang): string | undefined {
  const s = SECRETARIAT_LABELS[l];
  const moved = c.req.query('moved');
  return moved ? s.moved[moved] : c.req.query('opened') === '1' ? s.opened : undefined;
}

async function cycleScreen(c: Context<AppEnv>, l: Lang, token: string): Promise<Response> {
  const actor = requireRole(c, 'admin', 'appraiser');
  const cycle = await cycleOf(c);
  return page(c, 200, <CyclePage lang={l} token={token} cycle={cycle} role={actor.role} notice={noticeOf(c, l)} />);
}

/** The form's fields as the API's body; a publication here always names its decision (the schema then requires both parts). */
function statusBody(input: Posted) {
  const reason = input.reason?.trim() ? input.reason : undefined;
  return {
    status: input.status,
    ...(reason !== undefined && { reason }),
    ...(input.status === 'published' && { decision: { number: (input.decisionNumber ?? '').trim(), date: (input.decisionDate ?? '').trim() } }),
  };
}

async function postStatus(c: Context<AppEnv>, l: Lang, input: Posted, token: string): Promise<Response> {
  const actor = requireRole(c, 'admin', 'appraiser');
  const year = Number(c.req.param('year')), unitType = c.req.param('unitType')!;
  try {
    const body = validated(StatusIn, statusBody(input));
    // A publication is a long operation: streamed with its progress when the API would make the move now (else refused below, as it is).
    if (body.status === 'published') {
      const cycle = await cycleOf(c);
      if (movesFor(cycle, actor.role).includes('published')) return publishing(c, l, cycle, body);
    }
    const moved = await changeStatus(c, year, unitType, body);
    return c.redirect(`${cyclePath(l, year, unitType)}?moved=${moved.cycle.status}`, 303);
  } catch (err) {
    if (!(err instanceof ApiProblem) || err.type === 'forbidden' || err.type === 'not-found') throw err;
    const cycle = await cycleOf(c);
    const posted = { status: input.status ?? '', input, errors: formErrors(err) };
    return page(c, problemStatus(err), <CyclePage lang={l} token={token} cycle={cycle} role={actor.role} posted={posted} />);
  }
}

async function revisionScreen(c: Context<AppEnv>, l: Lang): Promise<Response> {
  requireRole(c, 'admin', 'appraiser');
  return page(c, 200, await RevisionPage(c, l, await cycleOf(c), Number(c.req.param('revision'))));
}

async function reviewScreen(c: Context<AppEnv>, l: Lang): Promise<Response> {
  requireRole(c, 'admin', 'appraiser');
  const cycle = await cycleOf(c);
  // The API's own rule for reading a draft that compares units.
  await viewFor(c, cycle, { revision: 'draft' });
  if (cycle.status !== 'review' && cycle.status !== 'correction') throw new ApiProblem('conflict', SECRETARIAT_LABELS[l].notInReview);
  const d = c.get('driver');
  const content = await draftContent(d, cycle);
  const { rounding } = await methodologyRef(d, cycle.methodologyId, cycle.methodologyVersion);
  const regions = new Map((await listRegions(d)).map((r) => [r.code, { vi: r.nameVi, en: r.nameEn }]));
  const latest = cycle.revision > 0 ? await getRevision(d, cycle.id, cycle.revision) : undefined;
  const diff = latest ? { against: cycle.revision, changes: diffRevisions(latest, content) } : null;
  return page(c, 200, <ReviewPage lang={l} cycle={cycle} draft={{ report: content.report, rounding, regions, pinned: undefined }} diff={diff} />);
}
