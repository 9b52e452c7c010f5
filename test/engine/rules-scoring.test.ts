// The scoring rules at their boundaries (issue 12): which values each rule takes, where its bounds
// are inclusive, the tolerance for decimal noise at the top, and the exact reason for a refusal.
// Every known answer is worked out by hand in the comment beside it.
import { describe, expect, it } from 'vitest';
import { applyRule, ScoringRule } from '../../src/engine/index.js';

const rule = (r: unknown) => ScoringRule.parse(r);
const points = rule({ type: 'points' });
const binary = rule({ type: 'binary' });

describe('every numeric rule', () => {
  it('refuses answers per option: only the survey rule takes them', () => {
    expect(applyRule(points, 2, { A: 1 })).toEqual({ error: 'rule points takes a number, got an object' });
    expect(applyRule(rule({ type: 'linear', worst: 0, best: 1, cap: true }), 2, { A: 1 })).toEqual({ error: 'rule linear takes a number, got an object' });
  });

  it('refuses a value that is not finite, even where a cap would clamp it', () => {
    expect(applyRule(points, 2, Infinity)).toEqual({ error: 'value Infinity is not a finite number' });
    expect(applyRule(rule({ type: 'proportional', target: 10 }), 2, Infinity)).toEqual({ error: 'value Infinity is not a finite number' });
    expect(applyRule(rule({ type: 'linear', worst: 0, best: 10, cap: true }), 2, -Infinity)).toEqual({ error: 'value -Infinity is not a finite number' });
    expect(applyRule(rule({ type: 'bands', bands: [{ min: 0, share: 1 }] }), 2, Number.NaN)).toEqual({ error: 'value NaN is not a finite number' });
  });
});

describe('points', () => {
  it('both ends of [0, max] are valid', () => {
    expect(applyRule(points, 2, 0)).toEqual({ points: 0 });
    expect(applyRule(points, 2, 2)).toEqual({ points: 2 });
  });

  it('decimal noise just above max is the max (0.1 + 0.2 for a max of 0.3), a real excess is an error', () => {
    expect(applyRule(points, 0.3, 0.1 + 0.2)).toEqual({ points: 0.3 });
    expect(applyRule(points, 2, 2 + 1e-9)).toEqual({ points: 2 }); // the tolerance's end included
    expect(applyRule(points, 2, 2 + 2e-9)).toHaveProperty('error');
    expect(applyRule(points, 2, 2.00001)).toEqual({ error: 'value 2.00001 is outside [0, 2]' });
    expect(applyRule(points, 2, -0.5)).toEqual({ error: 'value -0.5 is outside [0, 2]' });
  });
});

describe('binary', () => {
  it('1 is the max, 0 is nothing; a value that is neither names what it got', () => {
    expect(applyRule(binary, 3, 1)).toEqual({ points: 3 });
    expect(applyRule(binary, 3, 0)).toEqual({ points: 0 });
    expect(applyRule(binary, 3, 2)).toEqual({ error: 'value 2 is not 0 or 1' });
  });
});

describe('bands', () => {
  const rate = rule({ type: 'bands', bands: [{ min: 90, share: 1 }, { min: 50, points: 1 }] });

  it('the default range is [0, 100], both ends included', () => {
    expect(applyRule(rate, 4, 0)).toEqual({ points: 0 });
    expect(applyRule(rate, 4, 100)).toEqual({ points: 4 });
    expect(applyRule(rate, 4, -0.01)).toEqual({ error: 'value -0.01 is outside [0, 100]' });
    expect(applyRule(rate, 4, 100.01)).toEqual({ error: 'value 100.01 is outside [0, 100]' });
  });

  it('a band\'s lower bound is inclusive: exactly 90 earns the top band, 89.99 the next', () => {
    expect(applyRule(rate, 4, 90)).toEqual({ points: 4 });
    expect(applyRule(rate, 4, 89.99)).toEqual({ points: 1 });
    expect(applyRule(rate, 4, 50)).toEqual({ points: 1 });
    expect(applyRule(rate, 4, 49.99)).toEqual({ points: 0 });
  });

  it('a declared range replaces the default, both ends included', () => {
    // temperature-like input from −10 to 10: 0 and above earns half of 4
    const r = rule({ type: 'bands', range: [-10, 10], bands: [{ min: 0, share: 0.5 }] });
    expect(applyRule(r, 4, -10)).toEqual({ points: 0 });
    expect(applyRule(r, 4, 10)).toEqual({ points: 2 });
    expect(applyRule(r, 4, 0)).toEqual({ points: 2 });
    expect(applyRule(r, 4, 50)).toEqual({ error: 'value 50 is outside [-10, 10]' });
    expect(applyRule(r, 4, -11)).toEqual({ error: 'value -11 is outside [-10, 10]' });
  });

  it('a band giving zero points gives zero, not its share', () => {
    const r = rule({ type: 'bands', bands: [{ min: 50, points: 0 }, { min: 0, share: 1 }] });
    expect(applyRule(r, 4, 60)).toEqual({ points: 0 });
    expect(applyRule(r, 4, 10)).toEqual({ points: 4 });
  });
});

describe('proportional', () => {
  const capped = rule({ type: 'proportional', target: 40 });
  const strict = rule({ type: 'proportional', target: 40, cap: false });

  it('zero achieved is zero points; below zero is an error naming the value', () => {
    expect(applyRule(capped, 2, 0)).toEqual({ points: 0 });
    expect(applyRule(capped, 2, -1)).toEqual({ error: 'value -1 is negative' });
  });

  it('uncapped, the target itself earns the max and anything below it its share', () => {
    expect(applyRule(strict, 2, 40)).toEqual({ points: 2 });
    expect(applyRule(strict, 2, 10)).toEqual({ points: 0.5 });
    expect(applyRule(strict, 2, 40.5)).toEqual({ error: 'value 40.5 exceeds the target 40' });
  });
});

describe('linear', () => {
  const up = rule({ type: 'linear', worst: 10, best: 30 });
  const down = rule({ type: 'linear', worst: 30, best: 10 });

  it('the goal-posts themselves are valid: worst earns 0, best the max, in either direction', () => {
    expect(applyRule(up, 4, 10)).toEqual({ points: 0 });
    expect(applyRule(up, 4, 30)).toEqual({ points: 4 });
    expect(applyRule(down, 4, 30)).toEqual({ points: 0 });
    expect(applyRule(down, 4, 10)).toEqual({ points: 4 });
  });

  it('decimal noise just beyond a goal-post is the goal-post, not an error', () => {
    // worst 0.3, best 1: 0.1 + 0.2 = 0.30000000000000004 lies a hair above worst, 1 + 1e-12 a hair above best
    const r = rule({ type: 'linear', worst: 0.3, best: 1 });
    expect(applyRule(r, 4, 1 + 1e-12)).toEqual({ points: 4 });
    const below = rule({ type: 'linear', worst: 0.1 + 0.2, best: 1 });
    expect(applyRule(below, 4, 0.3)).toEqual({ points: 0 });
  });

  it('the tolerance for noise is 1e-9 of the span between the goal-posts, its end included', () => {
    // worst 0, best 1: the share is the value itself
    const unit = rule({ type: 'linear', worst: 0, best: 1 });
    expect(applyRule(unit, 4, -1e-9)).toEqual({ points: 0 });
    expect(applyRule(unit, 4, 1 + 1e-9)).toEqual({ points: 4 });
    expect(applyRule(unit, 4, -2e-9)).toEqual({ error: 'value -2e-9 is outside the goal-posts [0, 1]' });
    expect(applyRule(unit, 4, 1 + 2e-9)).toHaveProperty('error');
  });

  it('beyond the goal-posts is an error, below as well as above', () => {
    expect(applyRule(up, 4, 9)).toEqual({ error: 'value 9 is outside the goal-posts [10, 30]' });
    expect(applyRule(down, 4, 31)).toEqual({ error: 'value 31 is outside the goal-posts [30, 10]' });
  });

  it('capped, a value beyond the goal-posts earns their points: 0 below worst, the max above best', () => {
    const capped = rule({ type: 'linear', worst: 10, best: 30, cap: true });
    expect(applyRule(capped, 4, 0)).toEqual({ points: 0 });
    expect(applyRule(capped, 4, 40)).toEqual({ points: 4 });
    expect(applyRule(capped, 4, 20)).toEqual({ points: 2 });
  });
});

describe('survey', () => {
  const survey = rule({ type: 'survey' });

  it('an option nobody chose counts for nothing but is no error: 0 A and 2 B is all B, 60 %', () => {
    expect(applyRule(survey, 5, { A: 0, B: 2 })).toEqual({ points: 3 });
  });

  it('answers that sum to zero are an error, not 0 / 0', () => {
    expect(applyRule(survey, 5, { A: 0, B: 0 })).toEqual({ error: 'survey answers sum to zero' });
  });

  it('a count below zero, or not finite, is an error naming the option', () => {
    expect(applyRule(survey, 5, { A: 3, B: -1 })).toEqual({ error: 'answer B: count -1 is not a finite number ≥ 0' });
    expect(applyRule(survey, 5, { A: Infinity })).toEqual({ error: 'answer A: count Infinity is not a finite number ≥ 0' });
    expect(applyRule(survey, 5, { A: Number.NaN })).toEqual({ error: 'answer A: count NaN is not a finite number ≥ 0' });
  });

  it('a single number is refused with an example of what it takes', () => {
    expect(applyRule(survey, 5, 3)).toEqual({ error: 'rule survey takes counts or shares per answer option, e.g. {"A": 12, "B": 3}' });
  });

  it('an unknown option lists the declared ones', () => {
    const yesNo = rule({ type: 'survey', options: [{ code: 'yes', value: 1 }, { code: 'no', value: 0 }] });
    expect(applyRule(yesNo, 1, { yes: 1, maybe: 1 })).toEqual({ error: 'unknown answer option maybe (expected yes, no)' });
  });
});
