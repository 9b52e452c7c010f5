// The unit's self-assessment (issue 14): a unit key fills its own unit's form; the secretariat
// (admin) any unit's, with ?unit=CODE.
//   GET  /{lang}/workspace/cycles/{year}/{unitType}/self-assessment[?unit=CODE][&saved=1]
//   POST the same URL: "save as draft", every filled sub-criterion (source self) in one write
// Every write is the API's (writeScores: phase, writer, evidence, methodology, all or nothing);
// the form only turns fields into rows and puts the API's errors back beside them.
import { Hono, type Context } from 'hono';
import { EngineError, scoreRows } from '../../engine/index.js';
import type { AppEnv } from '../../http/env.js';
import { authorizePhase, selfEvidenceErrors } from '../../http/permissions.js';
import { ApiProblem, issuesToErrors, PROBLEM_TYPES, type FieldError } from '../../http/problem.js';
import { checkedRows, scoreBatch, writeScores, type ScoreBatch } from '../../http/score-writes.js';
import { GUARD_FAILED } from '../../store/driver.js';
import { listUnits } from '../../store/units.js';
import type { IngestRow } from '../../store/scores.js';
import { LANGS, nameIn, type Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { cycleRoute, page, postedForm, signedIn, workspacePath, type PageStatus, type WorkspaceOptions } from './forms.js';
import { formToken, type Session } from './session.js';
import { WORKSPACE_LABELS } from './labels.js';
import { draftScorecard, unitScores } from './self-assessment-data.js';
import { SELF_LABELS } from './self-assessment-labels.js';
import { entriesFromForm, entriesFromStored, formLeaves, formRows, placeErrors, type Entries, type Message, type PlacedErrors } from './self-assessment-model.js';
import { SelfAssessmentPage } from './self-assessment-view.js';
import { refusalPage } from './refusal.js';

export const selfAssessmentPath = (lang: Lang, year: number | string, unitType: string) =>
  workspacePath(lang, `/cycles/${year}/${unitType}/self-assessment`);

/** A refusal shown as a page: nothing of the unit asked for is read. */
class Refused { constructor(readonly status: PageStatus, readonly message: string) {} }

interface Target { batch: ScoreBatch; unit: { code: string; name: { vi: string; en: string } }; url: string; writable: boolean }

export function selfAssessmentRoutes(options: WorkspaceOptions) {
  const app = new Hono<AppEnv>();
  for (const lang of LANGS) {
    const path = cycleRoute(lang, '/self-assessment');
    app.get(path, async (c) => {
      const session = await signedIn(c, options, lang);
      if (session instanceof Response) return session;
      return refusals(c, lang, async () => {
        const target = await targetOf(c, lang, session);
        if (target instanceof Response) return target;
        return show(c, lang, session, target, { saved: c.req.query('saved') === '1' });
      });
    });
    app.post(path, async (c) => {
      const posted = await postedForm(c, options);
      if ('refused' in posted) {
        return posted.refused === 'forged' ? message(c, lang, 403, WORKSPACE_LABELS[lang].forged) : c.redirect(workspacePath(lang, '/sign-in'), 303);
      }
      return refusals(c, lang, async () => {
        const target = await targetOf(c, lang, posted.session);
        if (target instanceof Response) throw new Refused(400, SELF_LABELS[lang].chooseUnit);
        return save(c, lang, posted.session, target, posted.form);
      });
    });
  }
  return app;
}

/** Refusals and the API's "no such cycle" as pages in the reader's language. */
async function refusals(c: Context<AppEnv>, lang: Lang, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof Refused) return message(c, lang, err.status, err.message);
    if (err instanceof ApiProblem && err.type === 'not-found') return message(c, lang, 404, SELF_LABELS[lang].noCycle);
    throw err;
  }
}

function message(c: Context<AppEnv>, lang: Lang, status: PageStatus, text: string) {
  return refusalPage(c, lang, { status, title: SELF_LABELS[lang].title, message: text });
}

/**
 * The cycle and the unit the request names: a unit key its own unit only (403 for another, before
 * anything of it is read); an admin the unit of ?unit=, or a chooser without one.
 */
async function targetOf(c: Context<AppEnv>, lang: Lang, session: Session): Promise<Target | Response> {
  const w = SELF_LABELS[lang];
  const { actor } = session;
  if (actor.role !== 'unit' && actor.role !== 'admin') throw new Refused(403, w.notForRole);
  const asked = c.req.query('unit');
  if (actor.role === 'unit' && asked !== undefined && asked !== actor.unit) throw new Refused(403, w.otherUnit(actor.unit!));
  const year = c.req.param('year')!, unitType = c.req.param('unitType')!;
  const batch = await scoreBatch(c, Number(year), unitType);
  const units = await listUnits(c.get('driver'), { type: unitType });
  const inCycle = new Set(batch.units.map((u) => u.code));
  const base = selfAssessmentPath(lang, year, unitType);
  const code = actor.role === 'unit' ? actor.unit! : asked;
  if (!code) return chooser(c, lang, base, units.filter((u) => inCycle.has(u.code)));
  const unit = units.find((u) => u.code === code);
  if (!unit || !inCycle.has(code)) throw new Refused(404, w.noUnit(code));
  const url = actor.role === 'admin' ? `${base}?unit=${encodeURIComponent(code)}` : base;
  return { batch, unit: { code, name: { vi: unit.nameVi, en: unit.nameEn } }, url, writable: !phaseProblem(c, batch) };
}

function chooser(c: Context<AppEnv>, lang: Lang, action: string, units: { code: string; nameVi: string; nameEn: string }[]) {
  const w = SELF_LABELS[lang];
  return page(c, 200, (
    <Page lang={lang} title={w.title} alternate={otherLanguage(action, lang)}>
      <h1>{w.title}</h1>
      <form method="get" action={action} class="work" data-unit-chooser>
        <label for="sa-unit">{w.chooseUnit}</label>{' '}
        <select id="sa-unit" name="unit">
          {units.map((u) => <option value={u.code}>{`${u.code} · ${nameIn(lang, { vi: u.nameVi, en: u.nameEn })}`}</option>)}
        </select>{' '}
        <button type="submit">{w.open}</button>
      </form>
    </Page>
  ));
}

interface Shown { saved?: boolean; entries?: Entries; errors?: PlacedErrors; status?: PageStatus }

async function show(c: Context<AppEnv>, lang: Lang, session: Session, target: Target, shown: Shown) {
  const { batch, unit } = target;
  const scores = await unitScores(c, batch.cycle, unit.code);
  const stored = scores.self.filter((r) => r.value !== null);
  return page(c, shown.status ?? 200, (
    <SelfAssessmentPage
      lang={lang} url={target.url} token={await formToken(session)}
      cycle={batch.cycle} unit={unit} leaves={formLeaves(batch.compiled)}
      entries={shown.entries ?? entriesFromStored(scores.self)}
      answered={stored.length} writable={target.writable} saved={shown.saved ?? false}
      rounding={batch.compiled.methodology.rounding} errors={shown.errors}
      storedValues={new Map(scores.self.map((r) => [r.indicator, r.value]))} appraised={scores.appraised}
      scorecard={await draftScorecard(c, batch.cycle, unit.code)} pointsMode={batch.compiled.methodology.mode === 'points'}
    />
  ));
}

/** Save as draft: the form's rows through the API's checks and its one write; on any error, nothing is written. */
async function save(c: Context<AppEnv>, lang: Lang, session: Session, target: Target, form: Record<string, string | string[]>) {
  const { batch, unit } = target;
  const phase = phaseProblem(c, batch);
  if (phase) return show(c, lang, session, target, { status: pageStatus(phase) });
  const leaves = formLeaves(batch.compiled);
  const entries = entriesFromForm(leaves, form);
  const storedCodes = new Set((await unitScores(c, batch.cycle, unit.code)).self.map((r) => r.indicator));
  const { raw, parseErrors } = formRows(leaves, entries, unit.code, storedCodes, lang);
  const refuse = (status: PageStatus, errors: FieldError[], general: Message[] = []) =>
    show(c, lang, session, target, { entries, status, errors: placeErrors(errors, raw, lang, general) });
  try {
    const errors = await formErrors(batch, raw, parseErrors);
    if (errors.length) return await refuse(422, errors);
    if (raw.length) await writeScores(c, batch, raw as unknown as IngestRow[], false);
  } catch (err) {
    if (err instanceof ApiProblem) return refuse(pageStatus(err), err.errors ?? [], [{ text: err.detail, english: true }]);
    // The cycle changed between the read and the write (another write, a change of phase): the store's guard refused it all.
    if (String((err as Error)?.message).includes(GUARD_FAILED)) return refuse(409, [], [{ text: SELF_LABELS[lang].conflict, english: false }]);
    throw err;
  }
  return c.redirect(`${target.url}${target.url.includes('?') ? '&' : '?'}saved=1`, 303);
}

/** The API's refusal of a write in this phase, if any (the page then shows why, read only). */
function phaseProblem(c: Context<AppEnv>, batch: ScoreBatch): ApiProblem | undefined {
  try {
    authorizePhase(c, batch.cycle);
    return undefined;
  } catch (err) {
    if (err instanceof ApiProblem) return err;
    throw err;
  }
}

/**
 * Every error of the form at once, from the API's own checks: the form's unreadable numbers, the
 * schema and the methodology (checkedRows), and the evidence rule (selfEvidenceErrors). Empty when
 * the rows pass the schema and carry their evidence: writeScores then checks everything again.
 */
async function formErrors(batch: ScoreBatch, raw: Record<string, unknown>[], parseErrors: FieldError[]): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  let rows: IngestRow[] | undefined;
  try {
    rows = await checkedRows(batch, raw, parseErrors);
  } catch (err) {
    if (!(err instanceof ApiProblem)) throw err;
    errors.push(...(err.errors ?? []));
  }
  errors.push(...selfEvidenceErrors(raw as never[]));
  if (rows && errors.length) errors.push(...methodologyErrors(batch, rows));
  return errors;
}

/** The methodology's verdict on rows (range, rule), as the API words it. */
function methodologyErrors(batch: ScoreBatch, rows: IngestRow[]): FieldError[] {
  try {
    scoreRows(batch.compiled, rows, batch.units);
    return [];
  } catch (err) {
    if (err instanceof EngineError) return issuesToErrors(err.issues);
    throw err;
  }
}

const PAGE_STATUSES: PageStatus[] = [400, 401, 403, 404, 409, 413, 422, 429];
function pageStatus(p: ApiProblem): PageStatus {
  const status = PROBLEM_TYPES[p.type].status as PageStatus;
  return PAGE_STATUSES.includes(status) ? status : 422;
}
