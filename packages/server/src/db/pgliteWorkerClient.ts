import { Worker } from 'node:worker_threads';

export interface PgliteEngineResult<T> {
  rows: T[];
  rowCount: number;
}

/** What PgliteDb needs from an embedded database, on this thread or on a worker thread. */
export interface PgliteEngine {
  query<T>(sql: string, params: readonly unknown[]): Promise<PgliteEngineResult<T>>;
  exec(sql: string): Promise<void>;
  /** COPY … FROM '/dev/blob' with the data (text or binary COPY format) as the blob. */
  copy(sql: string, data: string | Uint8Array): Promise<number>;
  dump(): Promise<Blob>;
  /** LISTEN on a channel; resolves to the function that stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** An error thrown on the worker, carried back with its fields (code, detail, constraint, …). */
export class PgliteWorkerError extends Error {
  [field: string]: unknown;
  constructor(fields: Record<string, unknown>) {
    super(String(fields.message ?? 'PGlite error'));
    Object.assign(this, fields);
    this.name = String(fields.name ?? 'Error');
  }
}

interface Answer {
  id?: number;
  notify?: string;
  payload?: string;
  ok: boolean;
  value?: unknown;
  error?: Record<string, unknown>;
}

/** PGlite on a worker thread (pgliteWorker.mjs), one request in flight per call, answered by id. */
export class PgliteWorkerEngine implements PgliteEngine {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  #nextId = 1;
  #dead: Error | null = null;

  private constructor() {
    this.#worker = new Worker(new URL('./pgliteWorker.mjs', import.meta.url));
    this.#worker.on('message', (a: Answer) => {
      if (a.notify !== undefined) {
        for (const fn of this.#listeners.get(a.notify) ?? []) fn(a.payload ?? '');
        return;
      }
      const p = this.#pending.get(a.id ?? -1);
      if (!p) return;
      this.#pending.delete(a.id ?? -1);
      if (this.#pending.size === 0) this.#worker.unref();
      if (a.ok) p.resolve(a.value);
      else p.reject(new PgliteWorkerError(a.error ?? {}));
    });
    const fail = (err: Error) => {
      this.#dead = err;
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`PGlite worker exited (code ${code})`)));
  }

  static async open(
    opts: { dataDir?: string; loadDataDir?: Blob } = {},
  ): Promise<PgliteWorkerEngine> {
    const engine = new PgliteWorkerEngine();
    const load = opts.loadDataDir ? await opts.loadDataDir.arrayBuffer() : undefined;
    try {
      await engine.#call(
        { op: 'open', dataDir: opts.dataDir, loadDataDir: load },
        load ? [load] : [],
      );
    } catch (err) {
      await engine.#worker.terminate();
      throw err;
    }
    return engine;
  }

  #call(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      // Referenced only while a request is out: an idle database never keeps the process alive,
      // a query in flight always does.
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...msg, id }, transfer);
    });
  }

  query<T>(sql: string, params: readonly unknown[]): Promise<PgliteEngineResult<T>> {
    return this.#call({ op: 'query', sql, params }) as Promise<PgliteEngineResult<T>>;
  }

  async exec(sql: string): Promise<void> {
    await this.#call({ op: 'exec', sql });
  }

  copy(sql: string, data: string | Uint8Array): Promise<number> {
    if (typeof data === 'string') return this.#call({ op: 'copy', sql, data }) as Promise<number>;
    // A copy of exactly these bytes, handed over rather than cloned (the view may share a larger
    // buffer that must stay usable here).
    const bytes = new Uint8Array(data);
    return this.#call({ op: 'copy', sql, data: bytes }, [bytes.buffer]) as Promise<number>;
  }

  async dump(): Promise<Blob> {
    return new Blob([(await this.#call({ op: 'dump' })) as ArrayBuffer]);
  }

  async listen(
    channel: string,
    onPayload: (payload: string) => void,
  ): Promise<() => Promise<void>> {
    let set = this.#listeners.get(channel);
    if (!set) this.#listeners.set(channel, (set = new Set()));
    set.add(onPayload);
    await this.#call({ op: 'listen', channel });
    return async () => {
      set.delete(onPayload);
      if (set.size > 0) return;
      this.#listeners.delete(channel);
      await this.#call({ op: 'unlisten', channel }).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    try {
      await this.#call({ op: 'close' });
    } finally {
      this.#worker.removeAllListeners('exit');
      await this.#worker.terminate();
    }
  }
}
