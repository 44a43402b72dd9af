import type { IngestItemResult } from '@careloop/core';
import {
  ingestItemGroup,
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
   * (PGlite, decision 0008), so while one transaction's statements run, the next batches are parsed
   * and their profiles computed (decision 0005). PGlite has one connection: its transactions still
   * commit one at a time, but the next one is ready when the connection frees. PostgreSQL gets 4 by
   * default: 10 % more throughput than 3 in alternating runs, and 5 no more than 4 (decision 0008,
   * item 11).
   */
  concurrency?: number;
  /**
   * Batches that share one transaction (group commit, decision 0008) until they hold this many items
   * (default 5,000; 1 item means one transaction per batch). Each batch keeps its own report and its
   * all-or-nothing promise (`ingestItemGroup`).
   */
  groupItems?: number;
  /** Told each batch's report, in input order. */
  onReport?: (report: IngestReport, index: number) => void;
}

/** Every member reference a batch writes to (Patient external refs and observation subjects). */
function memberRefsOf(batch: IngestBatch, into: Set<string>): void {
  for (const item of batch.items) {
    if (!item.ok) continue;
    const r = item.record;
    into.add(r.kind === 'member' ? r.value.externalRef : r.value.memberRef);
  }
}

/**
 * Ingests independent batches, a group of them per transaction, keeping up to `concurrency`
 * transactions in flight. A group that shares a member with one still in flight waits for it, so
 * each member's batches are applied in input order. Returns the reports in input order.
 */
export async function ingestBatches(
  ctx: IngestContext,
  batches: Iterable<IngestBatch> | AsyncIterable<IngestBatch>,
  opts: IngestBatchesOptions = {},
): Promise<IngestReport[]> {
  const concurrency = Math.max(1, opts.concurrency ?? (ctx.db.kind === 'postgres' ? 4 : 2));
  const groupItems = Math.max(1, opts.groupItems ?? 5_000);
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

  const launch = async (group: IngestBatch[], refs: Set<string>): Promise<void> => {
    const overlaps = (): Promise<void>[] =>
      [...inFlight].filter(([, r]) => [...refs].some((x) => r.has(x))).map(([p]) => p);
    for (let wait = overlaps(); wait.length > 0; wait = overlaps()) await Promise.race(wait);
    while (inFlight.size >= concurrency) await Promise.race(inFlight.keys());
    if (failure !== null) return;
    const first = index;
    index += group.length;
    const p: Promise<void> = ingestItemGroup(ctx, group)
      .then((rs) => rs.forEach((r, k) => report(first + k, r)))
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => inFlight.delete(p));
    inFlight.set(p, refs);
  };

  let group: IngestBatch[] = [];
  let refs = new Set<string>();
  let items = 0;
  for await (const batch of batches) {
    group.push(batch);
    memberRefsOf(batch, refs);
    items += batch.items.length;
    if (items >= groupItems) {
      await launch(group, refs);
      group = [];
      refs = new Set();
      items = 0;
    }
    if (failure !== null) break;
  }
  if (group.length > 0 && failure === null) await launch(group, refs);
  await Promise.all(inFlight.keys());
  if (failure !== null) throw failure;
  return reports;
}
