// PGlite on its own thread (decision 0008): the embedded database's work (WASM, single-threaded)
// runs beside the Node thread that parses input, computes profiles and serves HTTP, instead of
// taking turns with it. Plain JavaScript so that it loads the same under tsx, vitest and node.
// The protocol is one request → one answer, matched by id; pgliteWorkerClient.ts is the other end.
import { parentPort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** @type {PGlite | null} */
let pg = null;
/** @type {Map<string, () => Promise<void>>} */
const unlisteners = new Map();

/** @param {unknown} err */
function serialiseError(err) {
  if (!(err instanceof Error)) return { message: String(err), name: 'Error' };
  /** @type {Record<string, unknown>} */
  const out = { message: err.message, name: err.name };
  for (const [k, v] of Object.entries(err)) {
    if (v === undefined || typeof v === 'function') continue;
    if (typeof v === 'object' && v !== null) continue;
    out[k] = v;
  }
  return out;
}

/** @param {{ op: string } & Record<string, any>} msg */
async function handle(msg) {
  if (msg.op === 'open') {
    pg = await PGlite.create({
      ...(msg.dataDir ? { dataDir: msg.dataDir } : {}),
      ...(msg.loadDataDir ? { loadDataDir: new Blob([msg.loadDataDir]) } : {}),
    });
    return null;
  }
  if (!pg) throw new Error('PGlite worker: not open');
  switch (msg.op) {
    case 'query': {
      const r = await pg.query(msg.sql, msg.params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    }
    case 'exec':
      await pg.exec(msg.sql);
      return null;
    case 'copy': {
      const r = await pg.query(msg.sql, [], { blob: new Blob([msg.data]) });
      return r.affectedRows ?? 0;
    }
    case 'listen': {
      // Notifications travel as messages without an id: { notify: channel, payload }.
      if (!unlisteners.has(msg.channel)) {
        const stop = await pg.listen(msg.channel, (payload) =>
          port.postMessage({ notify: msg.channel, payload }),
        );
        unlisteners.set(msg.channel, stop);
      }
      return null;
    }
    case 'unlisten': {
      const stop = unlisteners.get(msg.channel);
      unlisteners.delete(msg.channel);
      await stop?.();
      return null;
    }
    case 'dump': {
      const blob = await pg.dumpDataDir('none');
      return await blob.arrayBuffer();
    }
    case 'close':
      await pg.close();
      pg = null;
      return null;
    default:
      throw new Error(`PGlite worker: unknown operation '${msg.op}'`);
  }
}

if (!parentPort) throw new Error('pgliteWorker.mjs runs as a worker thread');
const port = parentPort;
port.on('message', (msg) => {
  handle(msg).then(
    (value) => {
      const transfer = value instanceof ArrayBuffer ? [value] : [];
      port.postMessage({ id: msg.id, ok: true, value }, transfer);
    },
    (err) => port.postMessage({ id: msg.id, ok: false, error: serialiseError(err) }),
  );
});
