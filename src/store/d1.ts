// The Cloudflare D1 driver. D1 has no interactive transactions: atomic() sends every step as
// one batch, which D1 runs as a single transaction, so a write is all or nothing however large.
//
// D1's limits shape how steps become statements (https://developers.cloudflare.com/d1/platform/limits/):
// 100 bound parameters and 100 KB of SQL per statement, 2 MB per string, 1,000 statements per
// batch and 1,000 queries per invocation (Workers Paid). A bulk insert is therefore not cut into
// multi-row VALUES of at most 100 parameters (a 10,000-row upload would be 1,000+ statements):
// its rows travel as ONE bound parameter, a JSON array that json_each() expands inside SQLite,
// cut only where that text would pass D1's 2 MB per string. The largest upload the API takes
// (64 MiB) is then a few hundred statements at most, well within one batch.
import { drizzle } from 'drizzle-orm/d1';
import * as tables from '../../schema/tables.js';
import { D1_MAX_BATCH_STATEMENTS, isBulk, type BulkInsert, type Db, type Driver, type Step } from './driver.js';

const drivers = new WeakMap<D1Database, Driver>();

/** One driver per binding, so that its memory caches live as long as the isolate. */
export function openD1(d1: D1Database): Driver {
  let driver = drivers.get(d1);
  if (!driver) drivers.set(d1, (driver = createD1Driver(d1)));
  return driver;
}

/** Thrown before anything is sent when a write would need more statements than one D1 batch takes. */
export class BatchTooLarge extends Error {
  constructor(readonly statements: number) {
    super(`This write needs ${statements} statements; one D1 batch (one transaction) takes at most ${D1_MAX_BATCH_STATEMENTS}.`);
    this.name = 'BatchTooLarge';
  }
}

function createD1Driver(d1: D1Database): Driver {
  const db = drizzle(d1, { schema: tables }) as unknown as Db;
  const prepare = (step: Step): D1PreparedStatement[] => {
    if (isBulk(step)) return bulkStatements(step).map(({ sql, params }) => d1.prepare(sql).bind(...params));
    const { sql, params } = step.toSQL();
    return [d1.prepare(sql).bind(...params)];
  };
  return {
    kind: 'd1', db,
    atomic: async (steps) => {
      const statements = steps.flatMap(prepare);
      if (statements.length > D1_MAX_BATCH_STATEMENTS) throw new BatchTooLarge(statements.length);
      if (statements.length) await d1.batch(statements);
    },
  };
}

/**
 * Characters of row JSON per statement: a UTF-16 unit is at most 3 bytes of UTF-8, so 600,000
 * of them stay under D1's 2,000,000 bytes per string whatever the text.
 */
export const MAX_JSON_CHARACTERS = 600_000;

/**
 * A bulk insert as statements of one bound parameter each: `INSERT … SELECT` over json_each of a
 * JSON array of rows, in the rows' order (ORDER BY key), keeping the step's conflict clause (the
 * WHERE is SQLite's rule for an upsert on a SELECT). Each row's JSON is built once.
 */
export function bulkStatements(step: BulkInsert): { sql: string; params: [string] }[] {
  const sql = jsonInsertSql(step);
  const out: { sql: string; params: [string] }[] = [];
  let part: string[] = [];
  let length = 0;
  const flush = () => {
    if (part.length) out.push({ sql, params: [`[${part.join(',')}]`] });
    part = [];
    length = 0;
  };
  for (const row of step.rows) {
    const json = JSON.stringify(row);
    if (length + json.length + 1 > MAX_JSON_CHARACTERS) flush();
    part.push(json);
    length += json.length + 1;
  }
  flush();
  return out;
}

export function jsonInsertSql(step: BulkInsert): string {
  const insert = /^([\s\S]*?)\s+VALUES\s*$/i.exec(step.head);
  if (!insert) throw new Error(`a bulk insert's head ends with VALUES: ${step.head}`);
  const columns = Array.from({ length: step.columns }, (_, i) => `json_extract(value, '$[${i}]')`).join(', ');
  return `${insert[1]} SELECT ${columns} FROM json_each(?) WHERE true ORDER BY key ${step.tail}`.trimEnd();
}
