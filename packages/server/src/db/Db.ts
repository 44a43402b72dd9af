/**
 * One Postgres dialect, two drivers: embedded PGlite (default, ./.careloop/) and a PostgreSQL server
 * (DATABASE_URL). Everything above this interface writes the same SQL for both.
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<T>>;
  /**
   * Bulk load: `COPY table (columns) FROM STDIN`, in PostgreSQL's text format when given a string
   * (`copyText.ts` writes it) or its binary format when given bytes (`copyBinary.ts`). The fastest
   * way in on both drivers (decision 0008); returns the number of rows loaded.
   */
  copyFrom(table: string, columns: readonly string[], data: string | Uint8Array): Promise<number>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
