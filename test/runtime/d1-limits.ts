// D1's production limits around the local D1 of the Worker tests, which enforces none of them:
// a statement, batch or request that production would refuse throws here too, so that the API
// suite fails locally where a deployment would. It also counts queries and batches per request.
// Numbers: https://developers.cloudflare.com/d1/platform/limits/ (Workers Paid).

export const D1_LIMITS = {
  /** bound parameters in one statement */
  parameters: 100,
  /** SQL text of one statement, in UTF-8 bytes */
  statementBytes: 100_000,
  /** one string or BLOB value (and one row), in bytes */
  valueBytes: 2_000_000,
  /** statements in one batch */
  batchStatements: 1000,
  /** queries in one Worker invocation; each statement of a batch counted as one query (the stricter reading) */
  queriesPerInvocation: 1000,
} as const;

export class D1LimitExceeded extends Error {
  constructor(message: string) {
    super(`D1 limit: ${message}`);
    this.name = 'D1LimitExceeded';
  }
}

/** What one request (invocation) asked of D1: queries counts every statement, batched or not. */
export interface D1Usage { queries: number; batches: number }

const encoder = new TextEncoder();
/** UTF-8 bytes; a string of n UTF-16 units is at most 3n bytes, so short ones are not encoded. */
const utf8Bytes = (text: string, limit: number) => (text.length * 3 <= limit ? text.length : encoder.encode(text).length);

function checkValue(value: unknown, where: string): void {
  const bytes = typeof value === 'string' ? utf8Bytes(value, D1_LIMITS.valueBytes)
    : value instanceof ArrayBuffer ? value.byteLength
      : ArrayBuffer.isView(value) ? value.byteLength : 0;
  if (bytes > D1_LIMITS.valueBytes) throw new D1LimitExceeded(`a ${bytes}-byte value ${where}; D1 allows ${D1_LIMITS.valueBytes} bytes per string, BLOB or row`);
}

function checkResult(result: unknown): void {
  const rows = Array.isArray(result) ? result : (result as { results?: unknown[] } | null)?.results ?? [result];
  for (const row of rows) {
    if (row && typeof row === 'object') for (const value of Object.values(row)) checkValue(value, 'in a result row');
    else checkValue(row, 'in a result');
  }
}

/** The binding the app is given: same API as D1Database, limits checked before anything is sent. */
export class LimitedD1 {
  private usage: D1Usage = { queries: 0, batches: 0 };
  private inRequest = false;

  constructor(readonly inner: D1Database) {}

  /** Starts counting a new invocation (the test harness calls it as each request begins). */
  beginRequest(): void {
    this.usage = { queries: 0, batches: 0 };
    this.inRequest = true;
  }

  /** Counts of the current (or last) request; before any request, of everything since the database opened. */
  current(): D1Usage {
    return { ...this.usage };
  }

  prepare(sql: string): D1PreparedStatement {
    const bytes = utf8Bytes(sql, D1_LIMITS.statementBytes);
    if (bytes > D1_LIMITS.statementBytes) throw new D1LimitExceeded(`a statement of ${bytes} bytes; D1 allows ${D1_LIMITS.statementBytes} bytes of SQL per statement`);
    return statement(this, this.inner.prepare(sql), []) as unknown as D1PreparedStatement;
  }

  async batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
    if (statements.length > D1_LIMITS.batchStatements) throw new D1LimitExceeded(`a batch of ${statements.length} statements; D1 allows ${D1_LIMITS.batchStatements} per batch`);
    this.count(statements.length, 1);
    const results = await this.inner.batch<T>(statements.map(unwrap));
    results.forEach(checkResult);
    return results;
  }

  exec(sql: string): Promise<D1ExecResult> {
    this.count(1, 0);
    return this.inner.exec(sql);
  }

  withSession(): D1DatabaseSession {
    throw new Error('withSession is not used by the app; add it to the limits wrapper if it comes to be');
  }

  dump(): Promise<ArrayBuffer> {
    return this.inner.dump();
  }

  /** Counts queries, refusing the one past the invocation's budget. */
  count(queries: number, batches: number): void {
    if (this.inRequest && this.usage.queries + queries > D1_LIMITS.queriesPerInvocation) {
      throw new D1LimitExceeded(`${this.usage.queries + queries} queries in one request; D1 allows ${D1_LIMITS.queriesPerInvocation} per Worker invocation`);
    }
    this.usage.queries += queries;
    this.usage.batches += batches;
  }
}

interface LimitedStatement { inner: D1PreparedStatement }
const unwrap = (s: D1PreparedStatement) => ((s as unknown as LimitedStatement).inner ?? s);

/** A prepared statement whose bind checks parameters and values, and whose runs are counted. */
function statement(d1: LimitedD1, inner: D1PreparedStatement, params: unknown[]) {
  const run = async <R>(call: () => Promise<R>): Promise<R> => {
    d1.count(1, 0);
    const result = await call();
    checkResult(result);
    return result;
  };
  return {
    inner,
    bind(...values: unknown[]) {
      if (values.length > D1_LIMITS.parameters) throw new D1LimitExceeded(`${values.length} bound parameters in one statement; D1 allows ${D1_LIMITS.parameters}`);
      values.forEach((v, i) => checkValue(v, `bound as parameter ${i + 1}`));
      return statement(d1, inner.bind(...values), values);
    },
    first: (column?: string) => run(() => (column === undefined ? inner.first() : inner.first(column))),
    run: () => run(() => inner.run()),
    all: () => run(() => inner.all()),
    raw: (options?: { columnNames?: boolean }) => run(() => inner.raw(options as { columnNames?: false })),
    params,
  };
}
