// cycle create | status: opening a cycle and moving it through its phases.
import { cyclePath, jsonOf, text, unitTypeArg, yearArg, type Command } from './command.js';
import { usageError } from './errors.js';
import { send } from './http.js';
import { checked } from './problems.js';

interface Revision { revision: number; contentHash: string; decision: { number: string; date: string } | null }
interface Cycle { year: number; unitType: string; status: string; revision: number; dataVersion: number; methodology: { id: string; version: number }; published?: Revision | null }

const STATUSES = ['appraisal', 'review', 'published', 'correction'];

export const cycleCreate: Command = {
  group: 'cycle',
  name: 'create',
  args: ['<year>', '<unitType>'],
  summary: 'open a cycle with a stored methodology',
  options: {
    methodology: { type: 'string', value: 'id', description: 'the methodology\'s id (required)' },
    'methodology-version': { type: 'string', value: 'n', description: 'default: its latest version' },
  },
  examples: ['par-index cycle create 2025 province --methodology par-province-2022'],
  async run(ctx, [yearText, unitTypeText], options) {
    const methodology = text(options, 'methodology');
    if (!methodology) throw usageError('--methodology <id> is required');
    const version = text(options, 'methodology-version');
    if (version !== undefined && !/^[1-9]\d*$/.test(version)) throw usageError('--methodology-version must be a positive whole number');
    const body = { year: yearArg(yearText), unitType: unitTypeArg(unitTypeText), methodology, ...(version && { methodologyVersion: Number(version) }) };
    const answer = checked(await send(ctx.conn, '/v1/cycles', { method: 'POST', body: Buffer.from(JSON.stringify(body)) }));
    if (ctx.json) return ctx.say(answer.body.toString('utf8'));
    const c = jsonOf<Cycle>(answer.body);
    ctx.say(`opened the ${c.year} ${c.unitType} cycle with ${c.methodology.id} version ${c.methodology.version}; status ${c.status}`);
  },
};

export const cycleStatus: Command = {
  group: 'cycle',
  name: 'status',
  args: ['<year>', '<unitType>', '<status>'],
  summary: `move a cycle to its next phase: ${STATUSES.join(', ')}`,
  details: [
    'open → appraisal → review → published; published → correction (with --reason) → review → published again.',
    'A publication names its decision with --decision-number and --decision-date (both, or neither).',
  ],
  options: {
    reason: { type: 'string', value: 'text', description: 'why (required to open a correction; recorded in the audit)' },
    'decision-number': { type: 'string', value: 'number', description: 'with published: the decision\'s number as issued, e.g. 268/QĐ-BNV' },
    'decision-date': { type: 'string', value: 'YYYY-MM-DD', description: 'with published: the date the decision was signed' },
  },
  examples: [
    'par-index cycle status 2025 province review',
    'par-index cycle status 2025 province published --decision-number 268/QĐ-BNV --decision-date 2026-03-28',
  ],
  async run(ctx, [yearText, unitTypeText, status], options) {
    const year = yearArg(yearText);
    const unitType = unitTypeArg(unitTypeText);
    const body = { status, ...(text(options, 'reason') && { reason: text(options, 'reason') }), ...decisionOf(options) };
    const answer = checked(await send(ctx.conn, `${cyclePath(year, unitType)}/status`, { method: 'POST', body: Buffer.from(JSON.stringify(body)) }));
    if (ctx.json) return ctx.say(answer.body.toString('utf8'));
    const c = jsonOf<Cycle>(answer.body);
    ctx.say(`the ${c.year} ${c.unitType} cycle is now ${c.status}`);
    const p = c.published;
    if (p) ctx.say(`published revision ${p.revision}${p.decision ? ` by decision ${p.decision.number} of ${p.decision.date}` : ''}; content hash ${p.contentHash}`);
  },
};

function decisionOf(options: Record<string, string | boolean | undefined>) {
  const number = text(options, 'decision-number');
  const date = text(options, 'decision-date');
  if ((number === undefined) !== (date === undefined)) throw usageError('a decision needs both --decision-number and --decision-date');
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw usageError('--decision-date must be a date as YYYY-MM-DD');
  return number === undefined ? {} : { decision: { number: number.normalize('NFC'), date: date! } };
}
