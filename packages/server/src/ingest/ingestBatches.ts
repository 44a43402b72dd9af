import type { IngestItemResult } from '@careloop/core';
import {
  ingestItems,
  type IngestContext,
  type IngestOptions,
  type IngestReport,
} from './ingestItems.ts';

/** One unit of all-or-nothing work: the items of one FHIR transaction bundle, say. */
export interface IngestBatch {
  items: readonly IngestItemResult[];
  opts?: IngestOptions;
}

export interface IngestBatchesOptions {
  /**
   * Transactions in flight at once. The database works in its own process (PostgreSQL) or thread
   * (PGlite, decision 0008), so while one batch's statements run, the next batch is parsed and its
   * profile computed (decision 0005). PGlite has one connection: its batches still commit one at a
   * time, but the next one is ready when the connection frees.
   */
  concurrency?: number;
  /** Told each batch's report, in input order. */
  onReport?: (report: IngestReport, index: number) => void;
}

/** Every member reference a batch writes to (Patient external refs and observation subjects). */
function memberRefsOf(batch: IngestBatch): Set<string> {
  const refs = new Set<string>();
  for (const item of batch.items) {
    if (!item.ok) continue;
    const r = item.record;
    refs.add(r.kind === 'member' ? r.value.externalRef : r.value.memberRef);
  }
  return refs;
}

/**
 * Ingests independent batches, each in its own transaction with `ingestItems`' guarantees, keeping
 * up to `concurrency` of them in flight. A batch that shares a member with one still in flight waits
 * for it, so each member's batches are applied in input order. Returns the reports in input order.
 */
export async function ingestBatches(
  ctx: IngestContext,
  batches: Iterable<IngestBatch> | AsyncIterable<IngestBatch>,
  opts: IngestBatchesOptions = {},
): Promise<IngestReport[]> {
  const concurrency = Math.max(1, opts.concurrency ?? (ctx.db.kind === 'postgres' ? 3 : 2));
  const reports: IngestReport[] = [];
  const inFlight = new Map<Promise<void>, Set<string>>();
  let failure: unknown = null;
  let index = 0;
  let nextToReport = 0;
  const done = new Map<number, IngestReport>();

  const report = (i: number, r: IngestReport) => {
    done.set(i, r);
    for (let d = done.get(nextToReport); d !== undefined; d = done.get(nextToReport)) {
      done.delete(nextToReport);
      reports.push(d);
      opts.onReport?.(d, nextToReport);
      nextToReport++;
    }
  };

  for await (const batch of batches) {
    const refs = memberRefsOf(batch);
    const overlaps = (): Promise<void>[] =>
      [...inFlight].filter(([, r]) => [...refs].some((x) => r.has(x))).map(([p]) => p);
    for (let wait = overlaps(); wait.length > 0; wait = overlaps()) await Promise.race(wait);
    while (inFlight.size >= concurrency) await Promise.race(inFlight.keys());
    if (failure !== null) break;
    const i = index++;
    const p: Promise<void> = ingestItems(ctx, batch.items, batch.opts)
      .then((r) => report(i, r))
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => inFlight.delete(p));
    inFlight.set(p, refs);
  }
  await Promise.all(inFlight.keys());
  if (failure !== null) throw failure;
  return reports;
}
