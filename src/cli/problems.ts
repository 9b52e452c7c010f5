// The service's refusals (RFC 9457 problem+json) as the command's error output: the detail, then
// each error at its place (file, sheet, row, column), then the exit code that fits the status.
import { CliError, EXIT, type ExitCode } from './errors.js';
import type { Answer } from './http.js';

export interface FieldError {
  message: string; row?: number; sheet?: string; column?: string; pointer?: string; field?: string; unit?: string; indicator?: string;
}

interface Problem { type?: string; title?: string; status?: number; detail?: string; requestId?: string; errors?: FieldError[] }

/** The answer when it is a success; otherwise a CliError carrying the problem. */
export function checked(answer: Answer, file?: string): Answer {
  if (answer.status >= 200 && answer.status < 300) return answer;
  throw problemError(answer, file);
}

export function exitCodeOf(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.notAllowed;
  if (status >= 400 && status < 500) return EXIT.refused;
  return EXIT.failure;
}

function problemError(answer: Answer, file?: string): CliError {
  const problem = parsed(answer);
  const head = `error: ${answer.status} ${problem.title ?? 'error'}${problem.detail ? `: ${problem.detail}` : ''}`;
  const places = (problem.errors ?? []).map((e) => `  ${place(e, file)}`);
  const trace = [problem.type && `type ${problem.type}`, problem.requestId && `request id ${problem.requestId}`].filter(Boolean);
  return new CliError(exitCodeOf(answer.status), [head, ...places, ...(trace.length ? [`  (${trace.join(', ')})`] : [])]);
}

function parsed(answer: Answer): Problem {
  const text = answer.body.toString('utf8');
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object') return value as Problem;
  } catch { /* not JSON: said as text below */ }
  return { detail: text.trim().slice(0, 500) || undefined };
}

/** `scores.csv, row 2, column value (unit 01, indicator 2): value 99 is outside [0, 10]` */
export function place(e: FieldError, file?: string): string {
  const where: string[] = [];
  if (file) where.push(file);
  if (e.sheet) where.push(`sheet ${e.sheet}`);
  if (e.row !== undefined) where.push(`row ${e.row}`);
  const column = e.column ?? e.field;
  if (column) where.push(`column ${column}`);
  if (e.row === undefined && e.sheet === undefined && e.pointer) where.push(e.pointer);
  const what = [e.column && e.field && `field ${e.field}`, e.unit && `unit ${e.unit}`, e.indicator && `indicator ${e.indicator}`].filter(Boolean);
  return `${where.join(', ')}${what.length ? ` (${what.join(', ')})` : ''}: ${e.message}`;
}
