// Engine errors carry every problem found, each naming what it is about, so that an edge can
// report them all at once (problem+json errors[]) instead of the first one only.
export interface Issue {
  message: string;
  node?: string;
  unit?: string;
  /** where in the input document the problem is (JSON Pointer segments, e.g. ['nodes', 1, 'max']) */
  path?: (string | number)[];
  /** position of the offending item in a bulk input (0-based) */
  row?: number;
  field?: string;
  value?: unknown;
}

export type EngineErrorKind = 'invalid-methodology' | 'invalid-scores' | 'invalid-computation' | 'budget-exceeded';

export class EngineError extends Error {
  constructor(readonly kind: EngineErrorKind, readonly issues: Issue[]) {
    super(`${kind}: ${issues.slice(0, 3).map(describeIssue).join('; ')}${issues.length > 3 ? ` (+${issues.length - 3} more)` : ''}`);
    this.name = 'EngineError';
  }
}

export function describeIssue(issue: Issue): string {
  const where = [issue.unit && `unit ${issue.unit}`, issue.node && `node ${issue.node}`].filter(Boolean).join(', ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** RFC 6901 JSON Pointer of a path, below a base pointer ('' for the document itself). */
export function jsonPointer(path: readonly (string | number)[], base = ''): string {
  return base + path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Collects issues and throws them together. */
export class IssueList {
  readonly items: Issue[] = [];
  add(issue: Issue): void { this.items.push(issue); }
  throwIfAny(kind: EngineErrorKind): void {
    if (this.items.length) throw new EngineError(kind, this.items);
  }
}
