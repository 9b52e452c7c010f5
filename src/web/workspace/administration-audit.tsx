// The audit log, through the API's own reader (http/audit-reads.ts: readAudit): admins read every
// entry, a unit key its own unit's. Filters are a GET form; newest first, a page at a time.
//   GET /{lang}/workspace/audit?action=&actor=&unit=&year=&unitType=&from=&to=&cursor=
import { Hono, type Context } from 'hono';
import { AuditQuery, readAudit, type AuditPage } from '../../http/audit-reads.js';
import type { AppEnv } from '../../http/env.js';
import { ApiProblem, zodToErrors } from '../../http/problem.js';
import { AUDIT_ACTIONS } from '../../store/audit.js';
import { int, LABELS, LANGS, type Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { attempt, byField, ErrorSummary, FieldErrors, invalidProps, refusedPage, statusOf } from './administration-common.js';
import { at } from './administration-keys.js';
import { ADMINISTRATION_LABELS } from './administration-labels.js';
import { page, signedIn, workspacePath, type WorkspaceOptions } from './forms.js';
import type { Session } from './session.js';

export const auditPath = (lang: Lang) => workspacePath(lang, '/audit');

/** Entries per page. */
export const AUDIT_PAGE = 50;
const FIELDS = ['action', 'actor', 'unit', 'year', 'unitType', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FIELDS)[number] | 'cursor', string>>;

export function auditRoutes(options: WorkspaceOptions) {
  const app = new Hono<AppEnv>();
  for (const l of LANGS) app.get(auditPath(l), (c) => showAudit(c, options, l));
  return app;
}

async function showAudit(c: Context<AppEnv>, options: WorkspaceOptions, lang: Lang) {
  const session = await signedIn(c, options, lang);
  if (session instanceof Response) return session;
  const filters = filtersOf(c);
  const read = await attempt(() => {
    const parsed = AuditQuery.safeParse({ ...filters, limit: String(AUDIT_PAGE) });
    if (!parsed.success) throw new ApiProblem('validation-failed', ADMINISTRATION_LABELS[lang].problemLead, zodToErrors(parsed.error.issues));
    return readAudit(c, parsed.data);
  });
  if ('problem' in read) {
    // A role the API refuses gets the refusal alone; a filter it refuses, the form with the error beside it.
    if (read.problem.type === 'forbidden' || read.problem.type === 'unauthorized') return refusedPage(c, lang, read.problem);
    const problem = read.problem.errors?.length ? read.problem : new ApiProblem(read.problem.type, read.problem.detail, [{ field: 'year', message: read.problem.detail }]);
    return page(c, statusOf(problem), <AuditView lang={lang} session={session} filters={filters} problem={problem} />);
  }
  return page(c, 200, <AuditView lang={lang} session={session} filters={filters} audit={read.ok} />);
}

/** The query's filters, empty fields left out (a GET form sends every field). */
function filtersOf(c: Context<AppEnv>): Filters {
  const out: Filters = {};
  for (const name of [...FIELDS, 'cursor'] as const) {
    const value = c.req.query(name)?.trim();
    if (value) out[name] = value;
  }
  return out;
}

/** The audit page with these filters (the fields given only). */
function filteredHref(lang: Lang, filters: Filters): string {
  const params = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => e[1] !== undefined));
  return params.size ? `${auditPath(lang)}?${params}` : auditPath(lang);
}

function AuditView({ lang, session, filters, audit, problem }: { lang: Lang; session: Session; filters: Filters; audit?: AuditPage; problem?: ApiProblem }) {
  const a = ADMINISTRATION_LABELS[lang];
  const unit = session.actor.role === 'unit' ? session.actor.unit : null;
  return (
    <Page lang={lang} title={a.auditTitle} alternate={otherLanguage(auditPath(lang), lang)}>
      <h1>{a.auditTitle}</h1>
      <p class="sub">{a.auditLead}{unit && <> {a.auditOwnUnit(unit)}</>}</p>
      {problem && <ErrorSummary lang={lang} problem={problem} fields={FIELDS} />}
      <FilterForm lang={lang} filters={filters} problem={problem} ownUnit={unit} />
      {audit && <Entries lang={lang} audit={audit} />}
      {audit?.next && <p><a href={filteredHref(lang, { ...filters, cursor: audit.next })} rel="next" data-next={audit.next}>{a.nextPage}</a></p>}
      {filters.cursor && <p><a href={filteredHref(lang, { ...filters, cursor: undefined })} data-first>{a.firstPage}</a></p>}
    </Page>
  );
}

function FilterForm({ lang, filters, problem, ownUnit }: { lang: Lang; filters: Filters; problem?: ApiProblem; ownUnit: string | null }) {
  const a = ADMINISTRATION_LABELS[lang], t = LABELS[lang];
  const errors = byField(problem?.errors);
  const input = (name: (typeof FIELDS)[number], label: string, props: Record<string, unknown> = {}) => (
    <p class="filter">
      <label for={name}>{label}</label><br />
      <input id={name} name={name} value={filters[name] ?? ''} {...props} {...invalidProps(name, errors)} />
      <FieldErrors field={name} errors={errors} />
    </p>
  );
  return (
    <form method="get" action={auditPath(lang)} class="work audit-filters" data-audit-filters>
      <fieldset>
        <legend>{a.filters}</legend>
        <p class="filter">
          <label for="action">{a.what}</label><br />
          <select id="action" name="action" {...invalidProps('action', errors)}>
            <option value="">{a.any}</option>
            {AUDIT_ACTIONS.map((x) => <option value={x} selected={filters.action === x}>{a.actions[x]}</option>)}
          </select>
          <FieldErrors field="action" errors={errors} />
        </p>
        {input('actor', a.actor, { maxlength: 100, autocomplete: 'off' })}
        {ownUnit ? <p class="filter"><span>{a.unit}</span><br /><strong data-own-unit={ownUnit}>{ownUnit}</strong></p> : input('unit', a.unit, { maxlength: 40 })}
        {input('year', a.year, { type: 'number', min: 1990, max: 2100, inputmode: 'numeric' })}
        <p class="filter">
          <label for="unitType">{a.unitType}</label><br />
          <select id="unitType" name="unitType" {...invalidProps('unitType', errors)}>
            <option value="">{a.any}</option>
            {['province', 'ministry'].map((x) => <option value={x} selected={filters.unitType === x}>{t.unitTypes[x] ?? x}</option>)}
          </select>
          <FieldErrors field="unitType" errors={errors} />
        </p>
        {input('from', a.from, { type: 'date' })}
        {input('to', a.to, { type: 'date' })}
      </fieldset>
      <div class="actions"><button type="submit">{a.filter}</button><a href={auditPath(lang)}>{a.clear}</a></div>
    </form>
  );
}

function Entries({ lang, audit }: { lang: Lang; audit: AuditPage }) {
  const a = ADMINISTRATION_LABELS[lang], t = LABELS[lang];
  if (audit.entries.length === 0) return <p data-no-entries>{a.noEntries}</p>;
  return (
    <div class="scroll" role="region" aria-labelledby="audit-cap" tabindex={0}>
      <table id="audit" class="audit">
        <caption id="audit-cap">{a.auditCaption}</caption>
        <thead><tr><th scope="col">{a.at}</th><th scope="col">{a.actor}</th><th scope="col">{a.what}</th><th scope="col">{a.cycle}</th><th scope="col">{a.unit}</th><th scope="col">{a.message}</th></tr></thead>
        <tbody>
          {audit.entries.map((e) => (
            <tr data-entry={String(e.id)} data-action={e.action} data-actor={e.actorKey} data-actor-role={e.actorRole} data-unit={e.unit ?? ''}>
              <th scope="row"><time datetime={e.at}>{at(lang, e.at)}</time></th>
              <td><code>{e.actorKey}</code> ({e.actorRole})</td>
              <td>{a.actions[e.action] ?? e.action}</td>
              <td>{e.cycle ? `${e.cycle.year} ${t.unitTypes[e.cycle.unitType] ?? e.cycle.unitType}` : '—'}</td>
              <td>{e.unit ?? '—'}</td>
              <td>{summary(lang, e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const clip = (text: string, n = 160) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** What an entry changed, in one cell: score changes counted, other changes as their JSON, the reason. */
function summary(lang: Lang, e: AuditPage['entries'][number]): string {
  const a = ADMINISTRATION_LABELS[lang];
  const what = e.changes ? a.changes(int(lang, e.changes.length)) : e.after !== null ? clip(JSON.stringify(e.after)) : '';
  return [what, e.reason ? `${a.reason}: ${clip(e.reason)}` : ''].filter(Boolean).join(' · ');
}
