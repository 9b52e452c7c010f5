// Score upload (the secretariat's, and anyone's the API lets write scores): a file (its bytes) or
// pasted text, checked by the API's own path (scoreBatch, the schema, writeScores) in two steps.
//   GET  /{lang}/workspace/cycles/{year}/{unitType}/scores/upload          the form
//   POST the same, step=preview (default): a dry run; every bad row in a table, or the counts and
//        a commit form carrying the bytes (base64) sealed to the session, the cycle and its data
//        version; step=commit: the sealed bytes written, all or nothing, then 303 to the result.
//   GET  …/scores/upload/result?o=…&s=…   what a commit wrote (signed for the session): reloading it writes nothing
// An upload of more than STREAM_ROWS rows answers as a streamed page (operation.tsx): rows read,
// checked chunk by chunk, written, results recomputed, then the preview or the link to the result.
// A commit whose content is not what was previewed, or whose cycle changed since, is refused (409).
import { Hono, type Context } from 'hono';
import { requireRole } from '../../http/auth.js';
import { parseScoresCsv } from '../../http/csv.js';
import type { AppEnv } from '../../http/env.js';
import { limitBody } from '../../http/middleware.js';
import { authorizePhase, authorizeWriter } from '../../http/permissions.js';
import { ApiProblem, type FieldError } from '../../http/problem.js';
import { ScoreIn } from '../../http/schemas.js';
import { templateDownload, workbookScoreRows } from '../../http/score-sheets.js';
import { checkedRows, checkRowCount, MAX_UPLOAD_ROWS, scoreBatch, writeScores, type ScoreBatch } from '../../http/score-writes.js';
import { getCycle } from '../../store/cycles.js';
import { cycleReport } from '../../store/results.js';
import type { IngestRow } from '../../store/scores.js';
import { int, LANGS, type Lang } from '../i18n.js';
import { otherLanguage } from '../paths.js';
import { attempt, refusedPage, refusedPost, statusOf } from './administration-common.js';
import { ADMINISTRATION_LABELS } from './administration-labels.js';
import { cycleRoute, page, postedForm, signedIn, type PostedForm, type WorkspaceOptions } from './forms.js';
import { SILENT, streamedOperation, yieldToLoop, type Progress } from './operation.js';
import { OPERATION_LABELS } from './operation-labels.js';
import { fileOf, fromBase64, sealHolds, sealOf, sha256OfBytes, toBase64 } from './seal.js';
import { formToken } from './session.js';
import {
  Counts, cycleTitle, Preview, ResultPage, sizeText, UPLOAD_BODY_LIMIT, UploadForm, UploadFrame, UploadPage, uploadPath,
  type FormContext, type Written,
} from './upload-pages.js';

export { UPLOAD_BODY_LIMIT, uploadPath } from './upload-pages.js';

/** Uploads of more rows than this answer as a streamed page with their progress; smaller ones at once. */
export const STREAM_ROWS = 2_000;
/** Rows checked between two turns of the event loop (and two progress lines). */
export const CHUNK_ROWS = 1_000;

/** Rows as read; `place` turns a later refusal of them (the methodology's, at write) into one naming the file's places. */
type RowsRead = { rows: unknown[]; errors: FieldError[]; place?: (e: unknown) => never };

/** Each kind of score file and how its rows are read, by the API's own readers: the one place a format is plugged in. */
const READERS: Record<string, (c: Context<AppEnv>, batch: ScoreBatch, bytes: Uint8Array) => RowsRead | Promise<RowsRead>> = {
  csv: (_c, _batch, bytes) => parseScoresCsv(new TextDecoder().decode(bytes), MAX_UPLOAD_ROWS),
  // A workbook (the cycle's template, filled): cells, schema and writer checked as PUT …/scores checks them.
  xlsx: async (c, batch, bytes) => ({ ...await workbookScoreRows(c, batch, bytes), errors: [] }),
};

const rethrow = (e: unknown): never => { throw e; };

/** A file's kind by its first bytes: a ZIP is a workbook, anything else is read as CSV text. */
const kindOf = (bytes: Uint8Array) => (bytes[0] === 0x50 && bytes[1] === 0x4b ? 'xlsx' : 'csv');

export function uploadRoutes(options: WorkspaceOptions) {
  const app = new Hono<AppEnv>();
  for (const l of LANGS) {
    const path = cycleRoute(l, '/scores/upload');
    app.get(path, (c) => showForm(c, options, l));
    app.post(path, (c) => receive(c, options, l));
    app.get(`${path}/result`, (c) => showResult(c, options, l));
    app.get(`${path}/template`, (c) => template(c, options, l));
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
  if (posted.form.step === 'commit') return commit(c, form, posted.form);
  const upload = await uploadedBytes(c, posted.form);
  if (upload.length === 0) {
    const a = ADMINISTRATION_LABELS[lang];
    return page(c, 422, <UploadPage {...form} content="" problem={new ApiProblem('validation-failed', a.noContent, [{ field: 'csv', message: a.noContent }])} />);
  }
  return preview(c, form, upload);
}

/** The uploaded file's bytes, or else the pasted text's. */
async function uploadedBytes(c: Context<AppEnv>, form: PostedForm): Promise<Uint8Array> {
  const file = await fileOf(await c.req.parseBody({ all: true }), 'file');
  if (file) return file.bytes;
  return new TextEncoder().encode(typeof form.csv === 'string' ? form.csv : '');
}

/** The text kept in the form when an upload is refused: a CSV's own text. */
const keptText = (bytes: Uint8Array) => (kindOf(bytes) === 'csv' ? new TextDecoder().decode(bytes) : '');

async function preview(c: Context<AppEnv>, f: FormContext, bytes: Uint8Array) {
  const read = await attempt(() => readRows(c, f.batch, bytes, f.lang));
  if ('problem' in read) return refused(c, f, keptText(bytes), read.problem);
  const digest = await sha256OfBytes(bytes);
  const version = f.batch.cycle.dataVersion, kind = kindOf(bytes);
  const sealed = { content: toBase64(bytes), kind, digest, version, seal: await sealOf(f.token, sealText(f.batch, version, kind, digest)) };
  const check = async (progress: Progress) => writeScores(c, f.batch, await checkRows(f, read.ok, progress), true).catch(read.ok.place ?? rethrow);
  if (read.ok.rows.length <= STREAM_ROWS) {
    const checked = await attempt(() => check(SILENT));
    if ('problem' in checked) return refused(c, f, keptText(bytes), checked.problem);
    return page(c, 200, <UploadFrame lang={f.lang} batch={f.batch}><Preview {...f} outcome={checked.ok} sealed={sealed} /></UploadFrame>);
  }
  return streamed(c, f, async (progress) => {
    const checked = await attempt(() => check(progress));
    if ('problem' in checked) return { failed: <UploadForm {...f} content={keptText(bytes)} problem={checked.problem} /> };
    await progress.line(OPERATION_LABELS[f.lang].compared);
    return { done: <Preview {...f} outcome={checked.ok} sealed={sealed} /> };
  });
}

async function commit(c: Context<AppEnv>, f: FormContext, form: PostedForm) {
  const a = ADMINISTRATION_LABELS[f.lang];
  const bytes = fromBase64(String(form.content ?? ''));
  const digest = bytes === undefined ? '' : await sha256OfBytes(bytes);
  const version = Number(form.version), kind = String(form.kind ?? '');
  const genuine = bytes !== undefined && digest === String(form.digest ?? '') && kind === kindOf(bytes)
    && await sealHolds(f.token, sealText(f.batch, version, kind, digest), String(form.seal ?? ''));
  const kept = bytes === undefined ? '' : keptText(bytes);
  if (!genuine) return refused(c, f, kept, new ApiProblem('conflict', a.tampered));
  if (version !== f.batch.cycle.dataVersion) return refused(c, f, kept, new ApiProblem('conflict', a.changedMeanwhile));
  const read = await attempt(() => readRows(c, f.batch, bytes, f.lang));
  if ('problem' in read) return refused(c, f, kept, read.problem);
  if (read.ok.rows.length <= STREAM_ROWS) {
    const written = await attempt(() => checkAndWrite(c, f, read.ok, SILENT));
    if ('problem' in written) return refused(c, f, kept, written.problem);
    return c.redirect(await resultPath(f, written.ok), 303);
  }
  return streamed(c, f, async (progress) => {
    const written = await attempt(() => checkAndWrite(c, f, read.ok, progress));
    if ('problem' in written) return { failed: <UploadForm {...f} content={kept} problem={written.problem} /> };
    return { done: <Counts lang={f.lang} outcome={written.ok} />, result: await resultPath(f, written.ok) };
  });
}

/** The rows of the file as its reader gives them, within the row limit, and rows the writer may write (the API's order). */
async function readRows(c: Context<AppEnv>, batch: ScoreBatch, bytes: Uint8Array, lang: Lang): Promise<RowsRead> {
  const reader = READERS[kindOf(bytes)];
  if (!reader) throw new ApiProblem('unsupported-media-type', ADMINISTRATION_LABELS[lang].formats, [{ field: 'file', message: ADMINISTRATION_LABELS[lang].formats }]);
  const read = await reader(c, batch, bytes);
  checkRowCount(read.rows.length, false);
  authorizeWriter(c.get('actor'), read.rows);
  return { ...read, errors: read.errors.map((e) => ({ ...e, pointer: undefined })) };
}

/**
 * Each row against the API's schema (ScoreIn), a chunk at a time with the event loop yielded in
 * between. All valid: the parsed rows, as checkedRows returns them. Any invalid: checkedRows itself
 * answers, listing every bad row (the schema's and the methodology's verdicts) as the API numbers them.
 */
async function checkRows(f: FormContext, read: RowsRead, progress: Progress): Promise<IngestRow[]> {
  const o = OPERATION_LABELS[f.lang];
  const total = read.rows.length;
  await progress.line(o.read(int(f.lang, total)));
  const valid: IngestRow[] = [];
  for (let start = 0; start < total && read.errors.length === 0 && valid.length === start; start += CHUNK_ROWS) {
    const end = Math.min(start + CHUNK_ROWS, total);
    for (let i = start; i < end; i++) {
      const parsed = ScoreIn.safeParse(read.rows[i]);
      if (parsed.success) valid.push(parsed.data as IngestRow);
    }
    await progress.line(o.checked(int(f.lang, end), int(f.lang, total)), { done: end, total });
    await yieldToLoop();
  }
  if (read.errors.length > 0 || valid.length < total) return checkedRows(f.batch, read.rows, read.errors);
  await progress.line(o.checkedAll);
  return valid;
}

/** Checked rows written by writeScores (atomic, audited, 409 when the cycle changed), then the cycle's results recomputed. */
async function checkAndWrite(c: Context<AppEnv>, f: FormContext, read: RowsRead, progress: Progress): Promise<Written> {
  const o = OPERATION_LABELS[f.lang];
  const outcome = await writeScores(c, f.batch, await checkRows(f, read, progress), false).catch(read.place ?? rethrow);
  await progress.line(outcome.changed ? o.written(int(f.lang, outcome.inserted + outcome.updated)) : o.nothingWritten);
  if (outcome.changed) {
    const cycle = await getCycle(c.get('driver'), f.batch.cycle.year, f.batch.cycle.unitType);
    // The report the pages read next: computed now, while the person waits with its progress in view.
    if (cycle) await cycleReport(c.get('driver'), cycle);
    await progress.line(o.recomputed);
  }
  return outcome;
}

function streamed(c: Context<AppEnv>, f: FormContext, work: Parameters<typeof streamedOperation>[2]) {
  const { year, unitType } = f.batch.cycle;
  return streamedOperation(c, { lang: f.lang, title: cycleTitle(f.lang, f.batch), alternate: otherLanguage(uploadPath(f.lang, year, unitType), f.lang) }, work);
}

/** What ties a preview to its commit: the cycle, its data version, the file's kind and its SHA-256. */
const sealText = (batch: ScoreBatch, version: number, kind: string, digest: string) => `upload:${batch.cycle.year}/${batch.cycle.unitType}:${version}:${kind}:${digest}`;

const resultText = (batch: ScoreBatch, o: string) => `upload-result:${batch.cycle.year}/${batch.cycle.unitType}:${o}`;

/** The result page of a commit: what it wrote, signed for the session (a link another session cannot forge or read). */
async function resultPath(f: FormContext, w: Written): Promise<string> {
  const o = [w.received, w.inserted, w.updated, w.unchanged, w.dataVersion].join('.');
  return `${uploadPath(f.lang, f.batch.cycle.year, f.batch.cycle.unitType, '/result')}?o=${o}&s=${await sealOf(f.token, resultText(f.batch, o))}`;
}

/** The cycle's score template for the person signed in (the rows their key may write), as the API gives it. */
async function template(c: Context<AppEnv>, options: WorkspaceOptions, lang: Lang) {
  const session = await signedIn(c, options, lang);
  if (session instanceof Response) return session;
  const found = await attempt(async () => {
    requireRole(c, 'admin', 'appraiser', 'unit');
    return templateDownload(c, await scoreBatch(c, cycleOf(c).year, cycleOf(c).unitType), lang);
  });
  return 'problem' in found ? refusedPage(c, lang, found.problem) : found.ok;
}

async function showResult(c: Context<AppEnv>, options: WorkspaceOptions, lang: Lang) {
  const session = await signedIn(c, options, lang);
  if (session instanceof Response) return session;
  const found = await attempt(() => scoreBatch(c, cycleOf(c).year, cycleOf(c).unitType));
  if ('problem' in found) return refusedPage(c, lang, found.problem);
  const o = c.req.query('o') ?? '';
  const counts = /^\d{1,9}(\.\d{1,9}){4}$/.test(o) ? o.split('.').map(Number) : undefined;
  if (!counts || !await sealHolds(await formToken(session), resultText(found.ok, o), c.req.query('s') ?? '')) {
    return refusedPage(c, lang, new ApiProblem('not-found', OPERATION_LABELS[lang].badResult));
  }
  const [received, inserted, updated, unchanged, dataVersion] = counts;
  return page(c, 200, <ResultPage lang={lang} batch={found.ok} written={{ received, inserted, updated, unchanged, dataVersion }} />);
}

/** A refused upload: the form again with the content kept and every error listed; too large: its own page. */
function refused(c: Context<AppEnv>, f: FormContext, content: string, problem: ApiProblem) {
  if (problem.type === 'payload-too-large') return tooLargePage(c, f.lang);
  return page(c, statusOf(problem), <UploadPage {...f} content={content} problem={problem} />);
}

function tooLargePage(c: Context<AppEnv>, lang: Lang) {
  const a = ADMINISTRATION_LABELS[lang];
  return refusedPage(c, lang, new ApiProblem('payload-too-large', a.tooLargeLead(sizeText(lang, UPLOAD_BODY_LIMIT), int(lang, MAX_UPLOAD_ROWS))), a.tooLarge);
}
