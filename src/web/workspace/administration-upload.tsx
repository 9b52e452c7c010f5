// Score upload (the secretariat's, and anyone's the API lets write scores): a CSV file or pasted
// text, checked by the API's own path (scoreBatch, csvScoreRows, writeScores) in two steps.
//   GET  /{lang}/workspace/cycles/{year}/{unitType}/scores/upload   the form
//   POST the same, step=preview (default): a dry run; every bad row in a table, or the counts and
//        a commit form carrying the content (base64) sealed to the session, the cycle and its data
//        version; step=commit: the sealed content written, all or nothing, then the result.
// A commit whose content is not what was previewed, or whose cycle changed since, is refused (409).
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { KiB, limitBody, MiB } from '../../http/middleware.js';
import { authorizePhase } from '../../http/permissions.js';
import { ApiProblem, type FieldError } from '../../http/problem.js';
import { csvScoreRows, MAX_UPLOAD_ROWS, scoreBatch, writeScores, type ScoreBatch, type WriteOutcome } from '../../http/score-writes.js';
import { constantTimeEqual, sha256Hex } from '../../store/crypto.js';
import { int, LABELS, LANGS, type Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { attempt, refusedPage, refusedPost, statusOf } from './administration-common.js';
import { ADMINISTRATION_LABELS } from './administration-labels.js';
import { page, postedForm, signedIn, workspacePath, type PostedForm, type WorkspaceOptions } from './forms.js';
import { formToken } from './session.js';

/** The body limit of PUT …/scores, for the same uploads through a form. */
export const UPLOAD_BODY_LIMIT = 64 * MiB;

export const uploadPath = (lang: Lang, year: number, unitType: string) => workspacePath(lang, `/cycles/${year}/${unitType}/scores/upload`);

export function uploadRoutes(options: WorkspaceOptions) {
  const app = new Hono<AppEnv>();
  for (const l of LANGS) {
    const path = workspacePath(l, '/cycles/:year{[0-9]{4}}/:unitType{[a-z]{1,20}}/scores/upload');
    app.get(path, (c) => showForm(c, options, l));
    app.post(path, (c) => receive(c, options, l));
  }
  return app;
}

const cycleOf = (c: Context<AppEnv>) => ({ year: Number(c.req.param('year')), unitType: c.req.param('unitType') ?? '' });

/** The cycle, if the person may write scores in its phase (the API's authorizePhase); else its refusal. */
const writableBatch = (c: Context<AppEnv>) => attempt(async () => {
  const { year, unitType } = cycleOf(c);
  const batch = await scoreBatch(c, year, unitType);
  authorizePhase(c, batch.cycle);
  return batch;
});

async function showForm(c: Context<AppEnv>, options: WorkspaceOptions, lang: Lang) {
  const session = await signedIn(c, options, lang);
  if (session instanceof Response) return session;
  const found = await writableBatch(c);
  if ('problem' in found) return refusedPage(c, lang, found.problem);
  return page(c, 200, <UploadPage lang={lang} token={await formToken(session)} batch={found.ok} content="" />);
}

async function receive(c: Context<AppEnv>, options: WorkspaceOptions, lang: Lang) {
  // The API's body limit: refused from the announced length at once, or as the body is read.
  if ('problem' in await attempt(() => limitBody(UPLOAD_BODY_LIMIT)(c, async () => {}))) return tooLargePage(c, lang);
  let posted: Awaited<ReturnType<typeof postedForm>>;
  try {
    posted = await postedForm(c, options);
  } catch (err) {
    if (c.get('bodyOverflow')) return tooLargePage(c, lang);
    throw err;
  }
  if ('refused' in posted) return refusedPost(c, lang, posted.refused);
  const found = await writableBatch(c);
  if ('problem' in found) return refusedPage(c, lang, found.problem);
  const form = { lang, token: posted.token, batch: found.ok };
  return posted.form.step === 'commit' ? commit(c, form, posted.form) : preview(c, form, await uploadedText(c, posted.form));
}

interface FormContext { lang: Lang; token: string; batch: ScoreBatch }

async function preview(c: Context<AppEnv>, f: FormContext, content: string) {
  const a = ADMINISTRATION_LABELS[f.lang];
  if (content.trim() === '') {
    const problem = new ApiProblem('validation-failed', a.noContent, [{ field: 'csv', message: a.noContent }]);
    return page(c, 422, <UploadPage {...f} content={content} problem={problem} />);
  }
  const checked = await attempt(async () => writeScores(c, f.batch, await csvScoreRows(c, f.batch, content), true));
  if ('problem' in checked) return refused(c, f, content, checked.problem);
  const digest = await sha256Hex(content);
  const version = f.batch.cycle.dataVersion;
  const sealed = { content: toBase64(content), digest, version, seal: await seal(f.token, f.batch, version, digest) };
  return page(c, 200, <PreviewPage {...f} outcome={checked.ok} sealed={sealed} />);
}

async function commit(c: Context<AppEnv>, f: FormContext, form: PostedForm) {
  const a = ADMINISTRATION_LABELS[f.lang];
  const content = fromBase64(String(form.content ?? ''));
  const digest = content === undefined ? '' : await sha256Hex(content);
  const version = Number(form.version);
  const genuine = content !== undefined && constantTimeEqual(digest, String(form.digest ?? ''))
    && constantTimeEqual(await seal(f.token, f.batch, version, digest), String(form.seal ?? ''));
  if (!genuine) return refused(c, f, content ?? '', new ApiProblem('conflict', a.tampered));
  if (version !== f.batch.cycle.dataVersion) return refused(c, f, content, new ApiProblem('conflict', a.changedMeanwhile));
  const written = await attempt(async () => writeScores(c, f.batch, await csvScoreRows(c, f.batch, content), false));
  if ('problem' in written) return refused(c, f, content, written.problem);
  return page(c, 200, <ResultPage {...f} outcome={written.ok} />);
}

/** A refused upload: the form again with the content kept and every error listed; too large: its own page. */
function refused(c: Context<AppEnv>, f: FormContext, content: string, problem: ApiProblem) {
  if (problem.type === 'payload-too-large') return tooLargePage(c, f.lang);
  return page(c, statusOf(problem), <UploadPage {...f} content={content} problem={problem} />);
}

/** The uploaded file's text, or else the pasted text. */
async function uploadedText(c: Context<AppEnv>, form: PostedForm): Promise<string> {
  const file = (await c.req.parseBody({ all: true })).file;
  const first = Array.isArray(file) ? file[0] : file;
  if (typeof first === 'object' && first !== null && first.size > 0) return first.text();
  return typeof form.csv === 'string' ? form.csv : '';
}

/** What ties a preview to its commit: the session's form token, the cycle, its data version and the content's SHA-256. */
async function seal(token: string, batch: ScoreBatch, version: number, digest: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const text = `upload:${batch.cycle.year}/${batch.cycle.unitType}:${version}:${digest}`;
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Base64 of the UTF-8 bytes: a form field carries it unchanged (a browser rewrites line breaks in text). */
function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(b64: string): string | undefined {
  try {
    const binary = atob(b64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

const sizeText = (lang: Lang, bytes: number) => (bytes >= MiB ? `${int(lang, bytes / MiB)} MiB` : `${int(lang, bytes / KiB)} KiB`);

function tooLargePage(c: Context<AppEnv>, lang: Lang) {
  const a = ADMINISTRATION_LABELS[lang];
  return refusedPage(c, lang, new ApiProblem('payload-too-large', a.tooLargeLead(sizeText(lang, UPLOAD_BODY_LIMIT), int(lang, MAX_UPLOAD_ROWS))), a.tooLarge);
}

function cycleTitle(lang: Lang, batch: ScoreBatch) {
  const t = LABELS[lang];
  return ADMINISTRATION_LABELS[lang].uploadTitle(batch.cycle.year, t.unitTypes[batch.cycle.unitType] ?? batch.cycle.unitType);
}

/** A survey line for the sample: the methodology's first leaf scored from a survey, at its maximum. */
function surveySample(batch: ScoreBatch): string {
  const { nodes, leaves } = batch.compiled;
  const leaf = leaves.map((i) => nodes[i]).find((n) => n.sources.includes('survey') && n.rule?.type === 'points') ?? nodes[leaves[0]];
  const unit = batch.units[0]?.code ?? '01';
  return `unit,indicator,source,value\n${unit},${leaf.code},survey,${Number.isFinite(leaf.max) ? leaf.max : 1}`;
}

function UploadPage({ lang, token, batch, content, problem }: FormContext & { content: string; problem?: ApiProblem }) {
  const a = ADMINISTRATION_LABELS[lang];
  const { year, unitType } = batch.cycle;
  const action = uploadPath(lang, year, unitType);
  const title = cycleTitle(lang, batch);
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(action, lang)}>
      <h1>{title}</h1>
      {problem && <UploadErrors lang={lang} problem={problem} />}
      <p class="sub">{a.uploadLead}</p>
      <p data-csv-only>{a.csvOnly}</p>
      <form method="post" action={action} enctype="multipart/form-data" class="work upload" data-upload-form>
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="step" value="preview" />
        <p id="upload-help">{a.headerHelp} {a.limits(int(lang, MAX_UPLOAD_ROWS), sizeText(lang, UPLOAD_BODY_LIMIT))}</p>
        <p>{a.surveyHelp}</p>
        <pre class="sample" data-sample>{surveySample(batch)}</pre>
        <p><label for="file">{a.file}</label><br />
          <input id="file" name="file" type="file" accept=".csv,text/csv" aria-describedby="upload-help" /></p>
        <p><label for="csv">{a.pasted}</label>
          <textarea id="csv" name="csv" rows={12} spellcheck={false} aria-invalid={problem ? 'true' : undefined}
            aria-describedby={problem ? 'form-errors upload-help' : 'upload-help'}>{content}</textarea></p>
        <div class="actions"><button type="submit">{a.preview}</button></div>
      </form>
    </Page>
  );
}

/** Every error of a refused upload: the summary (role=alert), then a table by row and column. */
function UploadErrors({ lang, problem }: { lang: Lang; problem: ApiProblem }) {
  const a = ADMINISTRATION_LABELS[lang];
  const errors = problem.errors ?? [];
  const rows = new Set(errors.map((e) => e.row).filter((r) => r !== undefined)).size;
  return (
    <>
      <div class="notice" role="alert" id="form-errors" data-problem={problem.type}>
        <h2>{a.errorsTitle}</h2>
        <p>{problem.detail}</p>
        {rows > 0 && <p>{a.rowErrors(int(lang, rows))}</p>}
      </div>
      {errors.length > 0 && <ErrorTable lang={lang} errors={errors} />}
    </>
  );
}

function ErrorTable({ lang, errors }: { lang: Lang; errors: FieldError[] }) {
  const a = ADMINISTRATION_LABELS[lang];
  return (
    <div class="scroll" role="region" aria-labelledby="row-errors-cap" tabindex={0}>
      <table id="row-errors" class="row-errors">
        <caption id="row-errors-cap">{a.errorsCaption}</caption>
        <thead><tr><th scope="col">{a.row}</th><th scope="col">{a.column}</th><th scope="col">{a.unit}</th><th scope="col">{a.indicator}</th><th scope="col">{a.message}</th></tr></thead>
        <tbody>
          {errors.map((e) => (
            <tr data-error-row={e.row === undefined ? '' : String(e.row)} data-error-field={e.field ?? ''}>
              <th scope="row">{e.row === undefined ? '—' : int(lang, e.row)}</th>
              <td>{e.field ?? '—'}</td><td>{e.unit ?? '—'}</td><td>{e.indicator ?? '—'}</td><td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Counts({ lang, outcome }: { lang: Lang; outcome: WriteOutcome }) {
  const a = ADMINISTRATION_LABELS[lang];
  const items = [['received', a.received], ['inserted', a.inserted], ['updated', a.updated], ['unchanged', a.unchanged]] as const;
  return (
    <dl class="counts">
      {items.map(([key, label]) => <><dt>{label}</dt><dd data-count={key} data-value={String(outcome[key])}>{int(lang, outcome[key])}</dd></>)}
    </dl>
  );
}

interface Sealed { content: string; digest: string; version: number; seal: string }

function PreviewPage({ lang, token, batch, outcome, sealed }: FormContext & { outcome: WriteOutcome; sealed: Sealed }) {
  const a = ADMINISTRATION_LABELS[lang];
  const action = uploadPath(lang, batch.cycle.year, batch.cycle.unitType);
  const title = cycleTitle(lang, batch);
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(action, lang)}>
      <h1>{title}</h1>
      <section data-preview aria-labelledby="preview-title">
        <h2 id="preview-title">{a.previewTitle}</h2>
        <p>{a.previewLead}</p>
        <Counts lang={lang} outcome={outcome} />
        <p>{a.contentHash}: <code data-digest>{sealed.digest}</code></p>
      </section>
      <form method="post" action={action} enctype="multipart/form-data" class="work" data-commit-form>
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="step" value="commit" />
        <input type="hidden" name="content" value={sealed.content} />
        <input type="hidden" name="digest" value={sealed.digest} />
        <input type="hidden" name="version" value={String(sealed.version)} />
        <input type="hidden" name="seal" value={sealed.seal} />
        <div class="actions">
          <button type="submit">{a.commit}</button>
          <a href={action}>{a.startAgain}</a>
        </div>
      </form>
    </Page>
  );
}

function ResultPage({ lang, batch, outcome }: FormContext & { outcome: WriteOutcome }) {
  const a = ADMINISTRATION_LABELS[lang];
  const action = uploadPath(lang, batch.cycle.year, batch.cycle.unitType);
  const title = cycleTitle(lang, batch);
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(action, lang)}>
      <h1>{title}</h1>
      <section class="saved" role="status" data-result data-changed={String(outcome.changed)}>
        <h2>{a.resultTitle}</h2>
        {!outcome.changed && <p>{a.resultNothing}</p>}
        <Counts lang={lang} outcome={outcome} />
        <p>{a.dataVersion}: <span data-data-version={String(outcome.dataVersion)}>{int(lang, outcome.dataVersion)}</span></p>
      </section>
      <p><a href={action}>{a.startAgain}</a> · <a href={workspacePath(lang)}>{a.back}</a></p>
    </Page>
  );
}
