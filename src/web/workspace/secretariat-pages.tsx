// The secretariat's pages: opening a cycle, and a cycle's phase with the moves the person's role
// may make from it (the API's TRANSITIONS), each a form with its errors beside its fields.
import type { Role } from '../../http/env.js';
import { UnitType } from '../../http/schemas.js';
import type { CycleRow } from '../../store/cycles.js';
import type { MethodologyRow } from '../../store/methodologies.js';
import { TRANSITIONS, type Status } from '../../store/workflow.js';
import { LABELS, type Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { workspacePath } from './forms.js';
import { WORKSPACE_LABELS } from './labels.js';
import { ErrorSummary, Field, type FormErrors } from './secretariat-fields.js';
import { SECRETARIAT_LABELS } from './secretariat-labels.js';

// Not under /cycles/: a static name beside /cycles/:year would send every request through the slower router (see cycleRoute).
export const newCyclePath = (lang: Lang) => workspacePath(lang, '/new-cycle');
export const cyclePath = (lang: Lang, year: number, unitType: string, rest = '') => workspacePath(lang, `/cycles/${year}/${unitType}${rest}`);

export type Posted = Record<string, string>;

/**
 * The form that opens a cycle. Its defaults go together: the first unit type and, preselected,
 * the methodology (id@version) of that unit type's latest cycle; methodologies grouped by unit type.
 */
export function NewCyclePage({ lang, token, methodologies, current, input = {}, errors }: { lang: Lang; token: string; methodologies: MethodologyRow[]; current?: string; input?: Posted; errors?: FormErrors }) {
  const s = SECRETARIAT_LABELS[lang], t = LABELS[lang];
  const labels = { year: s.year, unitType: s.unitType, methodology: s.methodology };
  return (
    <Page lang={lang} title={s.newCycle} alternate={otherLanguage(newCyclePath(lang), lang)}>
      <h1>{s.newCycle}</h1>
      <p class="sub">{s.newCycleLead} <a href={workspacePath(lang, '/methodologies')} data-link="methodologies">{WORKSPACE_LABELS[lang].methodologies}</a></p>
      <ErrorSummary title={s.errorsTitle} errors={errors} labels={labels} />
      <form method="post" action={newCyclePath(lang)} class="work" data-form="new-cycle">
        <input type="hidden" name="token" value={token} />
        <Field name="year" label={s.year} errors={errors} input={(a) => <input id="year" name="year" type="number" inputmode="numeric" min={1990} max={2100} required value={input.year ?? String(new Date().getUTCFullYear())} {...a} />} />
        <Field name="unitType" label={s.unitType} errors={errors} input={(a) => (
          <select id="unitType" name="unitType" {...a}>
            {UnitType.options.map((type) => <option value={type} selected={input.unitType === type}>{t.unitTypes[type] ?? type}</option>)}
          </select>
        )} />
        <Field name="methodology" label={s.methodology} errors={errors} input={(a) => (
          <select id="methodology" name="methodology" required {...a}>
            {[...new Set([...UnitType.options, ...methodologies.map((m) => m.unitType)])].map((type) => {
              const group = methodologies.filter((m) => m.unitType === type);
              return group.length > 0 && (
                <optgroup label={t.unitTypes[type] ?? type}>
                  {group.map((m) => {
                    const value = `${m.id}@${m.version}`;
                    const name = lang === 'en' ? m.nameEn ?? m.nameVi : m.nameVi ?? m.nameEn;
                    return <option value={value} selected={(input.methodology ?? current) === value} data-unit-type={m.unitType}>{`${name ?? m.id} (${m.id}, ${s.version} ${m.version}; ${t.unitTypes[m.unitType] ?? m.unitType})`}</option>;
                  })}
                </optgroup>
              );
            })}
          </select>
        )} />
        <p class="actions"><button type="submit">{s.open}</button></p>
      </form>
    </Page>
  );
}

export interface CyclePageProps {
  lang: Lang; token: string; cycle: CycleRow; role: Role;
  notice?: string;
  /** the move that was posted and refused: its status, input and errors */
  posted?: { status: string; input: Posted; errors: FormErrors };
}

/** The moves a role may make from the cycle's phase, as the API's TRANSITIONS allow them. */
export function movesFor(cycle: CycleRow, role: Role): Exclude<Status, 'open'>[] {
  return (Object.keys(TRANSITIONS) as Exclude<Status, 'open'>[])
    .filter((to) => TRANSITIONS[to].from.includes(cycle.status as Status) && TRANSITIONS[to].roles.includes(role));
}

export function CyclePage(props: CyclePageProps) {
  const { lang, cycle, role, notice, posted } = props;
  const s = SECRETARIAT_LABELS[lang], t = LABELS[lang], w = WORKSPACE_LABELS[lang];
  const type = t.unitTypes[cycle.unitType] ?? cycle.unitType;
  const title = s.cycleTitle(cycle.year, type);
  // A refused move keeps its form even when the phase no longer offers it (a 409): the person sees what they sent and why.
  const moves = movesFor(cycle, role);
  if (posted && !moves.includes(posted.status as never) && posted.status in TRANSITIONS) moves.push(posted.status as never);
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(cyclePath(lang, cycle.year, cycle.unitType), lang)}>
      <h1>{title}</h1>
      {notice && <p class="saved" role="status" data-notice>{notice}</p>}
      <dl class="facts" data-cycle={`${cycle.year}/${cycle.unitType}`}>
        <dt>{s.phaseNow}</dt><dd data-phase={cycle.status}>{w.phases[cycle.status] ?? cycle.status}</dd>
        <dt>{s.revision}</dt><dd data-revision={String(cycle.revision)}>{cycle.revision > 0 ? String(cycle.revision) : s.none}</dd>
        <dt>{s.methodology}</dt><dd><a href={workspacePath(lang, `/methodologies/${encodeURIComponent(cycle.methodologyId)}/${cycle.methodologyVersion}`)} data-link="methodology"><code>{`${cycle.methodologyId} v${cycle.methodologyVersion}`}</code></a></dd>
      </dl>
      {(cycle.status === 'review' || cycle.status === 'correction') && <p><a href={cyclePath(lang, cycle.year, cycle.unitType, '/review')} data-link="review">{s.review}</a></p>}
      <CycleWork lang={lang} cycle={cycle} role={role} />
      <h2>{s.moves}</h2>
      {moves.length === 0 ? <p data-no-move>{s.noMove}</p> : moves.map((to) => <MoveForm {...props} to={to} errors={posted?.status === to ? posted.errors : undefined} input={posted?.status === to ? posted.input : {}} />)}
    </Page>
  );
}

function MoveForm({ lang, token, cycle, to, input, errors }: CyclePageProps & { to: Exclude<Status, 'open'>; input: Posted; errors?: FormErrors }) {
  const s = SECRETARIAT_LABELS[lang];
  const labels = { decisionNumber: s.decisionNumber, decisionDate: s.decisionDate, reason: s.reason };
  return (
    <form method="post" action={cyclePath(lang, cycle.year, cycle.unitType, '/status')} class="work move" data-move={to}>
      <ErrorSummary title={s.errorsTitle} errors={errors} labels={labels} />
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="status" value={to} />
      {to === 'published' && <>
        <Field name="decisionNumber" label={s.decisionNumber} hint={s.decisionNumberHint} errors={errors} input={(a) => <input id="decisionNumber" name="decisionNumber" type="text" maxlength={100} required autocomplete="off" value={input.decisionNumber ?? ''} {...a} />} />
        <Field name="decisionDate" label={s.decisionDate} errors={errors} input={(a) => <input id="decisionDate" name="decisionDate" type="date" required value={input.decisionDate ?? ''} {...a} />} />
      </>}
      {/* A correction's publication says why it was published (the revision's reason, shown with it). */}
      {(to === 'correction' || (to === 'published' && cycle.status === 'correction')) && <Field name="reason" label={s.reason} errors={errors} input={(a) => <textarea id="reason" name="reason" required={to === 'correction'} maxlength={2000} {...a}>{input.reason ?? ''}</textarea>} />}
      <p class="actions"><button type="submit">{s.moveTo[to]}</button></p>
    </form>
  );
}

/** The cycle's other screens: the units' forms and the upload for the secretariat, the appraisal for both. */
function CycleWork({ lang, cycle, role }: { lang: Lang; cycle: CycleRow; role: Role }) {
  const s = SECRETARIAT_LABELS[lang];
  const links = [...(role === 'admin' ? [['/self-assessment', 'selfAssessment']] : []), ['/appraisal', 'appraisal'], ...(role === 'admin' ? [['/scores/upload', 'upload']] : [])];
  return (
    <nav aria-label={s.work} class="tasks">
      <ul>{links.map(([rest, key]) => <li><a href={cyclePath(lang, cycle.year, cycle.unitType, rest)} data-link={key}>{s.workLinks[key]}</a></li>)}</ul>
    </nav>
  );
}
