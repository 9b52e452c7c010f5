// Scoring rules: a leaf's raw value → points. Out-of-range input is an error, never a silent
// clamp, except where the rule caps: proportional by default (cap: true), linear with cap: true.
import type { ScoringRule, ScoreValue } from './model.js';

export type RuleOutcome = { points: number } | { error: string };

const EPSILON = 1e-9;

export function applyRule(rule: ScoringRule, max: number, value: ScoreValue): RuleOutcome {
  if (rule.type === 'survey') return surveyPoints(rule.options, max, value);
  if (typeof value !== 'number') return { error: `rule ${rule.type} takes a number, got an object` };
  if (!Number.isFinite(value)) return { error: `value ${value} is not a finite number` };
  switch (rule.type) {
    case 'points':
      return value < 0 || value > max + EPSILON
        ? { error: `value ${value} is outside [0, ${max}]` }
        : { points: Math.min(value, max) };
    case 'binary':
      return value === 0 || value === 1 ? { points: value * max } : { error: `value ${value} is not 0 or 1` };
    case 'bands': return bandPoints(rule, max, value);
    case 'proportional': {
      if (value < 0) return { error: `value ${value} is negative` };
      if (value > rule.target && !rule.cap) return { error: `value ${value} exceeds the target ${rule.target}` };
      return { points: max * Math.min(1, value / rule.target) };
    }
    case 'linear': {
      const share = (value - rule.worst) / (rule.best - rule.worst);
      if ((share < -EPSILON || share > 1 + EPSILON) && !rule.cap) {
        return { error: `value ${value} is outside the goal-posts [${rule.worst}, ${rule.best}]` };
      }
      return { points: max * Math.min(1, Math.max(0, share)) };
    }
  }
}

function bandPoints(rule: Extract<ScoringRule, { type: 'bands' }>, max: number, value: number): RuleOutcome {
  const [low, high] = rule.range ?? [0, 100];
  if (value < low || value > high) return { error: `value ${value} is outside [${low}, ${high}]` };
  const band = rule.bands.find((b) => value >= b.min);
  if (!band) return { points: 0 };
  // A band gives points or a share, never neither (the schema refuses it).
  return { points: band.points ?? band.share! * max };
}

/** Σ share × option value × max, where shares are the answers' counts over their total. */
function surveyPoints(options: { code: string; value: number }[], max: number, value: ScoreValue): RuleOutcome {
  if (typeof value === 'number') return { error: 'rule survey takes counts or shares per answer option, e.g. {"A": 12, "B": 3}' };
  const known = new Map(options.map((o) => [o.code, o.value]));
  let total = 0;
  let weighted = 0;
  for (const [code, count] of Object.entries(value)) {
    const optionValue = known.get(code);
    if (optionValue === undefined) return { error: `unknown answer option ${code} (expected ${[...known.keys()].join(', ')})` };
    if (!(count >= 0) || !Number.isFinite(count)) return { error: `answer ${code}: count ${count} is not a finite number ≥ 0` };
    total += count;
    weighted += count * optionValue;
  }
  if (total <= 0) return { error: 'survey answers sum to zero' };
  return { points: (weighted / total) * max };
}
