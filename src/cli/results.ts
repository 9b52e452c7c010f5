// results download | publication export: a cycle's numbers as files, pinned to one revision.
import { createHash } from 'node:crypto';
import { choice, cyclePath, jsonOf, query, revisionOption, text, unitTypeArg, yearArg, type Command, type RunContext } from './command.js';
import { CliError, EXIT, usageError } from './errors.js';
import { dispositionName, folder, inFolder, MEDIA_TYPES, writeOutput } from './files.js';
import { send } from './http.js';
import { checked } from './problems.js';
import { formatBytes } from './progress.js';

type Served = { kind: 'publication'; revision: number; contentHash: string; decision: { number: string; date: string } | null } | { kind: 'draft'; dataVersion: number };
interface Provenance { cycle: { year: number; unitType: string }; revision: Served }

const FORMATS = ['json', 'csv', 'xlsx'] as const;

/** Where JSON and CSV results are served; XLSX is looked up in the service's own contract (xlsxRoute). */
const RESULTS_PATH: Record<'json' | 'csv', { path: string; accept: string }> = {
  json: { path: '/results', accept: MEDIA_TYPES.json },
  csv: { path: '/results.csv', accept: 'text/csv' },
};

const revisionName = (r: Served) => (r.kind === 'publication' ? `r${r.revision}` : 'draft');

export const resultsDownload: Command = {
  group: 'results',
  name: 'download',
  args: ['<year>', '<unitType>'],
  summary: 'download a cycle\'s results (the latest publication unless --revision says otherwise)',
  options: {
    format: { type: 'string', value: 'json|csv|xlsx', description: 'default: the extension of --out, else json' },
    out: { type: 'string', value: 'file', description: 'where to write (- for stdout); default: the name the service gives, e.g. par-index-2025-province-r1.csv' },
    revision: { type: 'string', value: 'n|draft', description: 'a published revision, or the live draft (with a key that may read it)' },
    lang: { type: 'string', value: 'vi|en', description: 'xlsx: the language of the headers; default vi' },
  },
  examples: ['par-index results download 2024 province --format csv --out results-2024.csv'],
  async run(ctx, [yearText, unitTypeText], options) {
    const year = yearArg(yearText);
    const unitType = unitTypeArg(unitTypeText);
    const out = text(options, 'out');
    const format = choice('format', options.format ?? out?.match(/\.(json|csv|xlsx)$/i)?.[1].toLowerCase(), FORMATS, 'json');
    const lang = choice('lang', options.lang, ['vi', 'en'] as const, 'vi');
    const revision = revisionOption(options);
    const where = format === 'xlsx' ? await xlsxRoute(ctx, lang) : { ...RESULTS_PATH[format], query: {} };
    if (!where) throw new CliError(EXIT.refused, ['error: this service offers no XLSX of results (its OpenAPI document lists none); use --format csv']);
    const path = `${cyclePath(year, unitType)}${where.path}${query({ ...where.query, revision })}`;
    const answer = checked(await send(ctx.conn, path, { accept: where.accept, download: `the ${year} ${unitType} results` }));
    const name = out ?? dispositionName(answer) ?? `par-index-${year}-${unitType}-${revisionName(jsonOf<Provenance>(answer.body).revision)}.json`;
    const written = writeOutput(name, answer.body);
    if (written !== 'stdout') ctx.say(`wrote ${written} (${formatBytes(answer.body.length)})`);
  },
};

interface Part { name: string; path: string; accept: string }

export const publicationExport: Command = {
  group: 'publication',
  name: 'export',
  args: ['<year>', '<unitType>'],
  summary: 'export a publication in every format the service offers into a folder, all pinned to one revision',
  details: [
    'Writes the results (JSON, CSV and its CSVW metadata, XLSX when the service offers it), the statistics and the',
    'revision\'s bundle, and checks that the bundle\'s SHA-256 is the content hash the publication states.',
  ],
  options: {
    to: { type: 'string', value: 'folder', description: 'the folder to write into (made if missing; required)' },
    revision: { type: 'string', value: 'n', description: 'a published revision; default: the latest publication' },
    lang: { type: 'string', value: 'vi|en', description: 'the language of the spreadsheet; default vi' },
  },
  examples: ['par-index publication export 2024 province --to publication-2024'],
  async run(ctx, [yearText, unitTypeText], options) {
    const year = yearArg(yearText);
    const unitType = unitTypeArg(unitTypeText);
    const to = text(options, 'to');
    if (!to) throw usageError('--to <folder> is required');
    const revisionAsked = revisionOption(options);
    if (revisionAsked === 'draft') throw usageError('a publication is a published revision: --revision must be a number');
    const lang = choice('lang', options.lang, ['vi', 'en'] as const, 'vi');
    const base = cyclePath(year, unitType);
    const first = checked(await send(ctx.conn, `${base}/results${query({ revision: revisionAsked })}`, { download: 'results.json' }));
    const served = jsonOf<Provenance>(first.body).revision;
    if (served.kind !== 'publication') throw new CliError(EXIT.failure, ['error: the service served a draft where a publication was expected']);
    const dir = folder(to);
    const stem = `par-index-${year}-${unitType}-r${served.revision}`;
    const written = [{ name: `${stem}.json`, body: first.body }];
    for (const part of await parts(ctx, base, stem, served.revision, lang)) {
      const answer = checked(await send(ctx.conn, part.path, { accept: part.accept, download: part.name }));
      written.push({ name: part.name, body: answer.body });
    }
    const bundle = written.find((w) => w.name.endsWith('-bundle.json'))!;
    const hash = createHash('sha256').update(bundle.body).digest('hex');
    if (hash !== served.contentHash) throw new CliError(EXIT.failure, [`error: the bundle's SHA-256 ${hash} is not the publication's content hash ${served.contentHash}; nothing written`]);
    for (const w of written) writeOutput(inFolder(dir, w.name), w.body);
    if (ctx.json) return ctx.say(JSON.stringify({ folder: dir, revision: served.revision, contentHash: served.contentHash, files: written.map((w) => w.name) }));
    ctx.say(`exported revision ${served.revision} of the ${year} ${unitType} cycle${served.decision ? ` (decision ${served.decision.number} of ${served.decision.date})` : ''} to ${dir}:`);
    for (const w of written) ctx.say(`  ${w.name} (${formatBytes(w.body.length)})`);
    ctx.say(`content hash ${served.contentHash} (the bundle's SHA-256: checked)`);
  },
};

/** The files of a publication besides its JSON results; the XLSX when the service's contract lists it. */
async function parts(ctx: RunContext, base: string, stem: string, revision: number, lang: string): Promise<Part[]> {
  const pinned = query({ revision: String(revision) });
  const list: Part[] = [
    { name: `${stem}.csv`, path: `${base}/results.csv${pinned}`, accept: 'text/csv' },
    { name: `${stem}.csv-metadata.json`, path: `${base}/results.csv-metadata.json${pinned}`, accept: 'application/csvm+json' },
    { name: `${stem}-statistics.json`, path: `${base}/statistics${pinned}`, accept: MEDIA_TYPES.json },
    { name: `${stem}-bundle.json`, path: `${base}/revisions/${revision}/bundle`, accept: MEDIA_TYPES.json },
  ];
  const xlsx = await xlsxRoute(ctx, lang);
  if (xlsx) list.push({ name: `${stem}-${lang}.xlsx`, path: `${base}${xlsx.path}${query({ ...xlsx.query, revision: String(revision) })}`, accept: xlsx.accept });
  else ctx.warn('note: this service offers no XLSX of results (its OpenAPI document lists none); exporting the other formats');
  return list;
}

type Contract = { paths?: Record<string, { get?: { responses?: Record<string, { content?: Record<string, unknown> }> } }> };

/**
 * Where the service serves its results as XLSX, read from its own OpenAPI document: its own URL
 * (…/results.xlsx) or a format= of …/results; undefined when it offers none.
 */
async function xlsxRoute(ctx: RunContext, lang: string): Promise<{ path: string; query: Record<string, string>; accept: string } | undefined> {
  const doc = jsonOf<Contract>(checked(await send(ctx.conn, '/openapi.json')).body);
  const offers = (path: string) => MEDIA_TYPES.xlsx in (doc.paths?.[`/v1/cycles/{year}/{unitType}${path}`]?.get?.responses?.['200']?.content ?? {});
  if (offers('/results.xlsx')) return { path: '/results.xlsx', query: { lang }, accept: MEDIA_TYPES.xlsx };
  if (offers('/results')) return { path: '/results', query: { format: 'xlsx', lang }, accept: MEDIA_TYPES.xlsx };
  return undefined;
}
