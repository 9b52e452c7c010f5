// The self-assessment page: the form grouped by domain and criterion, each sub-criterion with its
// rule in words and an input that fits it, errors beside their fields, the appraiser's adjustments,
// and the unit's draft scorecard. Server-rendered; works without JavaScript; printable.
import type { ScoreRow } from '../../store/scores.js';
import { LABELS, nameIn, num, type Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { WORKSPACE_LABELS } from './labels.js';
import type { Appraised, DraftScorecard } from './self-assessment-data.js';
import { SELF_LABELS } from './self-assessment-labels.js';
import { FIELD, sameValue, type Entry, type FormLeaf, type LeafErrors, type Message, type NodeRef, type PlacedErrors } from './self-assessment-model.js';
import { plain, ruleInWords } from './self-assessment-rule.js';

export interface FormView {
  lang: Lang; url: string; token: string;
  cycle: { year: number; unitType: string; status: string };
  unit: { code: string; name: { vi: string; en: string } };
  leaves: FormLeaf[]; entries: Map<string, Entry>;
  /** sub-criteria with a stored self-assessed value */
  answered: number;
  writable: boolean; saved: boolean; rounding: number;
  errors?: PlacedErrors;
  /** the stored self-assessed values, to tell which appraised values differ */
  storedValues: Map<string, ScoreRow['value']>;
  appraised: Map<string, Appraised>;
  scorecard: DraftScorecard | null;
  /** points mode: the index is out of 100 (percent of the root's maximum); weighted mode: no maximum */
  pointsMode: boolean;
}

const EMPTY: Entry = { value: '', options: {}, evidence: '', note: '' };
const NO_ERRORS: LeafErrors = { value: [], evidence: [], note: [] };
const label = (lang: Lang, n: NodeRef) => `${n.code}. ${nameIn(lang, n.name, n.code)}`;

export function SelfAssessmentPage(v: FormView) {
  const w = SELF_LABELS[v.lang], ws = WORKSPACE_LABELS[v.lang], t = LABELS[v.lang];
  return (
    <Page lang={v.lang} title={w.title} alternate={otherLanguage(v.url, v.lang)}>
      <h1>{w.title}</h1>
      <p class="sub">{w.lead(String(v.cycle.year), t.unitTypes[v.cycle.unitType] ?? v.cycle.unitType)}</p>
      <p>{w.unit}: <strong data-unit={v.unit.code}>{nameIn(v.lang, v.unit.name, v.unit.code)}</strong> · {w.phase}: <span data-phase={v.cycle.status}>{ws.phases[v.cycle.status] ?? v.cycle.status}</span></p>
      {v.saved && !v.errors && <p class="saved" role="status" data-saved>{w.saved}</p>}
      {!v.writable && <p class="notice" data-read-only>{w.readOnly[v.cycle.status] ?? w.readOnly.open}</p>}
      {v.errors && <ErrorSummary lang={v.lang} errors={v.errors} leaves={v.leaves} />}
      <Progress lang={v.lang} answered={v.answered} total={v.leaves.length} />
      <form method="post" action={v.url} class="work self-assessment">
        <input type="hidden" name="token" value={v.token} />
        {groups(v.leaves).map((domain) => (
          <section class="sa-domain" data-domain={domain.ref.code}>
            <h2>{label(v.lang, domain.ref)}</h2>
            {domain.criteria.map((criterion) => (
              <section class="sa-criterion" data-criterion={criterion.ref?.code}>
                {criterion.ref && <h3>{label(v.lang, criterion.ref)}</h3>}
                {criterion.leaves.map(({ leaf, index }) => <Leaf v={v} leaf={leaf} index={index} />)}
              </section>
            ))}
          </section>
        ))}
        {v.writable && <div class="actions"><button type="submit" data-save>{w.save}</button></div>}
      </form>
      {v.scorecard && <Scorecard v={v} card={v.scorecard} />}
    </Page>
  );
}

interface Group { ref: NodeRef; criteria: { ref?: NodeRef; leaves: { leaf: FormLeaf; index: number }[] }[] }

/** Leaves in methodology order, under their domain and criterion (a leaf directly under a domain has none). */
function groups(leaves: FormLeaf[]): Group[] {
  const out: Group[] = [];
  leaves.forEach((leaf, index) => {
    let domain = out[out.length - 1];
    if (domain?.ref.code !== leaf.domain.code) out.push((domain = { ref: leaf.domain, criteria: [] }));
    let criterion = domain.criteria[domain.criteria.length - 1];
    if (!criterion || criterion.ref?.code !== leaf.criterion?.code) domain.criteria.push((criterion = { ref: leaf.criterion, leaves: [] }));
    criterion.leaves.push({ leaf, index });
  });
  return out;
}

function Progress({ lang, answered, total }: { lang: Lang; answered: number; total: number }) {
  const w = SELF_LABELS[lang];
  return (
    <p class="sa-progress" data-progress data-answered={String(answered)} data-total={String(total)}>
      <label for="sa-progress">{w.progress}</label>{' '}
      <progress id="sa-progress" max={String(total)} value={String(answered)}>{`${answered}/${total}`}</progress>{' '}
      <span>{w.answered(String(answered), String(total))}</span>
    </p>
  );
}

/** Ids of a sub-criterion's fields: by position, since codes may hold characters an id may not. */
const ids = (index: number) => ({
  box: `sa${index}`, rule: `sa${index}-rule`, value: `sa${index}-value`, evidence: `sa${index}-evidence`, note: `sa${index}-note`,
  option: (i: number) => `sa${index}-option${i}`,
  error: (field: keyof LeafErrors) => `sa${index}-${field}-error`,
});

function ErrorSummary({ lang, errors, leaves }: { lang: Lang; errors: PlacedErrors; leaves: FormLeaf[] }) {
  const w = SELF_LABELS[lang];
  const positions = new Map(leaves.map((l, i) => [l.code, i]));
  const items = [...errors.byLeaf].flatMap(([code, e]) => (['value', 'evidence', 'note'] as const)
    .flatMap((field) => e[field].map((m) => ({ code, field, m }))));
  return (
    <div class="sa-errors" role="alert" data-errors={String(errors.count)} tabindex={-1}>
      <p>{w.errorsTitle(errors.count)}</p>
      <ul>
        {errors.general.map((m) => <li><Text lang={lang} m={m} /></li>)}
        {items.map(({ code, field, m }) => {
          const i = positions.get(code);
          return <li>{i === undefined ? code : <a href={`#${ids(i)[field === 'value' ? 'value' : field]}`}>{code}</a>}: <Text lang={lang} m={m} /></li>;
        })}
      </ul>
    </div>
  );
}

/** An API message is English: said so, behind the reader's own words. */
function Text({ lang, m }: { lang: Lang; m: Message }) {
  return m.english ? <>{`${SELF_LABELS[lang].invalid} `}<span lang="en">{m.text}</span></> : <>{m.text}</>;
}

function FieldErrors({ lang, id, messages }: { lang: Lang; id: string; messages: Message[] }) {
  return messages.length ? <p class="field-error" id={id} data-error-for={id.replace(/-error$/, '')}>{messages.map((m) => <><Text lang={lang} m={m} />{' '}</>)}</p> : null;
}

/** aria attributes of an input: described by its rule and by the errors shown for it. */
const invalid = (described: string[], errorIds: string[]) => ({
  'aria-invalid': errorIds.length ? 'true' : undefined,
  'aria-describedby': [...described, ...errorIds].join(' ') || undefined,
});

function Leaf({ v, leaf, index }: { v: FormView; leaf: FormLeaf; index: number }) {
  const w = SELF_LABELS[v.lang];
  const id = ids(index);
  const entry = v.entries.get(leaf.code) ?? EMPTY;
  const errors = v.errors?.byLeaf.get(leaf.code) ?? NO_ERRORS;
  // A missing evidence is answered in either field: both are marked, both point to the message.
  const evidenceError = errors.evidence.length ? [id.error('evidence')] : [];
  const noteError = errors.note.length ? [id.error('note')] : [];
  return (
    <fieldset class="sa-leaf" id={id.box} data-indicator={leaf.code} data-rule={leaf.rule?.type ?? 'value'} data-invalid={errors === NO_ERRORS ? undefined : 'true'}>
      <legend><span class="sa-code">{leaf.code}</span> {nameIn(v.lang, leaf.name, leaf.code)}{Number.isFinite(leaf.max) && <> <span class="sa-max" data-max={String(leaf.max)}>({w.max(plain(v.lang, leaf.max))})</span></>}</legend>
      <p class="sa-rule" id={id.rule}>{ruleInWords(leaf.rule, leaf.max, v.lang)}</p>
      <ValueInput v={v} leaf={leaf} entry={entry} id={id} messages={errors.value} />
      <FieldErrors lang={v.lang} id={id.error('value')} messages={errors.value} />
      <label for={id.evidence}>{w.evidence}</label>
      <textarea id={id.evidence} name={FIELD.evidence(leaf.code)} rows={2} maxlength={2000} readonly={!v.writable} {...invalid([], evidenceError)}>{entry.evidence}</textarea>
      <FieldErrors lang={v.lang} id={id.error('evidence')} messages={errors.evidence} />
      <label for={id.note}>{w.note}</label>
      <textarea id={id.note} name={FIELD.note(leaf.code)} rows={2} maxlength={2000} readonly={!v.writable} {...invalid([], [...evidenceError, ...noteError])}>{entry.note}</textarea>
      <FieldErrors lang={v.lang} id={id.error('note')} messages={errors.note} />
      <AppraisedValue v={v} leaf={leaf} />
    </fieldset>
  );
}

type Ids = ReturnType<typeof ids>;

function ValueInput({ v, leaf, entry, id, messages }: { v: FormView; leaf: FormLeaf; entry: Entry; id: Ids; messages: Message[] }) {
  const w = SELF_LABELS[v.lang];
  const aria = invalid([id.rule], messages.length ? [id.error('value')] : []);
  const rule = leaf.rule;
  if (rule?.type === 'binary') {
    return (
      <fieldset class="sa-choice" id={id.value} {...aria}>
        <legend>{w.value}</legend>
        {([['1', w.done], ['0', w.notDone]] as const).map(([value, text], i) => (
          <label><input type="radio" id={id.option(i)} name={FIELD.value(leaf.code)} value={value} checked={entry.value === value} disabled={!v.writable} /> {text}</label>
        ))}
      </fieldset>
    );
  }
  if (rule?.type === 'survey') {
    return (
      <fieldset class="sa-choice" id={id.value}>
        <legend>{w.value}</legend>
        {rule.options.map((o, i) => (
          <span class="sa-option">
            <label for={id.option(i)}>{w.count(o.code)}</label>
            <input type="number" id={id.option(i)} name={FIELD.option(leaf.code, o.code)} min="0" step="any" inputmode="decimal" value={entry.options[o.code] ?? ''} readonly={!v.writable} {...aria} />
          </span>
        ))}
      </fieldset>
    );
  }
  return (
    <p class="sa-value">
      <label for={id.value}>{rule ? w.value : w.valueOf}</label>{' '}
      <input type="number" id={id.value} name={FIELD.value(leaf.code)} step="any" inputmode="decimal" {...bounds(leaf)} value={entry.value} readonly={!v.writable} {...aria} />
    </p>
  );
}

/** The input's min and max where the rule fixes them (the API checks them all the same). */
function bounds(leaf: FormLeaf): { min?: string; max?: string } {
  const r = leaf.rule;
  if (!r) return {};
  if (r.type === 'points') return { min: '0', max: String(leaf.max) };
  if (r.type === 'bands') { const [low, high] = r.range ?? [0, 100]; return { min: String(low), max: String(high) }; }
  if (r.type === 'proportional') return r.cap ? { min: '0' } : { min: '0', max: String(r.target) };
  if (r.type === 'linear' && !r.cap) return { min: String(Math.min(r.worst, r.best)), max: String(Math.max(r.worst, r.best)) };
  return {};
}

function valueText(lang: Lang, leaf: FormLeaf, value: ScoreRow['value']): string {
  const w = SELF_LABELS[lang];
  if (value === null || value === undefined) return w.noValue;
  if (typeof value === 'object') return Object.entries(value).map(([k, n]) => `${k}: ${plain(lang, n)}`).join(', ');
  if (leaf.rule?.type === 'binary') return value === 1 ? w.done : w.notDone;
  return plain(lang, value);
}

/** Beside a sub-criterion the appraiser scored otherwise: the appraised value and the reason given. */
function AppraisedValue({ v, leaf }: { v: FormView; leaf: FormLeaf }) {
  const appraised = v.appraised.get(leaf.code);
  if (!appraised || (v.storedValues.has(leaf.code) && sameValue(appraised.value, v.storedValues.get(leaf.code)))) return null;
  const w = SELF_LABELS[v.lang];
  return (
    <div class="sa-appraised" data-appraised={leaf.code}>
      <p>{w.appraised}: <strong data-appraised-value>{valueText(v.lang, leaf, appraised.value)}</strong></p>
      {appraised.reason && <p>{w.reason}: <span data-reason>{appraised.reason}</span></p>}
    </div>
  );
}

function Scorecard({ v, card }: { v: FormView; card: DraftScorecard }) {
  const w = SELF_LABELS[v.lang];
  const anyAppraised = v.leaves.some((l) => l.appraised);
  return (
    <section class="sa-scorecard" data-scorecard aria-labelledby="sa-scorecard">
      <h2 id="sa-scorecard">{w.scorecard}</h2>
      <p>{w.scorecardLead}{anyAppraised && <> {w.appraisedOnly}</>}</p>
      <table>
        <thead><tr><th scope="col">{w.domain}</th><th scope="col" class="n">{w.points}</th><th scope="col" class="n">{w.maxCol}</th></tr></thead>
        <tbody>
          {card.domains.map((d) => (
            <tr data-domain-points={d.code}><th scope="row">{label(v.lang, d)}</th><td class="n" data-points={d.points ?? ''}>{num(v.lang, d.points, v.rounding)}</td><td class="n">{num(v.lang, d.max, v.rounding)}</td></tr>
          ))}
          <tr data-total={card.index ?? ''}><th scope="row">{w.total}</th><td class="n">{num(v.lang, card.index, v.rounding)}</td><td class="n">{v.pointsMode ? num(v.lang, 100, v.rounding) : '—'}</td></tr>
        </tbody>
      </table>
    </section>
  );
}
