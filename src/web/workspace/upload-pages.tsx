// The score upload's pages: the form (with every error of a refused upload by row and column and the
// content kept), the preview with its sealed commit form, and the result page (reached by GET).
// The form and the preview are also the ending of a streamed operation (operation.tsx), so each has
// a body without the page around it.
import type { FieldError } from '../../http/problem.js';
import type { ApiProblem } from '../../http/problem.js';
import { MAX_UPLOAD_ROWS, type ScoreBatch, type WriteOutcome } from '../../http/score-writes.js';
import { KiB, MiB } from '../../http/middleware.js';
import { int, LABELS, type Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { ADMINISTRATION_LABELS } from './administration-labels.js';
import { workspacePath } from './forms.js';

/** The body limit of PUT …/scores, for the same uploads through a form. */
export const UPLOAD_BODY_LIMIT = 64 * MiB;

export const uploadPath = (lang: Lang, year: number, unitType: string, rest = '') => workspacePath(lang, `/cycles/${year}/${unitType}/scores/upload${rest}`);

export interface FormContext { lang: Lang; token: string; batch: ScoreBatch }

/** What the commit form carries: the previewed bytes (base64) and their kind, sealed to the session, the cycle and its data version. */
export interface Sealed { content: string; kind: string; digest: string; version: number; seal: string }

export const sizeText = (lang: Lang, bytes: number) => (bytes >= MiB ? `${int(lang, bytes / MiB)} MiB` : `${int(lang, bytes / KiB)} KiB`);

export function cycleTitle(lang: Lang, batch: ScoreBatch) {
  const t = LABELS[lang];
  return ADMINISTRATION_LABELS[lang].uploadTitle(batch.cycle.year, t.unitTypes[batch.cycle.unitType] ?? batch.cycle.unitType);
}

/** A page of the upload: its title, the cycle's upload path as the other language's address. */
export function UploadFrame({ lang, batch, children }: { lang: Lang; batch: ScoreBatch; children: unknown }) {
  const title = cycleTitle(lang, batch);
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(uploadPath(lang, batch.cycle.year, batch.cycle.unitType), lang)}>
      <h1>{title}</h1>
      {children as never}
    </Page>
  );
}

/** A survey line for the sample: the methodology's first leaf scored from a survey, at its maximum. */
function surveySample(batch: ScoreBatch): string {
  const { nodes, leaves } = batch.compiled;
  const leaf = leaves.map((i) => nodes[i]).find((n) => n.sources.includes('survey') && n.rule?.type === 'points') ?? nodes[leaves[0]];
  const unit = batch.units[0]?.code ?? '01';
  return `unit,indicator,source,value\n${unit},${leaf.code},survey,${Number.isFinite(leaf.max) ? leaf.max : 1}`;
}

export type UploadFormProps = FormContext & { content: string; problem?: ApiProblem };

export function UploadForm({ lang, token, batch, content, problem }: UploadFormProps) {
  const a = ADMINISTRATION_LABELS[lang];
  const action = uploadPath(lang, batch.cycle.year, batch.cycle.unitType);
  return (
    <>
      {problem && <UploadErrors lang={lang} problem={problem} />}
      <p class="sub">{a.uploadLead}</p>
      <p data-formats>{a.formats} <a href={uploadPath(lang, batch.cycle.year, batch.cycle.unitType, '/template')} download data-template>{a.template}</a></p>
      <form method="post" action={action} enctype="multipart/form-data" class="work upload" data-upload-form>
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="step" value="preview" />
        <p id="upload-help">{a.headerHelp} {a.limits(int(lang, MAX_UPLOAD_ROWS), sizeText(lang, UPLOAD_BODY_LIMIT))}</p>
        <p>{a.surveyHelp}</p>
        <pre class="sample" data-sample>{surveySample(batch)}</pre>
        <p><label for="file">{a.file}</label><br />
          <input id="file" name="file" type="file" accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="upload-help" /></p>
        <p><label for="csv">{a.pasted}</label>
          <textarea id="csv" name="csv" rows={12} spellcheck={false} aria-invalid={problem ? 'true' : undefined}
            aria-describedby={problem ? 'form-errors upload-help' : 'upload-help'}>{content}</textarea></p>
        <div class="actions"><button type="submit">{a.preview}</button></div>
      </form>
    </>
  );
}

export const UploadPage = (props: UploadFormProps) => <UploadFrame lang={props.lang} batch={props.batch}><UploadForm {...props} /></UploadFrame>;

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
            <tr data-error-row={e.row === undefined ? '' : String(e.row)} data-error-field={e.field ?? ''} data-error-cell={e.column ? `${e.sheet ?? ''}!${e.column}` : undefined}>
              <th scope="row">{e.row === undefined ? '—' : int(lang, e.row)}</th>
              <td>{e.column ? `${e.sheet ? `${e.sheet}!` : ''}${e.column}${e.field ? ` (${e.field})` : ''}` : e.field ?? '—'}</td><td>{e.unit ?? '—'}</td><td>{e.indicator ?? '—'}</td><td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Counted = Pick<WriteOutcome, 'received' | 'inserted' | 'updated' | 'unchanged'>;

export function Counts({ lang, outcome }: { lang: Lang; outcome: Counted }) {
  const a = ADMINISTRATION_LABELS[lang];
  const items = [['received', a.received], ['inserted', a.inserted], ['updated', a.updated], ['unchanged', a.unchanged]] as const;
  return (
    <dl class="counts">
      {items.map(([key, label]) => <><dt>{label}</dt><dd data-count={key} data-value={String(outcome[key])}>{int(lang, outcome[key])}</dd></>)}
    </dl>
  );
}

export function Preview({ lang, token, batch, outcome, sealed }: FormContext & { outcome: Counted; sealed: Sealed }) {
  const a = ADMINISTRATION_LABELS[lang];
  const action = uploadPath(lang, batch.cycle.year, batch.cycle.unitType);
  return (
    <>
      <section data-preview aria-labelledby="preview-title">
        <h2 id="preview-title">{a.previewTitle}</h2>
        <p>{a.previewLead}</p>
        <Counts lang={lang} outcome={outcome} />
        <p>{a.contentHash}: <code data-digest>{sealed.digest}</code></p>
      </section>
      <form method="post" action={action} enctype="multipart/form-data" class="work" data-commit-form>
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="step" value="commit" />
        {(['content', 'kind', 'digest'] as const).map((k) => <input type="hidden" name={k} value={sealed[k]} />)}
        <input type="hidden" name="version" value={String(sealed.version)} />
        <input type="hidden" name="seal" value={sealed.seal} />
        <div class="actions">
          <button type="submit">{a.commit}</button>
          <a href={action}>{a.startAgain}</a>
        </div>
      </form>
    </>
  );
}

/** What a commit wrote, as its result page says it: the counts and the cycle's data version after it. */
export interface Written extends Counted { dataVersion: number }

export function ResultPage({ lang, batch, written }: { lang: Lang; batch: ScoreBatch; written: Written }) {
  const a = ADMINISTRATION_LABELS[lang];
  const changed = written.inserted + written.updated > 0;
  return (
    <UploadFrame lang={lang} batch={batch}>
      <section class="saved" role="status" data-result data-changed={String(changed)}>
        <h2>{a.resultTitle}</h2>
        {!changed && <p>{a.resultNothing}</p>}
        <Counts lang={lang} outcome={written} />
        <p>{a.dataVersion}: <span data-data-version={String(written.dataVersion)}>{int(lang, written.dataVersion)}</span></p>
      </section>
      <p><a href={uploadPath(lang, batch.cycle.year, batch.cycle.unitType)}>{a.startAgain}</a> · <a href={workspacePath(lang)}>{a.back}</a></p>
    </UploadFrame>
  );
}
