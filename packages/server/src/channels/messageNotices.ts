import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Db, Queryable } from '../db/Db.ts';
import { PgliteDb } from '../db/pgliteDb.ts';
import { PostgresDb } from '../db/postgresDb.ts';

/** The PostgreSQL notification channel every CareLoop process listens on. */
export const noticeChannel = 'careloop_messages';

/** What changed, as ids only: message content never travels through NOTIFY. */
export interface MessageNotice {
  /** [memberId, messageId] pairs that entered the member's inbox (delivered or sent). */
  inbox: [string, string][];
  /** Deliveries queued for an outside channel: wakes the senders. */
  queued: number;
}

// NOTIFY payloads must stay under 8000 bytes; an id pair is ~60.
const maxPayloadChars = 7000;

/**
 * Announces changes from inside the writer's transaction with pg_notify. PostgreSQL (and PGlite)
 * deliver a notification only when that transaction commits, so a listener never hears of a
 * message that was rolled back, and every process on the database hears it (LISTEN/NOTIFY is the
 * multi-instance bus). NOTIFY takes a global lock at commit: one call per dispatch batch, not per
 * message.
 */
export async function notifyMessages(tx: Queryable, notice: MessageNotice): Promise<void> {
  if (notice.inbox.length === 0 && notice.queued === 0) return;
  const payloads: string[] = [];
  let batch: [string, string][] = [];
  let size = 0;
  for (const pair of notice.inbox) {
    const len = pair[0].length + pair[1].length + 8;
    if (size + len > maxPayloadChars && batch.length > 0) {
      payloads.push(JSON.stringify({ i: batch, q: 0 }));
      batch = [];
      size = 0;
    }
    batch.push(pair);
    size += len;
  }
  payloads.push(JSON.stringify({ i: batch, q: notice.queued }));
  for (const p of payloads) await tx.query('SELECT pg_notify($1, $2)', [noticeChannel, p]);
}

export function parseNotice(payload: string): MessageNotice | null {
  try {
    const v = JSON.parse(payload) as { i?: unknown; q?: unknown };
    const inbox = Array.isArray(v.i)
      ? v.i.filter(
          (p): p is [string, string] =>
            Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string',
        )
      : [];
    return { inbox, queued: typeof v.q === 'number' && v.q > 0 ? v.q : 0 };
  } catch {
    return null;
  }
}

type InboxListener = (messageIds: string[]) => void;

/**
 * The in-process fan-out of notifications: inbox streams subscribe per member, the sender to
 * "queued". Fed by LISTEN on the database (both drivers), so it sees changes made by every process.
 */
export class MessageNotices {
  readonly #byMember = new Map<string, Set<InboxListener>>();
  readonly #events = new EventEmitter();
  #stopListening: (() => Promise<void>) | null = null;
  #stopped = false;

  constructor() {
    this.#events.setMaxListeners(0);
  }

  /** Subscribes to one member's inbox arrivals; returns the unsubscribe function. */
  onInbox(memberId: string, fn: InboxListener): () => void {
    let set = this.#byMember.get(memberId);
    if (!set) this.#byMember.set(memberId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.#byMember.delete(memberId);
    };
  }

  onQueued(fn: (count: number) => void): () => void {
    this.#events.on('queued', fn);
    return () => this.#events.off('queued', fn);
  }

  /** Streams open right now (for /ops/channels). */
  get inboxSubscribers(): number {
    let n = 0;
    for (const s of this.#byMember.values()) n += s.size;
    return n;
  }

  /** Hands a notification to the subscribers (called by the listener; tests may call it too). */
  publish(notice: MessageNotice): void {
    const byMember = new Map<string, string[]>();
    for (const [m, id] of notice.inbox) {
      const list = byMember.get(m);
      if (list) list.push(id);
      else byMember.set(m, [id]);
    }
    for (const [m, ids] of byMember) {
      for (const fn of this.#byMember.get(m) ?? []) {
        try {
          fn(ids);
        } catch {
          // A broken stream must not stop the others; it cleans itself up on close.
        }
      }
    }
    if (notice.queued > 0) this.#events.emit('queued', notice.queued);
  }

  /** Starts listening on the database. Returns false when the driver offers no LISTEN. */
  async listen(db: Db, onError: (err: unknown) => void = () => undefined): Promise<boolean> {
    this.#stopped = false;
    const handle = (payload: string | undefined) => {
      const n = payload ? parseNotice(payload) : null;
      if (n) this.publish(n);
    };
    if (db instanceof PgliteDb) {
      const unlisten = await db.listen(noticeChannel, handle);
      this.#stopListening = unlisten;
      return true;
    }
    if (db instanceof PostgresDb) {
      await this.#listenPostgres(db, handle, onError);
      return true;
    }
    return false;
  }

  // LISTEN needs a connection of its own for as long as we listen: not one from the query pool.
  async #listenPostgres(
    db: PostgresDb,
    handle: (payload: string | undefined) => void,
    onError: (err: unknown) => void,
  ): Promise<void> {
    let client: pg.Client | null = null;
    let retry: NodeJS.Timeout | null = null;
    const connect = async (): Promise<void> => {
      const c = new pg.Client(db.pool.options);
      c.on('notification', (msg) => {
        if (msg.channel === noticeChannel) handle(msg.payload);
      });
      c.on('error', (err) => {
        onError(err);
        reconnect();
      });
      await c.connect();
      await c.query(`LISTEN ${noticeChannel}`);
      client = c;
    };
    const reconnect = () => {
      const old = client;
      client = null;
      void old?.end().catch(() => undefined);
      if (this.#stopped || retry) return;
      retry = setTimeout(() => {
        retry = null;
        connect().catch((err: unknown) => {
          onError(err);
          reconnect();
        });
      }, 1000);
      retry.unref();
    };
    await connect();
    this.#stopListening = async () => {
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.#stopped = true;
    const stop = this.#stopListening;
    this.#stopListening = null;
    await stop?.();
    this.#byMember.clear();
    this.#events.removeAllListeners();
  }
}
