// The workspace (issue 14), behind sign-in: a person enters their access key once and works with a
// session cookie (session.ts). What they may do is decided by the API's own code (authorizePhase):
// the workspace sets the session's actor and asks it, so a page can never allow what the API refuses.
//   GET  /{lang}/workspace            the person's role and every cycle with what they may do in its phase
//   GET  /{lang}/workspace/sign-in    the sign-in form;  POST: checks the key, starts the session
//   POST /{lang}/workspace/sign-out   ends the session
// Every form is refused when posted from another site (Origin / Sec-Fetch-Site), and a signed-in
// form must carry its session's anti-forgery token.
import { Hono, type Context } from 'hono';
import type { Actor, AppEnv } from '../../http/env.js';
import { authorizePhase } from '../../http/permissions.js';
import { ApiProblem } from '../../http/problem.js';
import { listCycles, type CycleRow } from '../../store/cycles.js';
import { getUnit } from '../../store/units.js';
import { LABELS, LANGS, type Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { WORKSPACE_LABELS } from './labels.js';
import { fromThisSite, page, postedForm, signedIn, workspacePath, type WorkspaceOptions } from './forms.js';
import { actorOfKey, endSession, formToken, startSession, type Session } from './session.js';

import { administrationRoutes } from './administration.js';
import { appraisalRoutes } from './appraisal.js';
import { secretariatRoutes } from './secretariat.js';
import { selfAssessmentRoutes } from './self-assessment.js';

export { isWorkspacePath, workspacePath } from './forms.js';

export function workspaceRoutes(options: WorkspaceOptions) {
  const app = new Hono<AppEnv>();
  for (const l of LANGS) {
    app.get(workspacePath(l), async (c) => {
      const session = await signedIn(c, options, l);
      if (session instanceof Response) return session;
      return page(c, 200, <Home lang={l} session={session} token={await formToken(session)} cycles={await visibleCycles(c, session.actor)} />);
    });
    app.get(workspacePath(l, '/sign-in'), (c) => page(c, 200, <SignIn lang={l} />));
    app.post(workspacePath(l, '/sign-in'), async (c) => {
      if (!fromThisSite(c)) return page(c, 403, <SignIn lang={l} message={WORKSPACE_LABELS[l].forged} />);
      const form = await c.req.parseBody();
      const key = typeof form.key === 'string' ? form.key.trim() : '';
      try {
        await options.guard.beforeKey(c);
        const holder = key ? await actorOfKey(c, key, options.adminToken(c)) : null;
        if (!holder) {
          await options.guard.failed(c);
          return page(c, 401, <SignIn lang={l} message={WORKSPACE_LABELS[l].refused} />);
        }
        await startSession(c, holder.actor.keyId, holder.secretHash);
        return c.redirect(workspacePath(l), 303);
      } catch (err) {
        if (err instanceof ApiProblem && err.type === 'rate-limited') return page(c, 429, <SignIn lang={l} message={WORKSPACE_LABELS[l].tooMany} />);
        throw err;
      }
    });
    app.post(workspacePath(l, '/sign-out'), async (c) => {
      const posted = await postedForm(c, options);
      if ('refused' in posted && posted.refused === 'forged') return page(c, 403, <SignIn lang={l} message={WORKSPACE_LABELS[l].forged} />);
      endSession(c);
      return c.redirect(workspacePath(l, '/sign-in'), 303);
    });
  }
  // Each screen's routes, under /{lang}/workspace/…
  app.route('/', selfAssessmentRoutes(options));
  app.route('/', appraisalRoutes(options));
  app.route('/', secretariatRoutes(options));
  app.route('/', administrationRoutes(options));
  return app;
}

interface CycleTask { cycle: CycleRow; allowed: boolean }

/** The cycles of the person's unit type (every cycle for the secretariat and appraisers), each with whether the API lets them write now. */
async function visibleCycles(c: Context<AppEnv>, actor: Actor): Promise<CycleTask[]> {
  const unit = actor.unit ? await getUnit(c.get('driver'), actor.unit) : undefined;
  const cycles = [...await listCycles(c.get('driver'), unit?.type)].sort((a, b) => b.year - a.year || a.unitType.localeCompare(b.unitType));
  return cycles.map((cycle) => {
    try {
      authorizePhase(c, cycle);
      return { cycle, allowed: true };
    } catch (err) {
      if (err instanceof ApiProblem) return { cycle, allowed: false };
      throw err;
    }
  });
}

function SignIn({ lang, message }: { lang: Lang; message?: string }) {
  const w = WORKSPACE_LABELS[lang];
  return (
    <Page lang={lang} title={w.signInTitle} alternate={otherLanguage(workspacePath(lang, '/sign-in'), lang)}>
      <h1>{w.signInTitle}</h1>
      <p class="sub">{w.signInLead}</p>
      {message && <p class="notice" role="alert" data-message>{message}</p>}
      <form method="post" action={workspacePath(lang, '/sign-in')} class="sign-in">
        <label for="key">{w.key}</label>
        <input id="key" name="key" type="password" autocomplete="off" spellcheck={false} required maxlength={200} />
        <button type="submit">{w.signIn}</button>
      </form>
    </Page>
  );
}

function Home({ lang, session, token, cycles }: { lang: Lang; session: Session; token: string; cycles: CycleTask[] }) {
  const t = LABELS[lang], w = WORKSPACE_LABELS[lang];
  const { actor } = session;
  return (
    <Page lang={lang} title={w.workspace} alternate={otherLanguage(workspacePath(lang), lang)}>
      <h1>{w.workspace}</h1>
      <p data-role={actor.role}>{`${w.signedInAs}: ${w.roles[actor.role]}`}{actor.unit && <> · <span data-unit={actor.unit}>{actor.unit}</span></>}</p>
      <form method="post" action={workspacePath(lang, '/sign-out')}>
        <input type="hidden" name="token" value={token} />
        <button type="submit">{w.signOut}</button>
      </form>
      <Tasks lang={lang} role={actor.role} />
      <h2>{w.cycles}</h2>
      {cycles.length === 0 ? <p>{w.noCycles}</p> : (
        <div class="scroll" role="region" aria-labelledby="cycles-cap" tabindex={0}>
          <table id="cycles">
            <caption id="cycles-cap">{w.cyclesCaption}</caption>
            <thead><tr><th scope="col">{w.year}</th><th scope="col">{w.unitType}</th><th scope="col">{w.phase}</th><th scope="col">{w.yourPart}</th><th scope="col">{w.open}</th></tr></thead>
            <tbody>
              {cycles.map(({ cycle, allowed }) => (
                <tr data-cycle={`${cycle.year}/${cycle.unitType}`} data-allowed={String(allowed)}>
                  <th scope="row">{String(cycle.year)}</th>
                  <td>{t.unitTypes[cycle.unitType] ?? cycle.unitType}</td>
                  <td data-phase={cycle.status}>{w.phases[cycle.status] ?? cycle.status}</td>
                  <td>{allowed ? w.mayWrite[actor.role] : w.notNow}</td>
                  <td><a href={cyclePath(lang, actor.role, cycle)} data-screen>{`${w.screen[actor.role]} ${cycle.year}`}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

/** Where a person works on a cycle: the secretariat's cycle page, the appraisal, or the unit's own form. */
function cyclePath(lang: Lang, role: string, cycle: CycleRow): string {
  const base = `/cycles/${cycle.year}/${cycle.unitType}`;
  return workspacePath(lang, role === 'admin' ? base : role === 'appraiser' ? `${base}/appraisal` : `${base}/self-assessment`);
}

/** The secretariat's screens that are not about one cycle; a unit reads its own audit. */
function Tasks({ lang, role }: { lang: Lang; role: string }) {
  const w = WORKSPACE_LABELS[lang];
  const links = role === 'admin' ? [['/new-cycle', w.newCycle], ['/methodologies', w.methodologies], ['/keys', w.keys], ['/audit', w.audit]]
    : role === 'unit' ? [['/audit', w.audit]] : [];
  if (links.length === 0) return null;
  return (
    <nav aria-label={w.tasks} class="tasks">
      <ul>{links.map(([rest, label]) => <li><a href={workspacePath(lang, rest)}>{label}</a></li>)}</ul>
    </nav>
  );
}
