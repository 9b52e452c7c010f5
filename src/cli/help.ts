// The help texts: the whole tool, one group, one command. Written from the command table, so
// that an option cannot exist without its line.
import type { Command, OptionSpec } from './command.js';
import { EXIT } from './errors.js';
import { COMMANDS, GLOBAL_OPTIONS } from './registry.js';

const usageOf = (c: Command) => `par-index ${c.group} ${c.name} ${[...c.args, ...Object.entries(c.options).filter(([, o]) => o.type === 'boolean').map(([n]) => `[--${n}]`)].join(' ')}`;

function optionLines(options: Record<string, OptionSpec & { short?: string }>): string[] {
  const heads = Object.entries(options).map(([name, o]) => `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` <${o.value}>` : ''}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return Object.values(options).map((o, i) => `  ${heads[i].padEnd(width)}${o.description}`);
}

const EXIT_LINES = [
  'Exit codes:',
  `  ${EXIT.ok}  done`,
  `  ${EXIT.failure}  the service failed (5xx), a download failed its check, or an unexpected error`,
  `  ${EXIT.usage}  usage: unknown command or option, bad argument, unreadable input file`,
  `  ${EXIT.refused}  refused by the service (4xx: invalid file or rows, conflict, not found …); nothing written`,
  `  ${EXIT.notAllowed}  not allowed: no key, or the key may not do this (401, 403)`,
  `  ${EXIT.network}  network: the service could not be reached`,
];

export function toolHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.group} ${c.name}`.length)) + 2;
  return [
    'par-index: bulk work against a running PAR Index service (through its REST API), or on a local database file with --db',
    '',
    'Usage: par-index <group> <command> [arguments] [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${`${c.group} ${c.name}`.padEnd(width)}${c.summary}`),
    '',
    'Options for every command:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Progress goes to stderr: a bar on a terminal, plain lines otherwise. Errors name the file, sheet, row and column.',
    '',
    ...EXIT_LINES,
    '',
    'Example: PAR_URL=https://par.example.vn PAR_KEY=… par-index scores upload 2025 province scores.csv --dry-run',
  ].join('\n');
}

export function groupHelp(group: string): string {
  const commands = COMMANDS.filter((c) => c.group === group);
  return [`Commands of par-index ${group}:`, ...commands.map((c) => `  ${usageOf(c)}\n      ${c.summary}`), '', `par-index ${group} <command> --help for its options.`].join('\n');
}

export function commandHelp(c: Command): string {
  const own = Object.keys(c.options).length ? ['', 'Options:', ...optionLines(c.options)] : [];
  return [
    `Usage: ${usageOf(c)} [options]`,
    '',
    c.summary,
    ...(c.details ? ['', ...c.details] : []),
    ...own,
    '',
    'Options for every command:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Examples:',
    ...c.examples.map((e) => `  ${e}`),
    '',
    ...EXIT_LINES,
  ].join('\n');
}
