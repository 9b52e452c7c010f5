// The appraisal screens as pages: progress across units, one unit's sheet (self-assessed beside
// appraised, by domain and criterion), and a refusal. Server-rendered; no script needed.
import type { CompiledNode } from '../../engine/index.js';
import { int, LABELS, nameIn, num, type Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { workspacePath } from './forms.js';
import { WORKSPACE_LABELS } from './labels.js';
import { APPRAISAL_LABELS } from './appraisal-labels.js';
import type { ScoreBatch } from '../../http/score-writes.js';
import type { Sheet, SheetLeaf, UnitProgress } from './appraisal-data.js';
import { inputText, reasonField, valueField, type PlacedError, type Typed } from './appraisal-form.js';

export const appraisalPath = (lang: Lang, year: number, unitType: string, unit?: string) =>
  workspacePath(lang, `/cycles/${year}/${encodeURIComponent(unitType)}/appraisal${unit === undefined ? '' : `/${encodeURIComponent(unit)}`}`);

const nodeLabel = (lang: Lang, node: CompiledNode) => `${node.code} ${nameIn(lang, node.name)}`.trim();

export function ProgressPage({ lang, batch, progress }: { lang: Lang; batch: ScoreBatch; progress: UnitProgress[] }) {
  const a = APPRAISAL_LABELS[lang];
  const { year, unitType } = batch.cycle;
  const title = a.progressTitle(year, LABELS[lang].unitTypes[unitType] ?? unitType);
  const done = progress.filter((p) => p.appraised === p.total).length;
  const left = progress.reduce((n, p) => n + p.total - p.appraised, 0);
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(appraisalPath(lang, year, unitType), lang)}>
      <p><a href={workspacePath(lang)}>{WORKSPACE_LABELS[lang].workspace}</a></p>
      <h1>{title}</h1>
      <p class="sub">{a.progressLead}</p>
      <p data-summary data-complete={String(done)} data-units={String(progress.length)} data-unappraised={String(left)}>{a.summary(int(lang, done), int(lang, progress.length), int(lang, left))}</p>
      <div class="scroll" role="region" aria-labelledby="appraisal-cap" tabindex={0}>
        <table class="appraisal-progress">
          <caption id="appraisal-cap">{a.progressCaption}</caption>
          <thead><tr>
            <th scope="col">{a.unit}</th><th scope="col">{a.selfAssessed}</th><th scope="col">{a.appraised}</th>
            <th scope="col">{a.awaiting}</th><th scope="col">{a.remaining}</th>
          </tr></thead>
          <tbody>
            {progress.map((p) => (
              <tr data-unit={p.unit.code} data-appraised={String(p.appraised)} data-total={String(p.total)} data-self={String(p.selfAssessed)}
                data-awaiting={String(p.awaiting)} data-complete={String(p.appraised === p.total)}>
                <th scope="row"><a href={appraisalPath(lang, year, unitType, p.unit.code)}>{nameIn(lang, p.unit.name, p.unit.code)}</a></th>
                <td>{int(lang, p.selfAssessed)}</td>
                <td>{`${int(lang, p.appraised)}/${int(lang, p.total)}`}</td>
                <td>{int(lang, p.awaiting)}</td>
                <td>{p.appraised === p.total ? a.complete : int(lang, p.total - p.appraised)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
}

export interface SheetView {
  lang: Lang; sheet: Sheet; token: string;
  /** set when the person may not write now: why (the page is then read-only) */
  readOnly?: string;
  typed?: Typed; errors?: PlacedError[]; notice?: string;
}

export function UnitPage(view: SheetView) {
  const { lang, sheet, token, readOnly, errors = [], notice } = view;
  const a = APPRAISAL_LABELS[lang];
  const { year, unitType } = sheet.batch.cycle;
  const title = a.unitTitle(nameIn(lang, sheet.unit.name, sheet.unit.code), year);
  const action = appraisalPath(lang, year, unitType, sheet.unit.code);
  const appraised = sheet.leaves.filter((l) => l.appraised).length;
  const unappraised = sheet.leaves.filter((l) => !l.appraised);
  const domains = sheet.domains.map((d) => <Domain view={view} group={d} />);
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(action, lang)}>
      <p><a href={appraisalPath(lang, year, unitType)} data-back>{a.back}</a></p>
      <h1>{title}</h1>
      <p class="sub">{a.unitLead}</p>
      {readOnly && <p class="notice" role="note" data-read-only><strong>{a.readOnly}: </strong>{readOnly}</p>}
      {notice && <p class="saved" role="status" data-notice>{notice}</p>}
      {errors.length > 0 && <ErrorSummary lang={lang} sheet={sheet} errors={errors} />}
      <p data-progress data-appraised={String(appraised)} data-total={String(sheet.leaves.length)}>{a.unitProgress(int(lang, appraised), int(lang, sheet.leaves.length))}</p>
      {unappraised.length === 0 ? <p data-unappraised="">{a.noneUnappraised}</p> : (
        <details class="appraisal-left">
          <summary>{`${a.unappraisedTitle} (${int(lang, unappraised.length)})`}</summary>
          <ul data-unappraised={unappraised.map((l) => l.node.code).join(' ')}>
            {unappraised.map((l) => <li><a href={`#leaf-${l.node.index}`}>{nodeLabel(lang, l.node)}</a></li>)}
          </ul>
        </details>
      )}
      {readOnly ? <div class="appraisal">{domains}</div> : (
        <form method="post" action={action} class="work appraisal" data-appraisal-form>
          <input type="hidden" name="token" value={token} />
          {/* first in the form: the button Enter presses */}
          <div class="actions"><button type="submit" name="save" value="1">{a.save}</button></div>
          {domains}
          <div class="actions"><button type="submit" name="save" value="1">{a.save}</button></div>
        </form>
      )}
    </Page>
  );
}

const fieldId = (kind: 'value' | 'reason', leaf: SheetLeaf) => `${kind}-${leaf.node.index}`;

function ErrorSummary({ lang, sheet, errors }: { lang: Lang; sheet: Sheet; errors: PlacedError[] }) {
  const a = APPRAISAL_LABELS[lang];
  const leafOf = (code?: string) => sheet.leaves.find((l) => l.node.code === code);
  return (
    <div class="notice" role="alert" data-errors={String(errors.length)} tabindex={-1}>
      <p>{a.errorsTitle(int(lang, errors.length))}</p>
      <ul>
        {errors.map((e) => {
          const leaf = leafOf(e.code);
          const text = `${e.code ? `${e.code}: ` : ''}${a.fieldMessage[e.kind]} (${e.message})`;
          return <li>{leaf ? <a href={`#${fieldId(e.kind === 'reason' ? 'reason' : 'value', leaf)}`}>{text}</a> : text}</li>;
        })}
      </ul>
    </div>
  );
}

function Domain({ view, group }: { view: SheetView; group: Sheet['domains'][number] }) {
  const { lang, readOnly } = view;
  const a = APPRAISAL_LABELS[lang];
  const waiting = group.criteria.some((c) => c.leaves.some((l) => l.self && !l.appraised));
  return (
    <section data-domain={group.node.code} aria-labelledby={`domain-${group.node.index}`}>
      <h2 id={`domain-${group.node.index}`}>{nodeLabel(lang, group.node)}</h2>
      {!readOnly && waiting && (
        <div class="actions">
          <button type="submit" name="accept-domain" value={group.node.code} class="secondary" data-accept-domain={group.node.code}>{a.acceptDomain(group.node.code)}</button>
        </div>
      )}
      {group.criteria.map((c) => (
        <div class="scroll" role="region" aria-labelledby={`criterion-${c.node.index}`} tabindex={0}>
          <table class="appraisal-sheet">
            <caption id={`criterion-${c.node.index}`}>{nodeLabel(lang, c.node)}</caption>
            <thead><tr>
              <th scope="col">{a.subCriterion}</th><th scope="col">{a.max}</th><th scope="col">{a.self}</th>
              <th scope="col">{a.appraisedValue}</th><th scope="col">{a.reason}</th><th scope="col">{a.action}</th>
            </tr></thead>
            <tbody>{c.leaves.map((leaf) => <LeafRow view={view} leaf={leaf} />)}</tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

const json = (value: unknown) => (value === undefined ? '' : JSON.stringify(value));

function LeafRow({ view, leaf }: { view: SheetView; leaf: SheetLeaf }) {
  const { lang, readOnly, typed, errors = [] } = view;
  const a = APPRAISAL_LABELS[lang];
  const code = leaf.node.code;
  const rounding = view.sheet.batch.compiled.methodology.rounding;
  return (
    <tr id={`leaf-${leaf.node.index}`} data-leaf={code} data-state={leaf.state} data-self-value={json(leaf.self?.value)} data-appraised-value={json(leaf.appraised?.value)}>
      <th scope="row">{nodeLabel(lang, leaf.node)}</th>
      <td>{Number.isFinite(leaf.node.max) ? num(lang, leaf.node.max, rounding) : '—'}</td>
      <td data-self><SelfAssessed lang={lang} leaf={leaf} /></td>
      {readOnly ? (
        <>
          <td data-appraised>{leaf.appraised ? inputText(lang, leaf.appraised.value) || a.noData : '—'}</td>
          <td data-reason>{leaf.reason ?? ''}</td>
          <td>{a.states[leaf.state]}</td>
        </>
      ) : (
        <>
          <td><Field kind="value" lang={lang} leaf={leaf} text={typed?.values.get(code) ?? inputText(lang, leaf.appraised?.value)} errors={errors} /></td>
          <td><Field kind="reason" lang={lang} leaf={leaf} text={typed?.reasons.get(code) ?? leaf.reason ?? ''} errors={errors} /></td>
          <td>
            <span class="state">{a.states[leaf.state]}</span>
            {leaf.self && <button type="submit" name="accept" value={code} class="secondary" aria-label={a.acceptOf(code)} data-accept={code}>{a.accept}</button>}
          </td>
        </>
      )}
    </tr>
  );
}

function SelfAssessed({ lang, leaf }: { lang: Lang; leaf: SheetLeaf }) {
  const a = APPRAISAL_LABELS[lang];
  if (!leaf.self) return <span class="muted">{a.notSelfAssessed}</span>;
  const { value, evidence, note } = leaf.self;
  return (
    <>
      <strong>{value === null ? a.noData : inputText(lang, value)}</strong>
      {evidence && <div><span class="term">{a.evidence}: </span>{/^https?:\/\//.test(evidence) ? <a href={evidence} rel="noopener noreferrer">{evidence}</a> : evidence}</div>}
      {note && <div><span class="term">{a.note}: </span>{note}</div>}
    </>
  );
}

function Field({ kind, lang, leaf, text, errors }: { kind: 'value' | 'reason'; lang: Lang; leaf: SheetLeaf; text: string; errors: PlacedError[] }) {
  const a = APPRAISAL_LABELS[lang];
  const code = leaf.node.code;
  const name = kind === 'value' ? valueField(code) : reasonField(code);
  const id = fieldId(kind, leaf);
  const mine = errors.filter((e) => e.field === name);
  const described = mine.length ? `${id}-error` : undefined;
  const label = kind === 'value' ? a.valueOf(code) : a.reasonOf(code);
  return (
    <>
      <label for={id} class="vh">{label}</label>
      {kind === 'value'
        ? <input id={id} name={name} type="text" value={text} size={6} inputmode={leaf.node.rule?.type === 'survey' ? undefined : 'decimal'}
          aria-invalid={mine.length ? 'true' : undefined} aria-describedby={described} />
        : <textarea id={id} name={name} rows={2} maxlength={2000} aria-invalid={mine.length ? 'true' : undefined} aria-describedby={described}>{text}</textarea>}
      {mine.length > 0 && <p class="field-error" id={described} data-error-for={name}>{mine.map((e) => `${a.fieldMessage[e.kind]} (${e.message})`).join(' ')}</p>}
    </>
  );
}
