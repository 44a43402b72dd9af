import { PGlite } from '@electric-sql/pglite';
import type { Db, QueryResult, Queryable } from './Db.ts';
import { Mutex } from './mutex.ts';

type PGliteLike = Pick<PGlite, 'query' | 'exec' | 'close' | 'transaction' | 'dumpDataDir'>;

/** Embedded Postgres (WASM). One connection: every statement and transaction is serialised. */
export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  readonly #mutex = new Mutex();

  constructor(readonly pg: PGliteLike) {}

  static async open(dataDir?: string, loadDataDir?: Blob): Promise<PgliteDb> {
    const pg = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
    });
    return new PgliteDb(pg);
  }

  query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    return this.#mutex.run(() => this.#raw<T>(this.pg, sql, params));
  }

  async #raw<T>(
    q: Pick<PGlite, 'query'>,
    sql: string,
    params: readonly unknown[],
  ): Promise<QueryResult<T>> {
    const r = await q.query<T>(sql, params as unknown[]);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#mutex.run(() =>
      this.pg.transaction(async (tx) => {
        const q: Queryable = {
          query: <R>(sql: string, params: readonly unknown[] = []) => this.#raw<R>(tx, sql, params),
        };
        return fn(q);
      }),
    );
  }

  /** A tarball of the data directory: tests load a migrated snapshot instead of running initdb each time. */
  dump(): Promise<Blob> {
    return this.#mutex.run(() => this.pg.dumpDataDir('none') as Promise<Blob>);
  }

  close(): Promise<void> {
    return this.#mutex.run(() => this.pg.close());
  }
}
