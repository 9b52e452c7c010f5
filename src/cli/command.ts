// What a command is: its words, arguments, options and help, and the function that runs it.
import { usageError } from './errors.js';
import type { Connection } from './http.js';

export interface OptionSpec { type: 'string' | 'boolean'; /** the value's name in the help */ value?: string; description: string }

export type Options = Record<string, string | boolean | undefined>;

export interface RunContext {
  conn: Connection;
  /** print the service's JSON answer on stdout instead of the summary */
  json: boolean;
  /** a line of the command's answer, on stdout */
  say(line: string): void;
  /** a warning, on stderr */
  warn(line: string): void;
}

export interface Command {
  group: string;
  name: string;
  /** positional arguments, e.g. ['<year>', '<unitType>', '<file>'] */
  args: string[];
  summary: string;
  details?: string[];
  options: Record<string, OptionSpec>;
  examples: string[];
  run(ctx: RunContext, args: string[], options: Options): Promise<void>;
}

export function yearArg(text: string): number {
  if (!/^\d{4}$/.test(text)) throw usageError(`<year> must be a year such as 2025, not ${JSON.stringify(text)}`);
  return Number(text);
}

export function unitTypeArg(text: string): string {
  if (!/^[a-z]+$/.test(text)) throw usageError(`<unitType> must be a unit type such as province or ministry, not ${JSON.stringify(text)}`);
  return text;
}

export function choice<T extends string>(name: string, value: string | boolean | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw usageError(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function text(options: Options, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/** --revision N or draft: the query parameter the API takes. */
export function revisionOption(options: Options): string | undefined {
  const value = text(options, 'revision');
  if (value !== undefined && !/^(draft|[1-9]\d{0,8})$/.test(value)) throw usageError('--revision must be a revision number (1, 2 …) or draft');
  return value;
}

export const query = (params: Record<string, string | undefined>): string => {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries)}` : '';
};

export const cyclePath = (year: number, unitType: string) => `/v1/cycles/${year}/${encodeURIComponent(unitType)}`;

/** The JSON of a successful answer. */
export const jsonOf = <T>(body: Buffer): T => JSON.parse(body.toString('utf8')) as T;
