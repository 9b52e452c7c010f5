// The methodology screens' pages: the stored versions with their downloads and the upload form (every
// problem of a refused file by sheet, row, column and node, the CSV kept), the dry run's tree with
// each domain's total and the sealed commit form, and a stored version's page (the commit's result).
import type { ApiProblem } from '../../http/problem.js';
import type { MethodologyDryRunAnswer } from '../../http/routes/methodologies.js';
import type { TreeSummary } from '../../engine/index.js';
import type { MethodologyRow } from '../../store/methodologies.js';
import { int, LABELS, num, type Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { workspacePath } from './forms.js';
import { OPERATION_LABELS } from './operation-labels.js';
import { newCyclePath } from './secretariat-pages.js';

export const methodologiesPath = (lang: Lang, rest = '') => workspacePath(lang, `/methodologies${rest}`);
export const storedPath = (lang: Lang, id: string, version: number) => methodologiesPath(lang, `/${encodeURIComponent(id)}/${version}`);
export const downloadPath = (lang: Lang, id: string, version: number, format: 'csv' | 'xlsx') => `/v1/methodologies/${encodeURIComponent(id)}?version=${version}&format=${format}&lang=${lang}`;

const nameOf = (lang: Lang, row: MethodologyRow) => (lang === 'en' ? row.nameEn ?? row.nameVi : row.nameVi ?? row.nameEn) ?? row.id;

function Frame({ lang, title, path, children }: { lang: Lang; title: string; path: string; children: unknown }) {
  return <Page lang={lang} title={title} alternate={otherLanguage(path, lang)}><h1>{title}</h1>{children as never}</Page>;
}

export interface UploadState { token: string; content?: string; fileName?: string; problem?: ApiProblem }

export function MethodologiesPage({ lang, rows, state }: { lang: Lang; rows: MethodologyRow[]; state: UploadState }) {
  const o = OPERATION_LABELS[lang], t = LABELS[lang];
  return (
    <Frame lang={lang} title={o.methodologiesTitle} path={methodologiesPath(lang)}>
      {state.problem && <Problems lang={lang} problem={state.problem} fileName={state.fileName} />}
      <p class="sub">{o.methodologiesLead}</p>
      <UploadForm lang={lang} state={state} />
      <div class="scroll" role="region" aria-labelledby="stored-cap" tabindex={0}>
        <table id="methodologies">
          <caption id="stored-cap">{o.storedCaption}</caption>
          <thead><tr><th scope="col">{o.id}</th><th scope="col">{o.version}</th><th scope="col">{o.name}</th><th scope="col">{o.unitType}</th><th scope="col">{o.hash}</th><th scope="col">{o.download}</th></tr></thead>
          <tbody>
            {rows.map((m) => (
              <tr data-methodology={`${m.id}@${m.version}`}>
                <th scope="row"><a href={storedPath(lang, m.id, m.version)}><code>{m.id}</code></a></th>
                <td>{String(m.version)}</td><td>{nameOf(lang, m)}</td><td>{t.unitTypes[m.unitType] ?? m.unitType}</td>
                <td><code>{m.contentHash.slice(0, 12)}</code></td>
                <td><Downloads lang={lang} id={m.id} version={m.version} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Frame>
  );
}

const Downloads = ({ lang, id, version }: { lang: Lang; id: string; version: number }) => (
  <><a href={downloadPath(lang, id, version, 'csv')} data-download="csv">CSV</a> · <a href={downloadPath(lang, id, version, 'xlsx')} data-download="xlsx">XLSX</a></>
);

function UploadForm({ lang, state }: { lang: Lang; state: UploadState }) {
  const o = OPERATION_LABELS[lang];
  const invalid = state.problem ? 'true' : undefined;
  return (
    <form method="post" action={methodologiesPath(lang)} enctype="multipart/form-data" class="work upload" data-methodology-form aria-labelledby="upload-h">
      <h2 id="upload-h">{o.uploadTitle}</h2>
      <p>{o.uploadLead}</p>
      <input type="hidden" name="token" value={state.token} />
      <input type="hidden" name="step" value="preview" />
      <p id="shape-help">{o.shapeHelp}</p>
      <p><label for="file">{o.file}</label><br />
        <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="shape-help" aria-invalid={invalid} /></p>
      <p><label for="csv">{o.pasted}</label>
        <textarea id="csv" name="csv" rows={10} spellcheck={false} aria-invalid={invalid}
          aria-describedby={state.problem ? 'form-errors shape-help' : 'shape-help'}>{state.content ?? ''}</textarea></p>
      <div class="actions"><button type="submit">{o.preview}</button></div>
    </form>
  );
}

/** Every problem of a refused file: the summary (role=alert), then a table by sheet, row, column and node. */
function Problems({ lang, problem, fileName }: { lang: Lang; problem: ApiProblem; fileName?: string }) {
  const o = OPERATION_LABELS[lang];
  const errors = problem.errors ?? [];
  return (
    <>
      <div class="notice" role="alert" id="form-errors" data-problem={problem.type}>
        <h2>{o.problemsTitle}</h2>
        <p lang="en">{problem.detail}</p>
        {fileName && <p data-choose-again>{o.chooseAgain(fileName)}</p>}
      </div>
      {errors.length > 0 && (
        <div class="scroll" role="region" aria-labelledby="problems-cap" tabindex={0}>
          <table id="row-errors" class="row-errors">
            <caption id="problems-cap">{o.problemsCaption}</caption>
            <thead><tr><th scope="col">{o.sheet}</th><th scope="col">{o.row}</th><th scope="col">{o.column}</th><th scope="col">{o.node}</th><th scope="col">{o.message}</th></tr></thead>
            <tbody>
              {errors.map((e) => (
                <tr data-problem-sheet={e.sheet ?? ''} data-problem-row={e.row === undefined ? '' : String(e.row)} data-problem-column={e.column ?? ''} data-problem-node={e.indicator ?? ''}>
                  <td>{e.sheet ?? '—'}</td><th scope="row">{e.row === undefined ? '—' : int(lang, e.row)}</th><td>{e.column ?? '—'}</td>
                  <td>{e.indicator ?? '—'}</td><td lang="en">{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** The tree: nodes per level, the total, and each domain with its maximum, weight, nodes and leaves. */
function Tree({ lang, tree, rounding }: { lang: Lang; tree: TreeSummary; rounding: number }) {
  const o = OPERATION_LABELS[lang];
  return (
    <section aria-labelledby="tree-h" data-tree>
      <h2 id="tree-h">{o.tree}</h2>
      <dl class="facts">
        <dt>{o.levels}</dt><dd data-levels={tree.levels.join(',')}>{tree.levels.map((n) => int(lang, n)).join(' · ')}</dd>
        <dt>{o.leaves}</dt><dd data-leaves={String(tree.leaves)}>{int(lang, tree.leaves)}</dd>
        {tree.total !== null && <><dt>{o.total}</dt><dd data-total={String(tree.total)}>{num(lang, tree.total, rounding)}</dd></>}
      </dl>
      <table id="domains">
        <caption>{o.domainsCaption}</caption>
        <thead><tr><th scope="col">{o.id}</th><th scope="col">{o.name}</th><th scope="col">{o.max}</th><th scope="col">{o.weight}</th><th scope="col">{o.nodes}</th><th scope="col">{o.leaves}</th></tr></thead>
        <tbody>
          {tree.domains.map((d) => (
            <tr data-domain={d.code} data-max={d.max === null ? '' : String(d.max)}>
              <th scope="row">{d.code}</th><td>{d.name?.[lang] ?? '—'}</td><td>{d.max === null ? '—' : num(lang, d.max, rounding)}</td>
              <td>{num(lang, d.weight, 2)}</td><td>{int(lang, d.nodes)}</td><td>{int(lang, d.leaves)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export interface SealedFile { content: string; kind: string; digest: string; seal: string }

export function PreviewPage({ lang, token, dryRun, sealed }: { lang: Lang; token: string; dryRun: MethodologyDryRunAnswer; sealed: SealedFile }) {
  const o = OPERATION_LABELS[lang];
  return (
    <Frame lang={lang} title={o.uploadTitle} path={methodologiesPath(lang)}>
      <section data-preview data-stored={dryRun.stored} aria-labelledby="preview-h">
        <h2 id="preview-h">{o.previewTitle}</h2>
        <dl class="facts">
          <dt>{o.id}</dt><dd><code data-id>{dryRun.id}</code></dd>
          <dt>{o.version}</dt><dd data-version>{String(dryRun.version)}</dd>
          <dt>{o.contentHash}</dt><dd><code data-hash>{dryRun.contentHash}</code></dd>
        </dl>
        <p data-stored-state role="status">{o.storedState[dryRun.stored]}</p>
      </section>
      <Tree lang={lang} tree={dryRun} rounding={2} />
      <form method="post" action={methodologiesPath(lang)} enctype="multipart/form-data" class="work" data-commit-form>
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="step" value="commit" />
        {(['content', 'kind', 'digest', 'seal'] as const).map((k) => <input type="hidden" name={k} value={sealed[k]} />)}
        <div class="actions">
          {dryRun.stored !== 'conflict' && <button type="submit">{o.commit}</button>}
          <a href={methodologiesPath(lang)}>{o.startAgain}</a>
        </div>
      </form>
    </Frame>
  );
}

export function StoredPage({ lang, row, tree, stored }: { lang: Lang; row: MethodologyRow; tree: TreeSummary; stored?: string }) {
  const o = OPERATION_LABELS[lang], t = LABELS[lang];
  const notice = stored === 'new' ? o.storedNew : stored === 'same' ? o.storedSame : undefined;
  return (
    <Frame lang={lang} title={o.storedTitle(row.id, row.version)} path={storedPath(lang, row.id, row.version)}>
      {notice && <p class="saved" role="status" data-result={stored}>{notice}</p>}
      <dl class="facts" data-methodology={`${row.id}@${row.version}`}>
        <dt>{o.name}</dt><dd>{nameOf(lang, row)}</dd>
        <dt>{o.unitType}</dt><dd>{t.unitTypes[row.unitType] ?? row.unitType}</dd>
        <dt>{o.contentHash}</dt><dd><code data-hash>{row.contentHash}</code></dd>
        <dt>{o.download}</dt><dd><Downloads lang={lang} id={row.id} version={row.version} /></dd>
      </dl>
      <Tree lang={lang} tree={tree} rounding={2} />
      <p><a href={newCyclePath(lang)}>{o.openCycle}</a> · <a href={methodologiesPath(lang)}>{o.methodologiesTitle}</a></p>
    </Frame>
  );
}
