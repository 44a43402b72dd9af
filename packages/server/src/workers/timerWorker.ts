import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/Db.ts';
import type { Clock } from '../clock.ts';
import type { CareEngine } from '../care/careEngine.ts';
import { dispatchDueBatch } from '../care/batchDispatch.ts';

export interface WorkerOptions {
  db: Db;
  clock: Clock;
  care: CareEngine;
  /** Abort to stop: the batch in flight commits (or rolls back), then runWorker resolves. */
  stopSignal: AbortSignal;
  /** Timers claimed per transaction. */
  timerBatchSize?: number;
  /** Members whose due messages are decided per transaction; 0 = this worker only fires timers. */
  dispatchBatchMembers?: number;
  /** Pause when there was nothing to do. */
  idleDelayMs?: number;
  /** Pause after a failed batch (a deadlock victim, a lost connection) before trying again. */
  errorDelayMs?: number;
  onBatch?: (batch: WorkerBatch) => void;
  onError?: (err: unknown) => void;
}

export interface WorkerBatch {
  timersClaimed: number;
  timersFired: number;
  timersSkipped: number;
  delivered: number;
  queued: number;
  deferred: number;
  suppressed: number;
}

export interface WorkerStats extends WorkerBatch {
  batches: number;
  errors: number;
}

/**
 * One scheduler worker: claim a batch of due timers and fire them, then run the contact policy over
 * a batch of due messages; repeat while there is work, pause when idle. Any number of processes may
 * run it on one database: claims use FOR UPDATE SKIP LOCKED (timers) and member locks (messages),
 * and each batch is one transaction, so a worker killed mid-batch loses nothing — PostgreSQL rolls
 * its transaction back and another worker claims the same timers again.
 */
export async function runWorker(opts: WorkerOptions): Promise<WorkerStats> {
  const { db, clock, care, stopSignal } = opts;
  const timerBatchSize = opts.timerBatchSize ?? 200;
  const dispatchMembers = opts.dispatchBatchMembers ?? 500;
  const idleDelayMs = opts.idleDelayMs ?? 1000;
  const errorDelayMs = opts.errorDelayMs ?? 1000;
  const stats: WorkerStats = {
    timersClaimed: 0,
    timersFired: 0,
    timersSkipped: 0,
    delivered: 0,
    queued: 0,
    deferred: 0,
    suppressed: 0,
    batches: 0,
    errors: 0,
  };
  while (!stopSignal.aborted) {
    let pause = 0;
    try {
      const now = clock.now();
      const timers = await care.fireDueTimerBatch(db, now, timerBatchSize);
      const sent =
        dispatchMembers > 0
          ? await db.transaction((tx) => dispatchDueBatch(tx, now, { maxMembers: dispatchMembers }))
          : null;
      const batch: WorkerBatch = {
        timersClaimed: timers.claimed,
        timersFired: timers.fired,
        timersSkipped: timers.skipped,
        delivered: sent?.delivered ?? 0,
        queued: sent?.queued ?? 0,
        deferred: sent?.deferred ?? 0,
        suppressed: sent?.suppressed ?? 0,
      };
      for (const k of Object.keys(batch) as (keyof WorkerBatch)[]) stats[k] += batch[k];
      stats.batches++;
      opts.onBatch?.(batch);
      const busy = timers.claimed > 0 || (sent !== null && sent.members > 0);
      // Due messages held by another worker come free within one of its batches: look again soon.
      if (!busy) pause = sent?.heldElsewhere ? Math.min(50, idleDelayMs) : idleDelayMs;
    } catch (err) {
      stats.errors++;
      opts.onError?.(err);
      pause = errorDelayMs;
    }
    if (pause > 0) await sleep(pause, undefined, { signal: stopSignal }).catch(() => undefined);
  }
  return stats;
}
