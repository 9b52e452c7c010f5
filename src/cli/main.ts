// par-index: reads the command line, runs one command against the service, and exits with a code
// that scripts can test (see errors.ts). util.parseArgs: no dependency, strict about unknown options.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Command, OptionSpec, Options, RunContext } from './command.js';
import { CliError, EXIT, usageError, type ExitCode } from './errors.js';
import { commandHelp, groupHelp, toolHelp } from './help.js';
import { localService, type LocalService } from './local.js';
import { progressOn } from './progress.js';
import { COMMANDS, findCommand, GLOBAL_OPTIONS, GROUPS } from './registry.js';

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

const asParseOptions = (specs: Record<string, OptionSpec & { short?: string }>): ParseOptions =>
  Object.fromEntries(Object.entries(specs).map(([name, o]) => [name, { type: o.type, ...(o.short && { short: o.short }) }]));

/** Every option any command knows: enough to tell option values from the command's words. */
const ANY_OPTION = asParseOptions(Object.assign({}, GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options)));

export async function main(argv: string[]): Promise<ExitCode> {
  // A reader that stops early (`… --out - | head`) is not an error of the command.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => { if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok); else throw error; });
  try {
    return await dispatch(argv);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`${error.lines.join('\n')}\n`);
      return error.code;
    }
    // Not a refusal or a usage error: a fault of this tool, so its stack is worth reporting.
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failure;
  }
}

async function dispatch(argv: string[]): Promise<ExitCode> {
  const loose = parseArgs({ args: argv, options: ANY_OPTION, allowPositionals: true, strict: false });
  const words = loose.positionals[0] === 'help' ? loose.positionals.slice(1) : loose.positionals;
  const wantsHelp = loose.values.help === true || loose.positionals[0] === 'help';
  if (loose.values.version === true) return print(version());
  const [group, name] = words;
  const command = findCommand(group, name);
  if (!command) {
    if (wantsHelp && (group === undefined || GROUPS.includes(group)) && name === undefined) return print(group ? groupHelp(group) : toolHelp());
    if (group === undefined) throw usageError('no command given', 'par-index --help lists the commands');
    if (!GROUPS.includes(group)) throw usageError(`unknown command ${group}`, 'par-index --help lists the commands');
    throw usageError(`unknown command ${[group, name].filter(Boolean).join(' ')}`, groupHelp(group));
  }
  if (wantsHelp) return print(commandHelp(command));
  const { values: parsed, positionals } = strictParse(command, argv);
  const values = parsed as Options; // no option is declared multiple: no arrays
  const args = positionals.slice(2);
  if (args.length !== command.args.length) {
    throw usageError(`${command.group} ${command.name} takes ${command.args.join(' ')}`, `par-index ${command.group} ${command.name} --help`);
  }
  await command.run(contextOf(values), args, values);
  return EXIT.ok;
}

function strictParse(command: Command, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: asParseOptions({ ...GLOBAL_OPTIONS, ...command.options }), allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError((error as Error).message.split('\n')[0], `par-index ${command.group} ${command.name} --help`);
  }
}

function contextOf(values: Options): RunContext {
  const seconds = Number((values.timeout as string | undefined) ?? process.env.PAR_TIMEOUT ?? 300);
  if (!(seconds > 0)) throw usageError('--timeout must be a number of seconds above 0');
  const warn = (line: string) => { process.stderr.write(`${line}\n`); };
  const url = (values.url as string | undefined) ?? process.env.PAR_URL;
  const db = localFile(values);
  let local: Promise<LocalService> | undefined;
  return {
    conn: {
      url: db ?? url ?? 'http://localhost:8787',
      key: (values.key as string | undefined) ?? (process.env.PAR_KEY || undefined),
      progress: progressOn(process.stderr, values.quiet === true),
      timeoutMs: seconds * 1000,
      ...(db && { local: () => (local ??= localService(db, warn)) }),
    },
    json: values.json === true,
    say: (line) => { process.stdout.write(`${line}\n`); },
    warn,
  };
}

/** --db (never from the environment: PAR_DB set for `npm start` must not turn commands away from the service). */
function localFile(values: Options): string | undefined {
  const db = values.db as string | undefined;
  if (db !== undefined && values.url !== undefined) throw usageError('--db and --url name two places to work on: give one');
  if (db !== undefined && values.key !== undefined) throw usageError('--key is not needed with --db: a local database file is worked on as the administrator');
  if (db === '') throw usageError('--db needs a file name');
  return db;
}

function print(text: string): ExitCode {
  process.stdout.write(`${text}\n`);
  return EXIT.ok;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `par-index ${pkg.version}`;
}
