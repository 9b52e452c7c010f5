// How the engine reports problems (src/engine/errors.ts, budgets.ts): every problem kept, the
// message naming the first three and counting the rest, each issue naming its unit and node, and a
// budget error naming the limit, the amount asked and where, as a JSON Pointer.
import { describe, expect, it } from 'vitest';
import {
  BUDGETS, BudgetError, describeIssue, EngineError, IssueList, jsonPointer, within,
} from '../../src/engine/index.js';

const issues = (n: number) => Array.from({ length: n }, (_, i) => ({ message: `problem ${i + 1}` }));

describe('an engine error keeps every issue and names the first three in its message', () => {
  it('one issue: the kind, then the issue', () => {
    const e = new EngineError('invalid-scores', [{ unit: 'U', node: 'a', message: 'not a number' }]);
    expect(e.message).toBe('invalid-scores: unit U, node a: not a number');
    expect(e.kind).toBe('invalid-scores');
    expect(e.name).toBe('EngineError');
    expect(e).toBeInstanceOf(Error);
  });

  it('exactly three issues are all named, with no count of more', () => {
    expect(new EngineError('invalid-methodology', issues(3)).message)
      .toBe('invalid-methodology: problem 1; problem 2; problem 3');
  });

  it('beyond three, the message counts the others; the issues list keeps them all', () => {
    const e = new EngineError('invalid-methodology', issues(5));
    expect(e.message).toBe('invalid-methodology: problem 1; problem 2; problem 3 (+2 more)');
    expect(e.issues).toHaveLength(5);
  });
});

describe('an issue is described by its unit, then its node, then the problem', () => {
  it('unit and node', () => {
    expect(describeIssue({ unit: 'HN', node: '1.2', message: 'missing' })).toBe('unit HN, node 1.2: missing');
  });
  it('node alone, unit alone', () => {
    expect(describeIssue({ node: '1.2', message: 'missing' })).toBe('node 1.2: missing');
    expect(describeIssue({ unit: 'HN', message: 'missing' })).toBe('unit HN: missing');
  });
  it('neither: the problem alone, without a leading separator', () => {
    expect(describeIssue({ message: 'missing', row: 3 })).toBe('missing');
  });
});

describe('an issue list throws only when it holds issues, all of them at once', () => {
  it('empty: nothing thrown', () => {
    expect(() => new IssueList().throwIfAny('invalid-scores')).not.toThrow();
  });
  it('two issues: one error of the kind asked, carrying both in order', () => {
    const list = new IssueList();
    list.add({ message: 'first' });
    list.add({ message: 'second' });
    let thrown: unknown;
    try { list.throwIfAny('invalid-computation'); } catch (e) { thrown = e; }
    expect(thrown).toBeInstanceOf(EngineError);
    expect((thrown as EngineError).kind).toBe('invalid-computation');
    expect((thrown as EngineError).issues.map((i) => i.message)).toEqual(['first', 'second']);
  });
});

describe('JSON Pointers (RFC 6901)', () => {
  it('the document itself is the empty pointer; segments are joined with /', () => {
    expect(jsonPointer([])).toBe('');
    expect(jsonPointer(['nodes', 0, 'max'])).toBe('/nodes/0/max');
  });
  it('~ becomes ~0 and / becomes ~1, every occurrence', () => {
    expect(jsonPointer(['a~b~c/d/e'])).toBe('/a~0b~0c~1d~1e');
  });
});

describe('a budget is a limit that may be reached but not exceeded', () => {
  it('the limit itself is within the budget; one more is refused', () => {
    expect(() => within('draws', BUDGETS.draws, 'draws')).not.toThrow();
    expect(() => within('draws', BUDGETS.draws + 1, 'draws')).toThrow(BudgetError);
  });

  it('the error names the budget, the amount and the limit, with thousands separated', () => {
    let e: BudgetError | undefined;
    try { within('cells', 1_234_567, 'units × methodology nodes', ['units']); } catch (thrown) { e = thrown as BudgetError; }
    expect(e).toBeInstanceOf(BudgetError);
    expect(e).toBeInstanceOf(EngineError);
    expect(e!.kind).toBe('budget-exceeded');
    expect([e!.budget, e!.actual, e!.limit]).toEqual(['cells', 1_234_567, BUDGETS.cells]);
    expect(e!.issues).toEqual([{ message: 'units × methodology nodes: 1,234,567, more than the limit of 50,000 (budget cells)', path: ['units'] }]);
  });

  it('a caller\'s limit replaces the budget; a limit it does not give falls back to the budget', () => {
    expect(() => within('draws', 11, 'draws', [], { draws: 10 })).toThrow(BudgetError);
    expect(() => within('draws', 10, 'draws', [], { draws: 10 })).not.toThrow();
    expect(() => within('draws', BUDGETS.draws, 'draws', [], { cells: 1 })).not.toThrow();
    expect(() => within('draws', BUDGETS.draws + 1, 'draws', [], { cells: 1 })).toThrow(BudgetError);
  });

  it('the pointer is where the budget is exceeded, below a base; without a path, the base itself', () => {
    const at = new BudgetError('methodologyNodes', 3, 2, 'nodes', ['nodes']);
    expect(at.pointer()).toBe('/nodes');
    expect(at.pointer('/methodology')).toBe('/methodology/nodes');
    const nowhere = new BudgetError('draws', 3, 2, 'draws');
    expect(nowhere.issues[0].path).toEqual([]);
    expect(nowhere.pointer('/body')).toBe('/body');
  });

  it('a budget exceeded without a path points at the request itself', () => {
    let e: BudgetError | undefined;
    try { within('draws', BUDGETS.draws + 1, 'draws'); } catch (thrown) { e = thrown as BudgetError; }
    expect(e!.issues[0].path).toEqual([]);
    expect(e!.pointer('/body')).toBe('/body');
  });
});
