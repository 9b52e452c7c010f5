// Known answers for every scoring rule, computed by hand.
import { describe, expect, it } from 'vitest';
import { applyRule, ScoringRule } from '../../src/engine/index.js';

const rule = (r: unknown) => ScoringRule.parse(r);

describe('scoring rules', () => {
  it('points: the value is the points, within [0, max]', () => {
    expect(applyRule(rule({ type: 'points' }), 2, 1.25)).toEqual({ points: 1.25 });
    expect(applyRule(rule({ type: 'points' }), 2, 2.5)).toEqual({ error: 'value 2.5 is outside [0, 2]' });
    expect(applyRule(rule({ type: 'points' }), 2, -0.1)).toHaveProperty('error');
    expect(applyRule(rule({ type: 'points' }), 2, Number.NaN)).toHaveProperty('error');
  });

  it('binary: done gives max, not done gives zero, anything else is an error', () => {
    expect(applyRule(rule({ type: 'binary' }), 1.5, 1)).toEqual({ points: 1.5 });
    expect(applyRule(rule({ type: 'binary' }), 1.5, 0)).toEqual({ points: 0 });
    expect(applyRule(rule({ type: 'binary' }), 1.5, 0.5)).toEqual({ error: 'value 0.5 is not 0 or 1' });
  });

  it('bands: the first band whose threshold the rate reaches', () => {
    // 100% → full, 80–<100% → half, below → zero
    const r = rule({ type: 'bands', bands: [{ min: 100, share: 1 }, { min: 80, share: 0.5 }, { min: 0, points: 0 }] });
    expect(applyRule(r, 2, 100)).toEqual({ points: 2 });
    expect(applyRule(r, 2, 80)).toEqual({ points: 1 });
    expect(applyRule(r, 2, 79.99)).toEqual({ points: 0 });
    expect(applyRule(r, 2, 101)).toEqual({ error: 'value 101 is outside [0, 100]' });
    const points = rule({ type: 'bands', bands: [{ min: 50, points: 0.75 }] });
    expect(applyRule(points, 1, 60)).toEqual({ points: 0.75 });
    expect(applyRule(points, 1, 10)).toEqual({ points: 0 });
  });

  it('proportional: max × achieved / target, capped at max', () => {
    expect(applyRule(rule({ type: 'proportional', target: 40 }), 2, 30)).toEqual({ points: 1.5 });
    expect(applyRule(rule({ type: 'proportional', target: 40 }), 2, 80)).toEqual({ points: 2 });
    expect(applyRule(rule({ type: 'proportional', target: 40, cap: false }), 2, 80)).toEqual({ error: 'value 80 exceeds the target 40' });
    expect(applyRule(rule({ type: 'proportional', target: 40 }), 2, -1)).toHaveProperty('error');
  });

  it('linear: between goal-posts, either direction; beyond them an error unless capped', () => {
    expect(applyRule(rule({ type: 'linear', worst: 10, best: 30 }), 4, 15)).toEqual({ points: 1 });
    expect(applyRule(rule({ type: 'linear', worst: 30, best: 10 }), 4, 15)).toEqual({ points: 3 });
    expect(applyRule(rule({ type: 'linear', worst: 10, best: 30 }), 4, 35)).toEqual({ error: 'value 35 is outside the goal-posts [10, 30]' });
    expect(applyRule(rule({ type: 'linear', worst: 10, best: 30, cap: true }), 4, 35)).toEqual({ points: 4 });
  });

  it('survey: Σ share × option value × max, default A/B/C/D = 100/60/20/0 %', () => {
    // 50 A, 30 B, 20 C of 100: 0.5·1 + 0.3·0.6 + 0.2·0.2 = 0.72 → 0.72 × 2.5 = 1.8
    const out = applyRule(rule({ type: 'survey' }), 2.5, { A: 50, B: 30, C: 20 });
    expect(out).toHaveProperty('points');
    expect((out as { points: number }).points).toBeCloseTo(1.8, 12);
    expect(applyRule(rule({ type: 'survey' }), 2.5, { A: 0.5, D: 0.5 })).toEqual({ points: 1.25 });
    expect(applyRule(rule({ type: 'survey', options: [{ code: 'yes', value: 1 }, { code: 'no', value: 0 }] }), 1, { yes: 3, no: 1 })).toEqual({ points: 0.75 });
    expect(applyRule(rule({ type: 'survey' }), 1, { E: 1 })).toEqual({ error: 'unknown answer option E (expected A, B, C, D)' });
    expect(applyRule(rule({ type: 'survey' }), 1, 0.5)).toHaveProperty('error');
    expect(applyRule(rule({ type: 'survey' }), 1, {})).toEqual({ error: 'survey answers sum to zero' });
  });
});
