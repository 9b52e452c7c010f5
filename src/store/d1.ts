// The Cloudflare D1 driver. D1 has no interactive transactions: atomic() sends every step as
// one batch, which D1 runs as a single transaction. Bulk inserts are cut into multi-row
// statements within D1's limit of 100 bound parameters per statement.
import { drizzle } from 'drizzle-orm/d1';
import * as tables from '../../schema/tables.js';
import { D1_MAX_PARAMETERS, isBulk, rowPlaceholders, type BulkInsert, type Db, type Driver, type Step } from './driver.js';

const drivers = new WeakMap<D1Database, Driver>();

/** One driver per binding, so that its memory caches live as long as the isolate. */
export function openD1(d1: D1Database): Driver {
  let driver = drivers.get(d1);
  if (!driver) drivers.set(d1, (driver = createD1Driver(d1)));
  return driver;
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
      if (statements.length) await d1.batch(statements);
    },
  };
}

export function bulkStatements(step: BulkInsert): { sql: string; params: unknown[] }[] {
  const perStatement = Math.max(1, Math.floor(D1_MAX_PARAMETERS / step.columns));
  const out: { sql: string; params: unknown[] }[] = [];
  for (let i = 0; i < step.rows.length; i += perStatement) {
    const rows = step.rows.slice(i, i + perStatement);
    out.push({
      sql: `${step.head} ${rows.map(() => rowPlaceholders(step.columns)).join(', ')} ${step.tail}`,
      params: rows.flat(),
    });
  }
  return out;
}
