// The heavy analyses as tasks: plain data in and out (structured-cloneable), so that an entry point
// may run them where they cannot stall other requests — a thread pool on Node, where one event loop
// serves everyone — or inline, as on Workers, where each request has its own CPU. A computation
// travels as its body's text: parsing and validating 2 MiB of JSON costs more than computing it.
import { EngineError, evaluate, rankUncertainty, whatIf, type CompiledMethodology, type EngineErrorKind, type Issue, type ScoreInput, type ScoreMatrix, type Uncertainty, type UncertaintyOptions, type WhatIf } from '../engine/index.js';
import { ApiProblem, type FieldError, type ProblemType } from './problem.js';
import { answerCompute } from './routes/compute.js';

export type AnalysisTask =
  /** POST /v1/compute: the body's text in, the answer's JSON text out (validation included) */
  | { kind: 'compute'; body: string }
  | { kind: 'uncertainty'; compiled: CompiledMethodology; matrix: ScoreMatrix; options: UncertaintyOptions }
  | { kind: 'what-if'; compiled: CompiledMethodology; matrix: ScoreMatrix; unit: string; changes: ScoreInput[] };

interface Answers { compute: string; uncertainty: Uncertainty; 'what-if': WhatIf }
export type AnalysisAnswer<T extends AnalysisTask> = Answers[T['kind']];

/** Runs a task somewhere; its errors come back as they were thrown (ApiProblem, EngineError). */
export type AnalysisRunner = <T extends AnalysisTask>(task: T) => Promise<AnalysisAnswer<T>>;

export function runAnalysis<T extends AnalysisTask>(task: T): AnalysisAnswer<T> {
  return answer(task) as AnalysisAnswer<T>;
}

function answer(task: AnalysisTask): Answers[keyof Answers] {
  switch (task.kind) {
    case 'compute': return answerCompute(task.body);
    case 'uncertainty': return rankUncertainty(task.compiled, task.matrix.units, evaluate(task.compiled, task.matrix), task.options);
    case 'what-if': return whatIf(task.compiled, task.matrix, task.unit, task.changes);
  }
}

export const runInline: AnalysisRunner = async (task) => runAnalysis(task);

/** An error as data, to cross a thread: problems and engine errors keep what the answer needs. */
export type TaskFailure =
  | { problem: { type: ProblemType; detail: string; errors?: FieldError[]; headers?: Record<string, string> } }
  | { engine: { kind: EngineErrorKind; issues: Issue[] } }
  | { message: string; stack?: string };

export function failureOf(e: unknown): TaskFailure {
  if (e instanceof ApiProblem) return { problem: { type: e.type, detail: e.detail, errors: e.errors, headers: e.headers } };
  if (e instanceof EngineError) return { engine: { kind: e.kind, issues: e.issues } };
  return e instanceof Error ? { message: e.message, stack: e.stack } : { message: String(e) };
}

export function errorOf(f: TaskFailure): Error {
  if ('problem' in f) return new ApiProblem(f.problem.type, f.problem.detail, f.problem.errors, f.problem.headers);
  if ('engine' in f) return new EngineError(f.engine.kind, f.engine.issues);
  return Object.assign(new Error(f.message), { stack: f.stack });
}
