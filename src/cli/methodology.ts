// methodology import | export: the annex-shaped tables (CSV or XLSX) in and out of the service.
import { choice, jsonOf, query, text, type Command } from './command.js';
import { usageError } from './errors.js';
import { dispositionName, inputFile, writeOutput } from './files.js';
import { send } from './http.js';
import { checked } from './problems.js';
import { formatBytes } from './progress.js';

interface DryRun {
  id: string; version: number; mode: string; contentHash: string; stored: 'new' | 'same' | 'conflict';
  nodes: number; leaves: number; levels: number[]; total: number | null;
  domains: { code: string; max: number | null; weight: number; nodes: number; leaves: number }[];
}
interface Stored { id: string; version: number; mode: string; contentHash: string; nodes: number; leaves: number; provisionalNodes: number }

const STORED_SAYS = { new: 'new: not stored yet', same: 'already stored with this content', conflict: 'CONFLICT: this version is stored with other content; importing would be refused' };

export const methodologyImport: Command = {
  group: 'methodology',
  name: 'import',
  args: ['<file>'],
  summary: 'import a methodology from its tables (.csv or .xlsx, as export writes them; .json: the document)',
  details: [
    'Every problem is listed at once with its place (sheet, row, column) and nothing is stored while any remains.',
    'With --dry-run the service checks the file and shows the tree (nodes per level, domains, totals, content hash).',
  ],
  options: { 'dry-run': { type: 'boolean', description: 'check and show the tree; store nothing' } },
  examples: ['par-index methodology import annex-876.xlsx --dry-run', 'par-index methodology import annex-876.xlsx'],
  async run(ctx, [path], options) {
    const file = inputFile(path, ['csv', 'xlsx', 'json']);
    const dryRun = options['dry-run'] === true;
    const answer = checked(await send(ctx.conn, `/v1/methodologies${query({ dryRun: dryRun ? 'true' : undefined })}`, {
      method: 'POST', body: file.body, contentType: file.contentType, upload: path,
    }), path);
    if (ctx.json) return ctx.say(answer.body.toString('utf8'));
    if (dryRun) return sayDryRun(ctx.say, jsonOf<DryRun>(answer.body));
    const m = jsonOf<Stored>(answer.body);
    ctx.say(`${answer.status === 201 ? 'stored' : 'already stored, unchanged:'} ${m.id} version ${m.version} (${m.mode}; ${m.nodes} nodes, ${m.leaves} leaves, ${m.provisionalNodes} provisional)`);
    ctx.say(`content hash ${m.contentHash}`);
  },
};

function sayDryRun(say: (line: string) => void, d: DryRun) {
  say(`dry run, nothing stored: ${d.id} version ${d.version} (${d.mode}), ${STORED_SAYS[d.stored]}`);
  say(`${d.nodes} nodes, ${d.leaves} leaves; nodes per level ${d.levels.join(', ')}${d.total === null ? '' : `; total ${d.total}`}`);
  for (const domain of d.domains) {
    say(`  ${domain.code}: ${domain.max === null ? `weight ${domain.weight}` : `max ${domain.max}`}, ${domain.nodes} nodes, ${domain.leaves} leaves`);
  }
  say(`content hash ${d.contentHash}`);
}

const FORMATS = ['csv', 'xlsx', 'json'] as const;

export const methodologyExport: Command = {
  group: 'methodology',
  name: 'export',
  args: ['<id>'],
  summary: 'export a stored methodology as the tables import takes back (the same content hash)',
  options: {
    format: { type: 'string', value: 'csv|xlsx|json', description: 'default: the extension of --out, else csv' },
    out: { type: 'string', value: 'file', description: 'where to write (- for stdout); default: the name the service gives, e.g. par-province-2022-v1.csv' },
    'methodology-version': { type: 'string', value: 'n', description: 'a stored version; default: the latest' },
    lang: { type: 'string', value: 'vi|en', description: 'the language of the headers; default vi' },
  },
  examples: ['par-index methodology export par-province-2022 --format xlsx --out annex.xlsx'],
  async run(ctx, [id], options) {
    const out = text(options, 'out');
    const byExtension = out?.match(/\.(csv|xlsx|json)$/i)?.[1].toLowerCase();
    const format = choice('format', options.format ?? byExtension, FORMATS, 'csv');
    const version = text(options, 'methodology-version');
    if (version !== undefined && !/^[1-9]\d*$/.test(version)) throw usageError('--methodology-version must be a positive whole number');
    const lang = choice('lang', options.lang, ['vi', 'en'] as const, 'vi');
    const path = `/v1/methodologies/${encodeURIComponent(id)}${query({ format, version, lang: format === 'json' ? undefined : lang })}`;
    const answer = checked(await send(ctx.conn, path, { download: id }));
    const where = writeOutput(out ?? dispositionName(answer) ?? `${id}.${format}`, answer.body);
    if (where !== 'stdout') ctx.say(`wrote ${where} (${formatBytes(answer.body.length)})`);
  },
};
