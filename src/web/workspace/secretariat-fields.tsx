// A refused write as a form shows it: the API's problem (ApiProblem) turned into a summary at the
// top (role=alert) and each error beside its field (id'd, the input aria-invalid and described by
// it), the person's input kept. Fields are named by the JSON Pointer the API gives them.
import type { Child } from 'hono/jsx';
import { PROBLEM_TYPES, type ApiProblem } from '../../http/problem.js';
import type { PageStatus } from './forms.js';

export interface FormErrors {
  detail: string;
  /** form field name → messages */
  fields: Record<string, string[]>;
}

/** JSON Pointers of the API's bodies → the form fields that carry them. */
const FIELD_OF: Record<string, string> = {
  '/year': 'year', '/unitType': 'unitType', '/methodology': 'methodology', '/methodologyVersion': 'methodology',
  '/reason': 'reason', '/decision': 'decisionNumber', '/decision/number': 'decisionNumber', '/decision/date': 'decisionDate',
};

export function formErrors(p: ApiProblem): FormErrors {
  const fields: Record<string, string[]> = {};
  for (const e of p.errors ?? []) {
    const name = e.pointer ? FIELD_OF[e.pointer] : undefined;
    if (name) (fields[name] ??= []).push(e.message);
  }
  return { detail: p.detail, fields };
}

/** The page status of a refused write: the API's own (422 invalid, 403 forbidden, 409 conflict, 404). */
export const problemStatus = (p: ApiProblem) => PROBLEM_TYPES[p.type].status as PageStatus;

/** The summary at the top of a refused form: what went wrong, each field error linked to its field. */
export function ErrorSummary({ title, errors, labels }: { title: string; errors?: FormErrors; labels: Record<string, string> }) {
  if (!errors) return null;
  const listed = Object.entries(errors.fields);
  return (
    <div class="notice" role="alert" id="form-errors" data-errors>
      <p>{title}</p>
      <p data-problem lang="en">{errors.detail}</p>
      {listed.length > 0 && <ul>{listed.map(([name, messages]) => <li><a href={`#${name}`}>{`${labels[name] ?? name}: `}</a><span lang="en">{messages.join('; ')}</span></li>)}</ul>}
    </div>
  );
}

/** The error beside a field, and the attributes that tie the field to it. */
export function fieldState(errors: FormErrors | undefined, name: string): { attributes: Record<string, string>; message: Child } {
  const messages = errors?.fields[name];
  return {
    attributes: messages ? { 'aria-invalid': 'true', 'aria-describedby': `${name}-error` } : {},
    message: messages ? <p class="field-error" id={`${name}-error`} data-field-error={name} lang="en">{messages.join('; ')}</p> : null,
  };
}

/** A labelled field: its label, its error (if any) and the input, built with the error's attributes. */
export function Field({ name, label, errors, hint, input }: { name: string; label: string; errors?: FormErrors; hint?: string; input: (attributes: Record<string, string>) => Child }) {
  const { attributes, message } = fieldState(errors, name);
  const described = [hint ? `${name}-hint` : '', attributes['aria-describedby'] ?? ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={name}>{label}</label>
      {hint && <span class="hint" id={`${name}-hint`}>{hint}</span>}
      {message}
      {input({ ...attributes, ...(described && { 'aria-describedby': described }) })}
    </div>
  );
}
