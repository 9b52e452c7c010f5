// What text and keys the engine takes. Codes and names are shown to people, written to logs, CSV
// and headers, and used as object keys: they are NFC, bounded, free of control characters and of
// the bidirectional overrides and isolates that make text display other than it reads (U+202A–
// U+202E, U+2066–U+2069, "Trojan Source"), and never a name JavaScript objects treat specially.

/** Longest code or id (methodology id, node code, unit code, source, option code …). */
export const MAX_CODE_LENGTH = 100;
/** Longest name or title (localised names, legal documents, unit type). */
export const MAX_NAME_LENGTH = 500;
/** Longest free text (methodology notes, provenance notes). */
export const MAX_NOTE_LENGTH = 20_000;

/** Names that an object key may not take: `__proto__` is dropped or changes the prototype, the others shadow it. */
export const RESERVED_NAMES = ['__proto__', 'constructor', 'prototype'] as const;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** C0, DEL and C1 controls, the line and paragraph separators, the bidirectional embeddings, overrides and isolates. */
const ONE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The same, a line feed allowed. */
const MULTILINE_FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * Why a text may not be taken, naming the character and its position, or undefined when it may:
 * well-formed Unicode, no control character (a line feed only in multi-line text), no bidirectional
 * control (U+202A–U+202E, U+2066–U+2069), NFC. The same rules as the API's stored texts.
 */
export function textProblem(s: string, multiline = false): string | undefined {
  if (PRINTABLE_ASCII.test(s)) return undefined; // the usual code or name: nothing more to look at
  const surrogate = LONE_SURROGATE.exec(s);
  if (surrogate) return `text must be well-formed Unicode: a lone surrogate U+${hex(surrogate[0])} at position ${surrogate.index + 1}`;
  const bad = (multiline ? MULTILINE_FORBIDDEN : ONE_LINE_FORBIDDEN).exec(s);
  if (bad) {
    const kind = /[\u202a-\u202e\u2066-\u2069]/.test(bad[0]) ? 'a bidirectional control' : 'a control character';
    return `text must not contain ${kind}: U+${hex(bad[0])} at position ${bad.index + 1}${multiline ? ' (a line break is a line feed, U+000A)' : ' (this text is one line)'}`;
  }
  if (s !== s.normalize('NFC')) return 'text must be Unicode NFC (composed), not NFD';
  return undefined;
}

/** Why a code may not be taken (the text rules, and not a reserved name), or undefined. */
export function codeProblem(s: string): string | undefined {
  if ((RESERVED_NAMES as readonly string[]).includes(s)) return `${s} is a reserved name (not ${RESERVED_NAMES.join(', ')})`;
  return textProblem(s);
}

const hex = (ch: string) => ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/**
 * The first own key `__proto__` anywhere in a parsed JSON value, as a path, or null. JSON.parse
 * keeps it as an ordinary key, but validation and object spreads drop it without a word (a survey
 * answer {"__proto__": 5} would count as no answer), so it is refused before anything reads the
 * value. Iterative: the depth of the value is not trusted.
 */
export function findReservedKey(value: unknown): (string | number)[] | null {
  // Entries link to their parent: a path is built for the key found only (copying it per level
  // would be quadratic in the depth of a hostile document).
  type Entry = { value: object; key: string | number; up: Entry | null };
  const stack: Entry[] = [];
  const push = (v: unknown, key: string | number, up: Entry | null) => { if (v !== null && typeof v === 'object') stack.push({ value: v, key, up }); };
  push(value, '', null);
  while (stack.length) {
    const entry = stack.pop()!;
    const v = entry.value;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) push(v[i], i, entry);
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(v, '__proto__')) return [...pathOf(entry), '__proto__'];
    // Pushed last key first, as the elements of an array, so that the first key is searched first.
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) push((v as Record<string, unknown>)[keys[i]], keys[i], entry);
  }
  return null;
}

function pathOf(entry: { key: string | number; up: typeof entry | null }): (string | number)[] {
  const path: (string | number)[] = [];
  for (let e: typeof entry | null = entry; e?.up; e = e.up) path.push(e.key);
  return path.reverse();
}
