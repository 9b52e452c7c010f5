// The index engine: pure TypeScript, no I/O. Methodology + units + scores in, ranked results out.
export * from './model.js';
export * from './errors.js';
export { snap } from './numbers.js';
export { compileMethodology, type CompiledMethodology, type CompiledNode } from './compile.js';
export { applyRule } from './rules.js';
export { normalise } from './normalise.js';
export { prepareScores, scoreRows, SELF_SOURCE, type ScoreMatrix, type ScoredRow, type Unit } from './scores.js';
export { evaluate, type Evaluation, type EvaluationOverrides } from './aggregate.js';
export { buildResults, column, type NodeResult, type UnitResult, type ResultOptions } from './results.js';
export { competitionRanks, groupOf } from './rank.js';
export { summarise, describeCycle, type Summary, type CycleStatistics } from './statistics.js';
export { compareWithPrevious, type Change, type ChangeRule, type Predecessor } from './change.js';
export { computeCycle, domainCodes, sortByRank, type CycleResult, type ComputeInput } from './compute.js';
export * from './units.js';
export { rankUncertainty, type Uncertainty, type UncertaintyOptions, type UnitUncertainty } from './uncertainty.js';
export { hashString, mulberry32, normal } from './random.js';
export { whatIf, applyChanges, type WhatIf, type Path, type PathStep, type Standing } from './whatif.js';
export { profile, peers, type Profile, type Gap } from './profile.js';
