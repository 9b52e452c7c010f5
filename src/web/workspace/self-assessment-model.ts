// The self-assessment form as data: which sub-criteria it asks for (read from the compiled
// methodology), what the person typed or what is stored, the rows a save writes, and the API's
// errors put back beside their fields. The rules themselves stay in the API and the engine.
import { SELF_SOURCE, takesSelf, type CompiledMethodology, type CompiledNode, type ScoringRule } from '../../engine/index.js';
import { selfEvidenceErrors } from '../../http/permissions.js';
import type { FieldError } from '../../http/problem.js';
import type { ScoreRow } from '../../store/scores.js';
import type { Lang } from '../i18n.js';
import type { PostedForm } from './forms.js';
import { SELF_LABELS } from './self-assessment-labels.js';

export interface NodeRef { code: string; name?: { vi: string; en: string } }

export interface FormLeaf extends NodeRef {
  max: number;
  rule: ScoringRule | null;
  domain: NodeRef;
  /** the criterion above it, when the leaf sits below one */
  criterion?: NodeRef;
  /** scored by appraisal: the self-assessment is the basis of the appraisal, and counts only once appraised */
  appraised: boolean;
}

const ref = (n: CompiledNode): NodeRef => ({ code: n.code, name: n.name });

export function formLeaves(compiled: CompiledMethodology): FormLeaf[] {
  const { nodes, methodology } = compiled;
  const ancestorAt = (n: CompiledNode, depth: number) => { let a = n; while (a.depth > depth) a = nodes[a.parent]; return a; };
  return compiled.leaves.map((i) => nodes[i]).filter(takesSelf).map((n) => ({
    ...ref(n), max: n.max,
    rule: methodology.mode === 'points' || n.rule?.type !== 'points' ? n.rule : null,
    domain: ref(ancestorAt(n, 1)),
    ...(n.depth > 2 && { criterion: ref(ancestorAt(n, 2)) }),
    appraised: !n.sources.includes(SELF_SOURCE) && n.sources.includes('appraisal'),
  }));
}

/** The form's field names (stable: browser tests and people's bookmarks of errors use them). */
export const FIELD = {
  value: (code: string) => `value:${code}`,
  option: (code: string, option: string) => `value:${code}:${option}`,
  evidence: (code: string) => `evidence:${code}`,
  note: (code: string) => `note:${code}`,
};

/** What a sub-criterion's fields hold, as text: typed, or stored. */
export interface Entry { value: string; options: Record<string, string>; evidence: string; note: string }
export type Entries = Map<string, Entry>;

const surveyOptions = (leaf: FormLeaf) => (leaf.rule?.type === 'survey' ? leaf.rule.options.map((o) => o.code) : []);

export function entriesFromStored(rows: ScoreRow[]): Entries {
  return new Map(rows.map((r) => {
    const v = r.value;
    const options = v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, n]) => [k, String(n)])) : {};
    return [r.indicator, { value: typeof v === 'number' ? String(v) : '', options, evidence: r.evidence ?? '', note: r.note ?? '' }];
  }));
}

const text = (form: PostedForm, name: string) => { const v = form[name]; return (Array.isArray(v) ? v[0] ?? '' : v ?? ''); };

export function entriesFromForm(leaves: FormLeaf[], form: PostedForm): Entries {
  return new Map(leaves.map((l) => [l.code, {
    value: text(form, FIELD.value(l.code)).trim(),
    options: Object.fromEntries(surveyOptions(l).map((o) => [o, text(form, FIELD.option(l.code, o)).trim()])),
    evidence: text(form, FIELD.evidence(l.code)).trim(),
    note: text(form, FIELD.note(l.code)).replace(/\r\n?/g, '\n').trim(),
  }]));
}

/** A number as people type it: 0.5 or 0,5 (the Vietnamese decimal comma); undefined when it is none. */
export function parseNumber(s: string): number | undefined {
  const t = /^[+-]?\d+,\d+$/.test(s) ? s.replace(',', '.') : s;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : undefined;
}

const filled = (e: Entry) => e.value !== '' || Object.values(e.options).some((o) => o !== '');

/** The entry's value for the API: a number, survey answers per option, null (empty), or the text that is not a number. */
function entryValue(leaf: FormLeaf, e: Entry): { value: unknown; bad: boolean } {
  if (!filled(e)) return { value: null, bad: false };
  if (leaf.rule?.type === 'survey') {
    const answers = Object.entries(e.options).filter(([, v]) => v !== '').map(([k, v]) => [k, parseNumber(v)] as const);
    return answers.some(([, n]) => n === undefined) ? { value: e.options, bad: true } : { value: Object.fromEntries(answers), bad: false };
  }
  const n = parseNumber(e.value);
  return n === undefined ? { value: e.value, bad: true } : { value: n, bad: false };
}

export interface FormRows { raw: Record<string, unknown>[]; parseErrors: FieldError[] }

/**
 * The rows a save writes, source self: every sub-criterion with something typed, and every one
 * stored before (emptied, it is written as no data). A value that is not a number is an error
 * of the form (row-numbered like the API's), and its row is kept so the evidence check sees it.
 */
export function formRows(leaves: FormLeaf[], entries: Entries, unit: string, stored: Set<string>, lang: Lang): FormRows {
  const raw: Record<string, unknown>[] = [], parseErrors: FieldError[] = [];
  for (const leaf of leaves) {
    const e = entries.get(leaf.code)!;
    if (!filled(e) && e.evidence === '' && e.note === '' && !stored.has(leaf.code)) continue;
    const { value, bad } = entryValue(leaf, e);
    raw.push({ unit, indicator: leaf.code, source: SELF_SOURCE, value, evidence: e.evidence || null, note: e.note || null });
    if (bad) parseErrors.push({ row: raw.length, field: 'value', indicator: leaf.code, message: SELF_LABELS[lang].notNumber });
  }
  return { raw, parseErrors };
}

/** An error to show: the form's own in the reader's language, the API's in English (lang="en" on the page). */
export interface Message { text: string; english: boolean }
export interface LeafErrors { value: Message[]; evidence: Message[]; note: Message[] }
/** Errors beside each sub-criterion's fields, and those that belong to none. */
export interface PlacedErrors { byLeaf: Map<string, LeafErrors>; general: Message[]; count: number }

/** The API's evidence message, taken from the API's own check, so that it is shown in the reader's language. */
const EVIDENCE_MESSAGE = selfEvidenceErrors([{ unit: '', indicator: '', source: SELF_SOURCE, value: 0 }])[0].message;

export function placeErrors(errors: FieldError[], raw: Record<string, unknown>[], lang: Lang, general: Message[] = []): PlacedErrors {
  const w = SELF_LABELS[lang];
  const placed: PlacedErrors = { byLeaf: new Map(), general: [...general], count: general.length + errors.length };
  for (const e of errors) {
    const code = e.row !== undefined ? String(raw[e.row - 1]?.indicator ?? e.indicator ?? '') : e.indicator;
    const message = e.message === EVIDENCE_MESSAGE ? { text: w.needEvidence, english: false }
      : { text: e.message, english: e.message !== w.notNumber };
    if (!code) { placed.general.push(message); continue; }
    const slot = placed.byLeaf.get(code) ?? { value: [], evidence: [], note: [] };
    placed.byLeaf.set(code, slot);
    slot[e.message === EVIDENCE_MESSAGE || e.field === 'evidence' ? 'evidence' : e.field === 'note' ? 'note' : 'value'].push(message);
  }
  return placed;
}

/** Stored values compared as the API compares them (JSON), for "the appraised value differs". */
export const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
