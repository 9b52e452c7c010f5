// What the secretariat's screens share: a refusal as a page (the API's problem, its status), the
// errors of a form at its top (role=alert) and beside each field, and the refused-post answers.
import type { Context } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { ApiProblem, PROBLEM_TYPES, type FieldError } from '../../http/problem.js';
import type { Lang } from '../i18n.js';
import { ADMINISTRATION_LABELS } from './administration-labels.js';
import { workspacePath, type PageStatus } from './forms.js';
import { WORKSPACE_LABELS } from './labels.js';
import { refusalPage } from './refusal.js';

const PAGE_STATUSES = new Set<number>([400, 401, 403, 404, 409, 413, 422, 429]);

/** The page status of a problem: the API's own status for the same refusal. */
export function statusOf(p: ApiProblem): PageStatus {
  const status = PROBLEM_TYPES[p.type].status;
  return (PAGE_STATUSES.has(status) ? status : 400) as PageStatus;
}

/** Runs a step of the API; its refusal (an ApiProblem) is returned, any other error thrown. */
export async function attempt<T>(step: () => Promise<T> | T): Promise<{ ok: T } | { problem: ApiProblem }> {
  try {
    return { ok: await step() };
  } catch (err) {
    if (err instanceof ApiProblem) return { problem: err };
    throw err;
  }
}

/** A refusal on its own page: what the API would have answered the same person, in words. */
export function refusedPage(c: Context<AppEnv>, lang: Lang, problem: ApiProblem, title?: string) {
  const a = ADMINISTRATION_LABELS[lang];
  const status = statusOf(problem);
  const detail = problem.errors && problem.errors.length > 0 ? <ErrorList errors={problem.errors} /> : undefined;
  return refusalPage(c, lang, { status, title: title ?? (status === 404 ? a.notFound : a.refusedTitle), message: problem.detail, kind: problem.type, detail });
}

/** A post refused before anything was read: forged (403 page) or signed out (to sign-in). */
export function refusedPost(c: Context<AppEnv>, lang: Lang, refused: 'forged' | 'signed-out') {
  if (refused === 'signed-out') return c.redirect(workspacePath(lang, '/sign-in'), 303);
  return refusedPage(c, lang, new ApiProblem('forbidden', WORKSPACE_LABELS[lang].forged));
}

const ErrorList = ({ errors }: { errors: FieldError[] }) => (
  <ul>{errors.map((e) => <li>{[e.row !== undefined ? `#${e.row}` : '', e.field ?? '', e.message].filter(Boolean).join(': ')}</li>)}</ul>
);

/** A form's errors by field name, each with the id its field's aria-describedby names. */
export function byField(errors: FieldError[] = []): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const e of errors) {
    const field = e.field ?? '';
    map.set(field, [...(map.get(field) ?? []), e.message]);
  }
  return map;
}

export const errorId = (field: string) => `${field}-error`;

/** The summary at a form's top: the problem's detail, then each field's errors linking to the field. */
export function ErrorSummary({ lang, problem, fields }: { lang: Lang; problem: ApiProblem; fields: readonly string[] }) {
  const a = ADMINISTRATION_LABELS[lang];
  const errors = problem.errors ?? [];
  return (
    <div class="notice" role="alert" id="form-errors" data-problem={problem.type} tabindex={-1}>
      <h2>{a.errorsTitle}</h2>
      <p>{problem.detail}</p>
      {errors.length > 0 && (
        <ul>{errors.map((e) => {
          const field = e.field ?? '';
          return <li>{fields.includes(field) ? <a href={`#${field}`}>{`${field}: ${e.message}`}</a> : `${field ? `${field}: ` : ''}${e.message}`}</li>;
        })}</ul>
      )}
    </div>
  );
}

/** The error messages beside one field (nothing when it has none). */
export function FieldErrors({ field, errors }: { field: string; errors: Map<string, string[]> }) {
  const messages = errors.get(field);
  if (!messages) return null;
  return <p class="field-error" id={errorId(field)} data-field-error={field}>{messages.join('; ')}</p>;
}

/** aria-invalid and aria-describedby for a field with errors. */
export function invalidProps(field: string, errors: Map<string, string[]>, help?: string) {
  const described = [errors.has(field) ? errorId(field) : '', help ?? ''].filter(Boolean).join(' ');
  return { 'aria-invalid': errors.has(field) ? 'true' : undefined, 'aria-describedby': described || undefined };
}
