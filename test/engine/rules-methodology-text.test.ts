// What text the engine takes (src/engine/hygiene.ts): each refusal names the character, as U+XXXX
// (four hex digits at least, upper case), and its position counted from 1; a key __proto__ anywhere in
// a value is found, with its path, without trusting the value's shape.
import { describe, expect, it } from 'vitest';
import { Code, codeProblem, findReservedKey, Note, RESERVED_NAMES, Text, textProblem } from '../../src/engine/index.js';

describe('a text is refused naming the first bad character and its position (from 1)', () => {
  it('a control character in one-line text, with the one-line hint', () => {
    expect(textProblem('ab\u0007c')).toBe('text must not contain a control character: U+0007 at position 3 (this text is one line)');
  });

  it('a line feed is a control character in one-line text, and allowed in multi-line text', () => {
    expect(textProblem('dòng 1\ndòng 2')).toBe('text must not contain a control character: U+000A at position 7 (this text is one line)');
    expect(textProblem('dòng 1\ndòng 2', true)).toBeUndefined();
  });

  it('in multi-line text, another line break (carriage return) is refused with the line-feed hint', () => {
    expect(textProblem('line 1\r\nline 2', true)).toBe('text must not contain a control character: U+000D at position 7 (a line break is a line feed, U+000A)');
  });

  it.each([
    ['U+202A (the first embedding)', '\u202a', '202A'],
    ['U+202E (the last override)', '\u202e', '202E'],
    ['U+2066 (the first isolate)', '\u2066', '2066'],
    ['U+2069 (the last isolate)', '\u2069', '2069'],
  ])('%s is a bidirectional control', (_, ch, code) => {
    expect(textProblem(`Hà${ch}Nội`)).toBe(`text must not contain a bidirectional control: U+${code} at position 3 (this text is one line)`);
    expect(textProblem(`Hà${ch}Nội`, true)).toBe(`text must not contain a bidirectional control: U+${code} at position 3 (a line break is a line feed, U+000A)`);
  });

  it('the line separator U+2028 and the C1 control U+0085 are control characters, not bidirectional ones', () => {
    expect(textProblem('a\u2028b')).toBe('text must not contain a control character: U+2028 at position 2 (this text is one line)');
    expect(textProblem('\u0085')).toBe('text must not contain a control character: U+0085 at position 1 (this text is one line)');
  });

  it('a lone surrogate (high or low) is not well-formed Unicode; a pair is', () => {
    expect(textProblem('ab\ud800')).toBe('text must be well-formed Unicode: a lone surrogate U+D800 at position 3');
    expect(textProblem('\udc00x')).toBe('text must be well-formed Unicode: a lone surrogate U+DC00 at position 1');
    expect(textProblem('Hà Nội \ud83d\ude00')).toBeUndefined();
  });

  it('decomposed (NFD) text is refused; the same text composed is taken', () => {
    const nfd = 'Hà Nội'.normalize('NFD');
    expect(textProblem(nfd)).toBe('text must be Unicode NFC (composed), not NFD');
    expect(textProblem(nfd, true)).toBe('text must be Unicode NFC (composed), not NFD');
    expect(textProblem(nfd.normalize('NFC'))).toBeUndefined();
  });

  it('printable ASCII, including its first (space) and last (~) characters, is taken', () => {
    expect(textProblem(' PAR Index 2025 ~')).toBeUndefined();
    expect(textProblem('')).toBeUndefined();
  });
});

describe('a code follows the text rules and is not a reserved name', () => {
  it.each(RESERVED_NAMES)('%s is a reserved name', (name) => {
    expect(codeProblem(name)).toBe(`${name} is a reserved name (not __proto__, constructor, prototype)`);
  });

  it('a reserved name differing in case is an ordinary code; a code with a bidirectional control is refused', () => {
    expect(codeProblem('Prototype')).toBeUndefined();
    expect(codeProblem('1.2')).toBeUndefined();
    expect(codeProblem('1\u202e2')).toBe('text must not contain a bidirectional control: U+202E at position 2 (this text is one line)');
  });
});

describe('a key __proto__ is found anywhere in a value, with its path', () => {
  it('at the top of the value: the path is the key alone', () => {
    expect(findReservedKey(JSON.parse('{"__proto__": 1}'))).toEqual(['__proto__']);
  });

  it('in the first element of an array', () => {
    expect(findReservedKey(JSON.parse('[{"__proto__": 1}, 2]'))).toEqual([0, '__proto__']);
  });

  it('the first in document order, when there are several', () => {
    expect(findReservedKey(JSON.parse('{"a": {"__proto__": 1}, "b": {"__proto__": 2}}'))).toEqual(['a', '__proto__']);
    expect(findReservedKey(JSON.parse('[[1], {"x": [{"__proto__": 1}]}, {"__proto__": 2}]'))).toEqual([1, 'x', 0, '__proto__']);
  });

  it('primitives and nulls anywhere are read without error, and hold no key', () => {
    for (const value of [null, undefined, 0, 'text', true, { a: null, b: [null, 1, 'xyz', false] }]) {
      expect(findReservedKey(value)).toBeNull();
    }
  });

  it('an ordinary key named like the others (constructor, prototype) is not reserved here: codes are checked by the schema', () => {
    expect(findReservedKey({ constructor: { prototype: 1 } })).toBeNull();
  });
});

describe("the document's schemas refuse a code, a name or a note in the text rule's own words, as zod's custom issue", () => {
  const issue = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { code: string; message: string }[] } } }, value: string) => {
    const parsed = schema.safeParse(value);
    expect(parsed.success).toBe(false);
    return parsed.error!.issues.map(({ code, message }) => ({ code, message }));
  };

  it('a code', () => {
    expect(issue(Code, 'constructor')).toEqual([{ code: 'custom', message: codeProblem('constructor') }]);
  });

  it('a one-line name', () => {
    expect(issue(Text(1), 'Hà\u202eNội')).toEqual([{ code: 'custom', message: textProblem('Hà\u202eNội') }]);
  });

  it('a note, where a line feed is allowed and a carriage return is not', () => {
    expect(Note().safeParse('dòng 1\ndòng 2').success).toBe(true);
    expect(issue(Note(), 'dòng 1\r\ndòng 2')).toEqual([{ code: 'custom', message: textProblem('dòng 1\r\ndòng 2', true) }]);
  });
});
