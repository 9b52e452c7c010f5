// Every command, in the order the help lists them.
import type { Command, OptionSpec } from './command.js';
import { cycleCreate, cycleStatus } from './cycle.js';
import { methodologyExport, methodologyImport } from './methodology.js';
import { publicationExport, resultsDownload } from './results.js';
import { scoresUpload, templateDownload } from './scores.js';

export const COMMANDS: Command[] = [
  methodologyImport, methodologyExport, cycleCreate, cycleStatus, templateDownload, scoresUpload, resultsDownload, publicationExport,
];

export const GROUPS = [...new Set(COMMANDS.map((c) => c.group))];

export const GLOBAL_OPTIONS: Record<string, OptionSpec & { short?: string }> = {
  url: { type: 'string', value: 'url', description: 'the service (env PAR_URL; default http://localhost:8787)' },
  db: { type: 'string', value: 'file', description: 'work on a local database file instead of a service: the same app runs in this process, as the administrator; an empty file is seeded as npm start seeds it' },
  key: { type: 'string', value: 'key', description: 'an API key (env PAR_KEY, which other users cannot see in the process list)' },
  json: { type: 'boolean', description: 'print the service\'s JSON answer on stdout instead of a summary' },
  quiet: { type: 'boolean', description: 'no progress output on stderr' },
  timeout: { type: 'string', value: 'seconds', description: 'give up on a request after this long (env PAR_TIMEOUT; default 300)' },
  help: { type: 'boolean', short: 'h', description: 'this help; par-index <command> --help for a command\'s' },
  version: { type: 'boolean', description: 'the version of par-index' },
};

export const findCommand = (group?: string, name?: string) => COMMANDS.find((c) => c.group === group && c.name === name);
