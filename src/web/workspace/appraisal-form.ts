// The appraisal form: what a person typed, which action they chose, the rows that makes, and the
// API's errors on those rows placed back beside the fields they concern.
import type { FieldError } from '../../http/problem.js';
import type { Lang } from '../i18n.js';
import type { PostedForm } from './forms.js';
import type { Sheet, SheetLeaf } from './appraisal-data.js';

/** Field names: one value and one reason per sub-criterion, named by its code. */
export const valueField = (code: string) => `value:${code}`;
export const reasonField = (code: string) => `reason:${code}`;

export type Action = { kind: 'save' } | { kind: 'accept'; code: string } | { kind: 'accept-domain'; code: string };

/** The text of every value and reason field, as typed (kept on the page when the write is refused). */
export interface Typed { values: Map<string, string>; reasons: Map<string, string> }

const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] ?? '' : v ?? '');

export function typedInput(form: PostedForm, sheet: Sheet): Typed {
  const values = new Map<string, string>(), reasons = new Map<string, string>();
  for (const { node } of sheet.leaves) {
    values.set(node.code, text(form[valueField(node.code)]));
    reasons.set(node.code, text(form[reasonField(node.code)]));
  }
  return { values, reasons };
}

/** The button pressed: accept one sub-criterion, accept a domain, or (Enter, or the save button) save what was typed. */
export function actionOf(form: PostedForm): Action {
  const accept = text(form.accept), domain = text(form['accept-domain']);
  if (accept) return { kind: 'accept', code: accept };
  if (domain) return { kind: 'accept-domain', code: domain };
  return { kind: 'save' };
}

/** A stored or self-assessed value as the input shows it: a decimal comma on Vietnamese pages; survey answers as JSON. */
export function inputText(lang: Lang, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return lang === 'vi' ? String(value).replace('.', ',') : String(value);
  return JSON.stringify(value);
}

/**
 * A typed value as the API takes it: a number written with a decimal point or comma, survey answers
 * as JSON; anything else is passed on as text for the API's schema to refuse (its rule, not ours).
 */
export function parsedValue(typed: string): unknown {
  const t = typed.trim();
  if (/^[-+]?(\d+([.,]\d*)?|[.,]\d+)(e[-+]?\d+)?$/i.test(t)) return Number(t.replace(',', '.'));
  if (t.startsWith('{')) {
    try { return JSON.parse(t); } catch { return t; }
  }
  return t;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface PlannedRow { unit: string; indicator: string; source: 'appraisal'; value: unknown; reason: string | null }

/** A leaf the action accepts: the one named, or each self-assessed and unappraised leaf of the domain named. */
function accepts(action: Action, leaf: SheetLeaf): boolean {
  if (!leaf.self) return false;
  if (action.kind === 'accept') return action.code === leaf.node.code;
  return action.kind === 'accept-domain' && action.code === leaf.domain.code && !leaf.appraised;
}

/**
 * The rows to write, in page order: each accepted leaf with its self-assessed value, and each typed
 * value that differs from the stored appraised one (an empty field writes nothing). An accepted
 * leaf's field then shows the value accepted, so that a refused write keeps it on the page.
 */
export function plannedRows(sheet: Sheet, typed: Typed, action: Action, lang: Lang): PlannedRow[] {
  const rows: PlannedRow[] = [];
  for (const leaf of sheet.leaves) {
    const code = leaf.node.code;
    const reason = typed.reasons.get(code)?.trim() || null;
    if (accepts(action, leaf)) {
      typed.values.set(code, inputText(lang, leaf.self!.value));
      rows.push({ unit: sheet.unit.code, indicator: code, source: 'appraisal', value: leaf.self!.value, reason });
      continue;
    }
    const given = typed.values.get(code)?.trim() ?? '';
    if (given === '') continue;
    const value = parsedValue(given);
    if (leaf.appraised && sameValue(value, leaf.appraised.value)) continue;
    rows.push({ unit: sheet.unit.code, indicator: code, source: 'appraisal', value, reason });
  }
  return rows;
}

/** An error placed on the page: beside a field (its name), or in the summary alone. */
export interface PlacedError { field?: string; code?: string; kind: 'value' | 'reason' | 'other'; message: string }

/** The API's errors on the planned rows (row n is rows[n-1]), each beside the field it concerns. */
export function placedErrors(rows: PlannedRow[], errors: FieldError[] | undefined): PlacedError[] {
  return (errors ?? []).map((e) => {
    const row = e.row !== undefined ? rows[e.row - 1] : undefined;
    if (!row) return { kind: 'other', message: e.message };
    const kind = e.field === 'reason' ? 'reason' : e.field === 'value' ? 'value' : 'other';
    const field = kind === 'reason' ? reasonField(row.indicator) : valueField(row.indicator);
    return { field, code: row.indicator, kind, message: e.message };
  });
}
