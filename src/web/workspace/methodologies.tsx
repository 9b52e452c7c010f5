// The methodology screens (admin), through POST /v1/methodologies' own function (loadMethodology):
//   GET  /{lang}/workspace/methodologies                the stored versions (CSV/XLSX downloads) and the upload form
//   POST the same, step=preview (default): the dry run: the tree with each domain's total, or every
//        problem by sheet, row, column and node, nothing stored; step=commit: the previewed file
//        (sealed to the session) stored, then 303 to its page
//   GET  /{lang}/workspace/methodologies/{id}/{version} a stored version: its tree, hash and downloads
import { Hono, type Context } from 'hono';
import { requireRole } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { limitBody, MiB } from '../../http/middleware.js';
import { ApiProblem } from '../../http/problem.js';
import { loadMethodology, type MethodologyUpload } from '../../http/routes/methodologies.js';
import { XLSX_TYPE } from '../../http/methodology-sheets.js';
import { treeSummary } from '../../engine/index.js';
import { compiledOf, getMethodology, listMethodologies, METHODOLOGY_DOCUMENT_LIMIT } from '../../store/methodologies.js';
import { LANGS, num, type Lang } from '../i18n.js';
import { attempt, refusedPage, refusedPost, statusOf } from './administration-common.js';
import { page, postedForm, signedIn, type PostedForm, type WorkspaceOptions } from './forms.js';
import { MethodologiesPage, methodologiesPath, PreviewPage, StoredPage, storedPath, type UploadState } from './methodology-pages.js';
import { OPERATION_LABELS } from './operation-labels.js';
import { fileOf, fromBase64, sealHolds, sealOf, sha256OfBytes, toBase64 } from './seal.js';
import { formToken } from './session.js';

/** A form carries the file, or its base64 at commit (4/3 of it): room for both under the API's own limit on the file. */
const FORM_LIMIT = 2 * METHODOLOGY_DOCUMENT_LIMIT + MiB;

export function methodologyRoutes(options: WorkspaceOptions) {
  const app = new Hono<AppEnv>();
  for (const l of LANGS) {
    app.get(methodologiesPath(l), (c) => listPage(c, options, l));
    app.post(methodologiesPath(l), (c) => receive(c, options, l));
    app.get(methodologiesPath(l, '/:id/:version{[0-9]{1,9}}'), (c) => storedPage(c, options, l));
  }
  return app;
}

/** A page for a signed-in admin (the API's requireRole); a refusal as its page. */
async function adminPage(c: Context<AppEnv>, options: WorkspaceOptions, l: Lang, screen: (token: string) => Promise<Response>) {
  const session = await signedIn(c, options, l);
  if (session instanceof Response) return session;
  const allowed = await attempt(() => requireRole(c, 'admin'));
  if ('problem' in allowed) return refusedPage(c, l, allowed.problem);
  return screen(await formToken(session));
}

const listPage = (c: Context<AppEnv>, options: WorkspaceOptions, l: Lang) => adminPage(c, options, l, async (token) =>
  page(c, 200, <MethodologiesPage lang={l} rows={await listMethodologies(c.get('driver'))} state={{ token }} />));

const storedPage = (c: Context<AppEnv>, options: WorkspaceOptions, l: Lang) => adminPage(c, options, l, async () => {
  const row = await getMethodology(c.get('driver'), c.req.param('id') ?? '', Number(c.req.param('version')));
  if (!row) return refusedPage(c, l, new ApiProblem('not-found', OPERATION_LABELS[l].notStored));
  return page(c, 200, <StoredPage lang={l} row={row} tree={treeSummary(compiledOf(row))} stored={c.req.query('stored')} />);
});

/** A file's kind by its first bytes: a ZIP is a workbook, anything else CSV text. */
const kindOf = (bytes: Uint8Array) => (bytes[0] === 0x50 && bytes[1] === 0x4b ? 'xlsx' : 'csv');

/** The file as POST /v1/methodologies reads a body of its media type. */
function asUpload(bytes: Uint8Array): MethodologyUpload {
  const kind = kindOf(bytes);
  return {
    type: kind === 'xlsx' ? XLSX_TYPE : 'text/csv',
    json: async () => { throw new Error('a form carries no JSON'); },
    text: async () => new TextDecoder().decode(bytes), bytes: async () => bytes,
  };
}

async function receive(c: Context<AppEnv>, options: WorkspaceOptions, l: Lang) {
  if ('problem' in await attempt(() => limitBody(FORM_LIMIT)(c, async () => {}))) return tooLarge(c, l);
  let posted: Awaited<ReturnType<typeof postedForm>>;
  try {
    posted = await postedForm(c, options);
  } catch (err) {
    if (c.get('bodyOverflow')) return tooLarge(c, l);
    throw err;
  }
  if ('refused' in posted) return refusedPost(c, l, posted.refused);
  const allowed = await attempt(() => requireRole(c, 'admin'));
  if ('problem' in allowed) return refusedPage(c, l, allowed.problem);
  return posted.form.step === 'commit' ? commit(c, l, posted.token, posted.form) : preview(c, l, posted.token, posted.form);
}

async function preview(c: Context<AppEnv>, l: Lang, token: string, form: PostedForm) {
  const file = await fileOf(await c.req.parseBody({ all: true }), 'file');
  const bytes = file?.bytes ?? new TextEncoder().encode(typeof form.csv === 'string' ? form.csv : '');
  const kept = { token, content: kindOf(bytes) === 'csv' ? new TextDecoder().decode(bytes) : '', fileName: file && kindOf(bytes) === 'xlsx' ? file.name : undefined };
  const o = OPERATION_LABELS[l];
  if (bytes.length === 0) return listed(c, l, { ...kept, problem: new ApiProblem('validation-failed', o.noContent, [{ field: 'file', message: o.noContent }]) });
  if (bytes.length > METHODOLOGY_DOCUMENT_LIMIT) return tooLarge(c, l);
  const dry = await attempt(() => loadMethodology(c, asUpload(bytes), true));
  if ('problem' in dry) return listed(c, l, { ...kept, problem: dry.problem });
  const digest = await sha256OfBytes(bytes), kind = kindOf(bytes);
  const sealed = { content: toBase64(bytes), kind, digest, seal: await sealOf(token, `methodology:${kind}:${digest}`) };
  return page(c, 200, <PreviewPage lang={l} token={token} dryRun={dry.ok.dryRun!} sealed={sealed} />);
}

async function commit(c: Context<AppEnv>, l: Lang, token: string, form: PostedForm) {
  const bytes = fromBase64(String(form.content ?? ''));
  const kind = String(form.kind ?? '');
  const digest = bytes ? await sha256OfBytes(bytes) : '';
  const genuine = bytes !== undefined && digest === form.digest && kind === kindOf(bytes) && await sealHolds(token, `methodology:${kind}:${digest}`, String(form.seal ?? ''));
  if (!genuine) return listed(c, l, { token, problem: new ApiProblem('conflict', OPERATION_LABELS[l].tampered) });
  const done = await attempt(() => loadMethodology(c, asUpload(bytes), false));
  if ('problem' in done) return listed(c, l, { token, content: kind === 'csv' ? new TextDecoder().decode(bytes) : '', problem: done.problem });
  const { id, version } = done.ok.stored!;
  return c.redirect(`${storedPath(l, id, version)}?stored=${done.ok.status === 201 ? 'new' : 'same'}`, 303);
}

/** The list and the form again, with the problem and what was sent kept. */
async function listed(c: Context<AppEnv>, l: Lang, state: UploadState) {
  return page(c, state.problem ? statusOf(state.problem) : 200, <MethodologiesPage lang={l} rows={await listMethodologies(c.get('driver'))} state={state} />);
}

function tooLarge(c: Context<AppEnv>, l: Lang) {
  return refusedPage(c, l, new ApiProblem('payload-too-large', OPERATION_LABELS[l].tooLarge(`${num(l, METHODOLOGY_DOCUMENT_LIMIT / MiB, 1)} MiB`)));
}
