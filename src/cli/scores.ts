// scores upload | template download: a cycle's scores in bulk, all or nothing.
import { cyclePath, jsonOf, query, text, unitTypeArg, yearArg, type Command } from './command.js';
import { dispositionName, inputFile, MEDIA_TYPES, writeOutput } from './files.js';
import { send } from './http.js';
import { checked } from './problems.js';
import { formatBytes } from './progress.js';

interface IngestResult { dryRun: boolean; received: number; inserted: number; updated: number; unchanged: number; dataVersion: number; changed: boolean; message: string }

export const scoresUpload: Command = {
  group: 'scores',
  name: 'upload',
  args: ['<year>', '<unitType>', '<file>'],
  summary: 'upload a cycle\'s scores from a CSV (unit,indicator,source,value[,note,evidence,reason]), a filled template (.xlsx) or JSON',
  details: [
    'All or nothing: one bad row refuses the whole file, and every bad row is listed with its row and column (and sheet).',
    'Uploading the same file twice changes nothing the second time.',
  ],
  options: { 'dry-run': { type: 'boolean', description: 'check every row; write nothing' } },
  examples: ['par-index scores upload 2025 province scores.csv --dry-run', 'par-index scores upload 2025 province template-filled.xlsx'],
  async run(ctx, [yearText, unitTypeText, path], options) {
    const year = yearArg(yearText);
    const unitType = unitTypeArg(unitTypeText);
    const file = inputFile(path, ['csv', 'xlsx', 'json']);
    const dryRun = options['dry-run'] === true;
    const answer = checked(await send(ctx.conn, `${cyclePath(year, unitType)}/scores${query({ dryRun: dryRun ? 'true' : undefined })}`, {
      method: 'PUT', body: file.body, contentType: file.contentType, upload: path,
    }), path);
    if (ctx.json) return ctx.say(answer.body.toString('utf8'));
    const r = jsonOf<IngestResult>(answer.body);
    const counts = `${r.received} rows: ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged`;
    if (r.dryRun) ctx.say(`dry run, nothing written: every row is valid; ${counts}`);
    else ctx.say(`${r.changed ? 'written' : 'nothing changed (the same scores are stored)'}: ${counts}; data version ${r.dataVersion}`);
  },
};

/** The score template's path on the API (the XLSX score helper's route). */
export const TEMPLATE_PATH = '/scores/template';

export const templateDownload: Command = {
  group: 'template',
  name: 'download',
  args: ['<year>', '<unitType>'],
  summary: 'download a cycle\'s score template (.xlsx): every sub-criterion of every unit the key may fill',
  options: { out: { type: 'string', value: 'file', description: 'where to write (- for stdout); default: the name the service gives' } },
  examples: ['par-index template download 2025 province --out template-2025.xlsx'],
  async run(ctx, [yearText, unitTypeText], options) {
    const year = yearArg(yearText);
    const unitType = unitTypeArg(unitTypeText);
    const answer = checked(await send(ctx.conn, `${cyclePath(year, unitType)}${TEMPLATE_PATH}`, { accept: MEDIA_TYPES.xlsx, download: `the ${year} ${unitType} template` }));
    const where = writeOutput(text(options, 'out') ?? dispositionName(answer) ?? `par-index-${year}-${unitType}-template.xlsx`, answer.body);
    if (where !== 'stdout') ctx.say(`wrote ${where} (${formatBytes(answer.body.length)})`);
  },
};
