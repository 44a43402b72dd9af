import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { Db, QueryResult, Queryable } from './Db.ts';
import { copyStatement } from './copyText.ts';

/** COPY … FROM STDIN on one client; the data is written in one piece (it is already in memory). */
async function copyInto(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  data: string | Uint8Array,
): Promise<number> {
  const stream = client.query(copyFromStdin(copyStatement(table, columns, 'STDIN', data)));
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(
      typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    );
  });
  return Number(stream.rowCount ?? 0);
}

// Keep int8/numeric as strings as pg does by default; SQL casts ids to text so both drivers agree.
export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;

  constructor(readonly pool: pg.Pool) {}

  static open(
    connectionString: string,
    opts: { max?: number; searchPath?: string } = {},
  ): PostgresDb {
    const pool = new pg.Pool({
      connectionString,
      max: opts.max ?? 10,
      ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    return new PostgresDb(pool);
  }

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    const r = await this.pool.query(sql, params as unknown[]);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
  }

  /** Outside a transaction the COPY commits on its own (all rows or none). */
  async copyFrom(
    table: string,
    columns: readonly string[],
    data: string | Uint8Array,
  ): Promise<number> {
    const client = await this.pool.connect();
    try {
      return await copyInto(client, table, columns, data);
    } finally {
      client.release();
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // Statements issued without waiting (the ingest sends its COPY behind the state read) run in
    // order, one at a time on this client: pg 8 would queue them itself but deprecates doing so.
    let queue: Promise<unknown> = Promise.resolve();
    const inTurn = <R>(run: () => Promise<R>): Promise<R> => {
      const p = queue.then(run, run);
      queue = p.catch(() => undefined);
      return p;
    };
    try {
      await client.query('BEGIN');
      const q: Queryable = {
        query: <R>(sql: string, params: readonly unknown[] = []) =>
          inTurn(async () => {
            const r = await client.query(sql, params as unknown[]);
            return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
          }),
        copyFrom: (table, columns, data) => inTurn(() => copyInto(client, table, columns, data)),
      };
      const result = await fn(q);
      await queue;
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await queue;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
