// The appraisal screens of the workspace (issue 14), for appraisers and the secretariat (admin):
//   GET  /{lang}/workspace/cycles/{year}/{unitType}/appraisal          progress across units
//   GET  /{lang}/workspace/cycles/{year}/{unitType}/appraisal/{unit}   self-assessed beside appraised
//   POST the same: accept one, accept a domain, or save typed values (with reasons), all or nothing
// Who may see them (requireRole), who may write in which phase (authorizePhase) and what a write
// checks (writeScores: reasons for adjustments, the methodology's rules) are the API's own code.
import { Hono, type Context } from 'hono';
import { requireRole } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { authorizePhase } from '../../http/permissions.js';
import { EngineError, scoreRows, type ScoreInput } from '../../engine/index.js';
import { ApiProblem, issuesToErrors, PROBLEM_TYPES, type FieldError } from '../../http/problem.js';
import { checkedRows, scoreBatch, writeScores, type ScoreBatch } from '../../http/score-writes.js';
import { GUARD_FAILED } from '../../store/driver.js';
import { int, LANGS, type Lang } from '../i18n.js';
import { cycleRoute, page, postedForm, signedIn, workspacePath, type PageStatus, type WorkspaceOptions } from './forms.js';
import { WORKSPACE_LABELS } from './labels.js';
import { formToken, type Session } from './session.js';
import { APPRAISAL_LABELS } from './appraisal-labels.js';
import { refusalPage } from './refusal.js';
import { readProgress, readSheet, type Sheet } from './appraisal-data.js';
import { actionOf, placedErrors, plannedRows, typedInput, type PlannedRow } from './appraisal-form.js';
import { appraisalPath, ProgressPage, UnitPage, type SheetView } from './appraisal-views.js';

type Ctx = Context<AppEnv>;

export function appraisalRoutes(options: WorkspaceOptions) {
  const app = new Hono<AppEnv>();
  for (const lang of LANGS) {
    const progress = cycleRoute(lang, '/appraisal');
    app.get(progress, async (c) => {
      const session = await signedIn(c, options, lang);
      if (session instanceof Response) return session;
      return refusedOr(c, lang, async () => {
        const batch = await appraiserBatch(c);
        return page(c, 200, <ProgressPage lang={lang} batch={batch} progress={await readProgress(c.get('driver'), batch)} />);
      });
    });
    app.get(`${progress}/:unit`, async (c) => {
      const session = await signedIn(c, options, lang);
      if (session instanceof Response) return session;
      return refusedOr(c, lang, async () => {
        const sheet = await unitSheet(c);
        if (!sheet) return refusal(c, lang, 404, APPRAISAL_LABELS[lang].noUnit);
        return page(c, 200, <UnitPage {...await baseView(c, lang, sheet, session)} notice={noticeOf(c, lang)} />);
      });
    });
    app.post(`${progress}/:unit`, async (c) => {
      const posted = await postedForm(c, options);
      if ('refused' in posted) {
        return posted.refused === 'forged' ? refusal(c, lang, 403, WORKSPACE_LABELS[lang].forged) : c.redirect(workspacePath(lang, '/sign-in'), 303);
      }
      return refusedOr(c, lang, async () => {
        const sheet = await unitSheet(c);
        if (!sheet) return refusal(c, lang, 404, APPRAISAL_LABELS[lang].noUnit);
        const view = await baseView(c, lang, sheet, posted.session);
        // Out of phase: nothing is read from the form; the sheet comes back read-only with the reason.
        if (view.readOnly) return page(c, statusOfPhase(c, sheet.batch), <UnitPage {...view} />);
        const typed = typedInput(posted.form, sheet);
        const rows = plannedRows(sheet, typed, actionOf(posted.form), lang);
        try {
          const notice = await written(c, sheet.batch, rows);
          return c.redirect(`${appraisalPath(lang, sheet.batch.cycle.year, sheet.batch.cycle.unitType, sheet.unit.code)}?${notice}`, 303);
        } catch (err) {
          if (!(err instanceof ApiProblem) || !err.errors?.length) throw err;
          const errors = placedErrors(rows, withMethodologyVerdict(sheet.batch, rows, err));
          return page(c, PROBLEM_TYPES[err.type].status as PageStatus, <UnitPage {...view} typed={typed} errors={errors} />);
        }
      });
    });
  }
  return app;
}

/** The cycle the path names, for a person whose role may appraise (a unit key: 403; no cycle: 404). */
async function appraiserBatch(c: Ctx): Promise<ScoreBatch> {
  requireRole(c, 'admin', 'appraiser');
  return scoreBatch(c, Number(c.req.param('year')), c.req.param('unitType') ?? '');
}

async function unitSheet(c: Ctx): Promise<Sheet | undefined> {
  const batch = await appraiserBatch(c);
  return readSheet(c.get('driver'), batch, c.req.param('unit') ?? '');
}

/** The sheet's page for this person: read-only, with the reason, when the API would refuse their write now. */
async function baseView(c: Ctx, lang: Lang, sheet: Sheet, session: Session): Promise<SheetView> {
  const { cycle } = sheet.batch;
  const phase = WORKSPACE_LABELS[lang].phases[cycle.status] ?? cycle.status;
  const refused = phaseRefusal(c, sheet.batch);
  return { lang, sheet, token: await formToken(session), readOnly: refused && APPRAISAL_LABELS[lang].phaseReason(phase, c.get('actor').role) };
}

function phaseRefusal(c: Ctx, batch: ScoreBatch): ApiProblem | undefined {
  try {
    authorizePhase(c, batch.cycle);
    return undefined;
  } catch (err) {
    if (err instanceof ApiProblem) return err;
    throw err;
  }
}

const statusOfPhase = (c: Ctx, batch: ScoreBatch) => PROBLEM_TYPES[phaseRefusal(c, batch)!.type].status as PageStatus;

/** Writes the rows through the API's path (schema, phase, writer, reasons, the methodology's rules; atomic and audited); the notice's query. */
async function written(c: Ctx, batch: ScoreBatch, rows: PlannedRow[]): Promise<string> {
  if (rows.length === 0) return 'written=0';
  const outcome = await writeScores(c, batch, await checkedRows(batch, rows, []), false);
  return `written=${outcome.inserted + outcome.updated}&inserted=${outcome.inserted}&updated=${outcome.updated}`;
}

/**
 * Every error at once: writeScores stops at its first failing check (a missing reason is found
 * before the methodology reads the values), so a refusal for missing reasons is completed with the
 * methodology's own verdict on the same rows (engine scoreRows), each error listed once.
 */
function withMethodologyVerdict(batch: ScoreBatch, rows: PlannedRow[], problem: ApiProblem): FieldError[] {
  const errors = problem.errors ?? [];
  if (problem.type !== 'validation-failed') return errors;
  try {
    scoreRows(batch.compiled, rows as ScoreInput[], batch.units);
    return errors;
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    const key = (e: FieldError) => `${e.row}:${e.field}`;
    const listed = new Set(errors.map(key));
    return [...errors, ...issuesToErrors(err.issues).filter((e) => !listed.has(key(e)))];
  }
}

/** The notice after a write (the redirect's query), in words. */
function noticeOf(c: Ctx, lang: Lang): string | undefined {
  const q = (name: string) => Number(c.req.query(name) ?? NaN);
  const n = q('written');
  if (!Number.isInteger(n) || n < 0) return undefined;
  const a = APPRAISAL_LABELS[lang];
  return n === 0 ? a.nothingWritten : a.written(int(lang, n), int(lang, q('inserted') || 0), int(lang, q('updated') || 0));
}

/** Runs a screen, answering the API's refusals (forbidden role, no cycle, a cycle changed meanwhile) with a page. */
async function refusedOr(c: Ctx, lang: Lang, screen: () => Promise<Response>): Promise<Response> {
  const a = APPRAISAL_LABELS[lang];
  try {
    return await screen();
  } catch (err) {
    if (err instanceof ApiProblem && err.type === 'forbidden') return refusal(c, lang, 403, a.forbidden);
    if (err instanceof ApiProblem && err.type === 'not-found') return refusal(c, lang, 404, a.noCycle);
    if (err instanceof ApiProblem && err.type === 'conflict') return refusal(c, lang, 409, a.conflict);
    if (String((err as Error)?.message ?? '').includes(GUARD_FAILED)) return refusal(c, lang, 409, a.conflict);
    throw err;
  }
}

function refusal(c: Ctx, lang: Lang, status: PageStatus, message: string) {
  return refusalPage(c, lang, { status, title: WORKSPACE_LABELS[lang].workspace, message });
}
