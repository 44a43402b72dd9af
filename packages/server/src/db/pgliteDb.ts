import { PGlite } from '@electric-sql/pglite';
import type { Db, QueryResult, Queryable } from './Db.ts';
import { copyStatement } from './copyText.ts';
import { Mutex } from './mutex.ts';
import { PgliteWorkerEngine, type PgliteEngine } from './pgliteWorkerClient.ts';

/** PGlite on the calling thread. */
class PgliteThreadEngine implements PgliteEngine {
  constructor(readonly pg: PGlite) {}
  async query<T>(sql: string, params: readonly unknown[]) {
    const r = await this.pg.query<T>(sql, params as unknown[]);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  }
  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }
  async copy(sql: string, data: string | Uint8Array): Promise<number> {
    const part = typeof data === 'string' ? data : new Uint8Array(data);
    const r = await this.pg.query(sql, [], { blob: new Blob([part]) });
    return r.affectedRows ?? 0;
  }
  async dump(): Promise<Blob> {
    return (await this.pg.dumpDataDir('none')) as Blob;
  }
  listen(channel: string, onPayload: (payload: string) => void) {
    return this.pg.listen(channel, onPayload);
  }
  close(): Promise<void> {
    return this.pg.close();
  }
}

export interface PgliteOpenOptions {
  /**
   * Where PGlite runs. 'worker' (the default) puts it on a worker thread so that the database's
   * work overlaps parsing, profiling and HTTP on the main thread (decision 0008); 'main' keeps it
   * on the calling thread.
   */
  thread?: 'worker' | 'main';
}

/** Embedded Postgres (WASM). One connection: every statement and transaction is serialised. */
export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  readonly #mutex = new Mutex();

  constructor(readonly engine: PgliteEngine) {}

  static async open(
    dataDir?: string,
    loadDataDir?: Blob,
    opts: PgliteOpenOptions = {},
  ): Promise<PgliteDb> {
    if ((opts.thread ?? 'worker') === 'worker') {
      return new PgliteDb(
        await PgliteWorkerEngine.open({
          ...(dataDir ? { dataDir } : {}),
          ...(loadDataDir ? { loadDataDir } : {}),
        }),
      );
    }
    const pg = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
    });
    return new PgliteDb(new PgliteThreadEngine(pg));
  }

  query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    return this.#mutex.run(() => this.engine.query<T>(sql, params));
  }

  copyFrom(table: string, columns: readonly string[], data: string | Uint8Array): Promise<number> {
    return this.#mutex.run(() => this.#copy(table, columns, data));
  }

  #copy(table: string, columns: readonly string[], data: string | Uint8Array): Promise<number> {
    return this.engine.copy(copyStatement(table, columns, `'/dev/blob'`, data), data);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      await this.engine.exec('BEGIN');
      const q: Queryable = {
        query: <R>(sql: string, params: readonly unknown[] = []) =>
          this.engine.query<R>(sql, params),
        copyFrom: (table, columns, data) => this.#copy(table, columns, data),
      };
      try {
        const result = await fn(q);
        await this.engine.exec('COMMIT');
        return result;
      } catch (err) {
        await this.engine.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** LISTEN (no mutex: notifications arrive outside any statement). */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    return this.engine.listen(channel, onPayload);
  }

  /** A tarball of the data directory: tests load a migrated snapshot instead of running initdb each time. */
  dump(): Promise<Blob> {
    return this.#mutex.run(() => this.engine.dump());
  }

  close(): Promise<void> {
    return this.#mutex.run(() => this.engine.close());
  }
}
