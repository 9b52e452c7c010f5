// Access keys (admins), through the API's own path (http/key-writes.ts: issueKey, withdrawKey):
//   GET  /{lang}/workspace/keys          every key, without secrets; ?revoked={id}: a notice
//   POST /{lang}/workspace/keys          role, unit, label: issues a key, shown once on the answer page
//   POST /{lang}/workspace/keys/revoke   id: revokes it (its sessions end), then back to the list
import { Hono, type Context } from 'hono';
import { requireRole } from '../../http/auth.js';
import type { AppEnv } from '../../http/env.js';
import { issueKey, KeyIn, presentKey, withdrawKey } from '../../http/key-writes.js';
import { ApiProblem, zodToErrors } from '../../http/problem.js';
import { ROLES } from '../../http/schemas.js';
import { listKeys } from '../../store/keys.js';
import { LANGS, type Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { attempt, byField, ErrorSummary, FieldErrors, invalidProps, refusedPage, refusedPost, statusOf } from './administration-common.js';
import { ADMINISTRATION_LABELS } from './administration-labels.js';
import { page, postedForm, signedIn, workspacePath, type PostedForm, type WorkspaceOptions } from './forms.js';
import { WORKSPACE_LABELS } from './labels.js';
import { formToken } from './session.js';

export const keysPath = (lang: Lang, rest = '') => workspacePath(lang, `/keys${rest}`);

type KeyView = ReturnType<typeof presentKey>;
interface KeyForm { role: string; unit: string; label: string }
const EMPTY: KeyForm = { role: 'unit', unit: '', label: '' };

export function keyRoutes(options: WorkspaceOptions) {
  const app = new Hono<AppEnv>();
  for (const l of LANGS) {
    app.get(keysPath(l), async (c) => {
      const session = await signedIn(c, options, l);
      if (session instanceof Response) return session;
      const keys = await attempt(() => adminKeys(c));
      if ('problem' in keys) return refusedPage(c, l, keys.problem);
      const revoked = c.req.query('revoked');
      return page(c, 200, <KeysPage lang={l} token={await formToken(session)} keys={keys.ok} input={EMPTY} revoked={revoked} />);
    });
    app.post(keysPath(l), (c) => create(c, options, l));
    app.post(keysPath(l, '/revoke'), (c) => revoke(c, options, l));
  }
  return app;
}

/** Every key, for an admin (the API's GET /v1/api-keys check). */
async function adminKeys(c: Context<AppEnv>): Promise<KeyView[]> {
  requireRole(c, 'admin');
  return (await listKeys(c.get('driver'))).map(presentKey);
}

async function create(c: Context<AppEnv>, options: WorkspaceOptions, lang: Lang) {
  const posted = await postedForm(c, options);
  if ('refused' in posted) return refusedPost(c, lang, posted.refused);
  const keys = await attempt(() => adminKeys(c));
  if ('problem' in keys) return refusedPage(c, lang, keys.problem);
  const input = keyForm(posted.form);
  const issued = await attempt(() => {
    const parsed = KeyIn.safeParse(keyBody(input));
    if (!parsed.success) throw new ApiProblem('validation-failed', ADMINISTRATION_LABELS[lang].problemLead, zodToErrors(parsed.error.issues));
    return issueKey(c, parsed.data);
  });
  if ('problem' in issued) {
    return page(c, statusOf(issued.problem), <KeysPage lang={lang} token={posted.token} keys={keys.ok} input={input} problem={issued.problem} />);
  }
  return page(c, 200, <NewKeyPage lang={lang} issued={issued.ok} />);
}

async function revoke(c: Context<AppEnv>, options: WorkspaceOptions, lang: Lang) {
  const posted = await postedForm(c, options);
  if ('refused' in posted) return refusedPost(c, lang, posted.refused);
  const id = String(posted.form.id ?? '');
  const done = await attempt(() => withdrawKey(c, id));
  if ('problem' in done) return refusedPage(c, lang, done.problem);
  return c.redirect(`${keysPath(lang)}?revoked=${encodeURIComponent(done.ok.id)}`, 303);
}

const text = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');
const keyForm = (form: PostedForm): KeyForm => ({ role: text(form.role), unit: text(form.unit).trim(), label: text(form.label).trim().normalize('NFC') });

/** The form as the API's body: an empty field is a field not given. */
function keyBody(input: KeyForm) {
  return { role: input.role, ...(input.unit && { unit: input.unit }), ...(input.label && { label: input.label }) };
}

function KeysPage({ lang, token, keys, input, problem, revoked }: { lang: Lang; token: string; keys: KeyView[]; input: KeyForm; problem?: ApiProblem; revoked?: string }) {
  const a = ADMINISTRATION_LABELS[lang];
  return (
    <Page lang={lang} title={a.keysTitle} alternate={otherLanguage(keysPath(lang), lang)}>
      <h1>{a.keysTitle}</h1>
      {revoked && <p class="saved" role="status" data-revoked-notice={revoked}>{a.revokedNotice(revoked)}</p>}
      {keys.length === 0 ? <p>{a.noKeys}</p> : <KeyTable lang={lang} token={token} keys={keys} />}
      <CreateForm lang={lang} token={token} input={input} problem={problem} />
    </Page>
  );
}

function KeyTable({ lang, token, keys }: { lang: Lang; token: string; keys: KeyView[] }) {
  const a = ADMINISTRATION_LABELS[lang], w = WORKSPACE_LABELS[lang];
  return (
    <div class="scroll" role="region" aria-labelledby="keys-cap" tabindex={0}>
      <table id="keys" class="keys">
        <caption id="keys-cap">{a.keysCaption}</caption>
        <thead><tr><th scope="col">{a.id}</th><th scope="col">{a.role}</th><th scope="col">{a.unit}</th><th scope="col">{a.label}</th><th scope="col">{a.created}</th><th scope="col">{a.revoked}</th><th scope="col">{a.action}</th></tr></thead>
        <tbody>
          {[...keys].reverse().map((k) => (
            <tr data-key={k.id} data-key-role={k.role} data-revoked={String(k.revokedAt !== null)}>
              <th scope="row"><code>{k.id}</code></th>
              <td>{w.roles[k.role] ?? k.role}</td><td>{k.unit ?? '—'}</td><td>{k.label ?? '—'}</td>
              <td><time datetime={k.createdAt}>{at(lang, k.createdAt)}</time></td>
              <td>{k.revokedAt ? <time datetime={k.revokedAt}>{at(lang, k.revokedAt)}</time> : a.active}</td>
              <td>{k.revokedAt === null && (
                <form method="post" action={keysPath(lang, '/revoke')} class="inline">
                  <input type="hidden" name="token" value={token} />
                  <input type="hidden" name="id" value={k.id} />
                  <button type="submit" class="secondary" aria-label={a.revokeKey(k.id)} data-revoke={k.id}>{a.revoke}</button>
                </form>
              )}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const FIELDS = ['role', 'unit', 'label'] as const;

function CreateForm({ lang, token, input, problem }: { lang: Lang; token: string; input: KeyForm; problem?: ApiProblem }) {
  const a = ADMINISTRATION_LABELS[lang], w = WORKSPACE_LABELS[lang];
  const errors = byField(problem?.errors);
  return (
    <section aria-labelledby="create-title">
      <h2 id="create-title">{a.createTitle}</h2>
      {problem && <ErrorSummary lang={lang} problem={problem} fields={FIELDS} />}
      <form method="post" action={keysPath(lang)} class="work" data-create-key>
        <input type="hidden" name="token" value={token} />
        <p><label for="role">{a.role}</label><br />
          <select id="role" name="role" {...invalidProps('role', errors)}>
            {ROLES.map((r) => <option value={r} selected={input.role === r}>{w.roles[r] ?? r}</option>)}
          </select></p>
        <FieldErrors field="role" errors={errors} />
        <p><label for="unit">{a.unit}</label><br />
          <input id="unit" name="unit" value={input.unit} maxlength={40} autocomplete="off" {...invalidProps('unit', errors, 'unit-help')} /></p>
        <p class="hint" id="unit-help">{a.unitHelp}</p>
        <FieldErrors field="unit" errors={errors} />
        <p><label for="label">{a.label}</label><br />
          <input id="label" name="label" value={input.label} maxlength={200} size={50} {...invalidProps('label', errors, 'label-help')} /></p>
        <p class="hint" id="label-help">{a.labelHelp}</p>
        <FieldErrors field="label" errors={errors} />
        <div class="actions"><button type="submit">{a.create}</button></div>
      </form>
    </section>
  );
}

function NewKeyPage({ lang, issued }: { lang: Lang; issued: KeyView & { key: string } }) {
  const a = ADMINISTRATION_LABELS[lang], w = WORKSPACE_LABELS[lang];
  return (
    <Page lang={lang} title={a.newKeyTitle} alternate={otherLanguage(keysPath(lang), lang)}>
      <h1>{a.newKeyTitle}</h1>
      <p class="notice" role="alert" data-once>{a.newKeyWarning}</p>
      <dl class="new-key">
        <dt>{a.newKey}</dt><dd><code data-new-key={issued.id}>{issued.key}</code></dd>
        <dt>{a.role}</dt><dd>{w.roles[issued.role] ?? issued.role}</dd>
        <dt>{a.unit}</dt><dd>{issued.unit ?? '—'}</dd>
        <dt>{a.label}</dt><dd>{issued.label ?? '—'}</dd>
      </dl>
      <p><a href={keysPath(lang)}>{a.keysTitle}</a> · <a href={workspacePath(lang)}>{a.back}</a></p>
    </Page>
  );
}

/** An instant in the reader's language, in Vietnam's time zone. */
export function at(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso));
}
