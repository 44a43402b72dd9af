import type { IngestItemResult } from '@careloop/core';
import {
  emptyReport,
  ingestItems,
  mergeReports,
  type IngestContext,
  type IngestOptions,
  type IngestReport,
} from './ingestItems.ts';

/**
 * Stores a stream of parsed items in bounded batches (each its own transaction), so an input of
 * hundreds of MB never sits in memory. A batch that fails does not undo the ones before it; re-running
 * the import is safe because every item is idempotent.
 */
export async function ingestStream(
  ctx: IngestContext,
  items: AsyncIterable<IngestItemResult> | Iterable<IngestItemResult>,
  opts: IngestOptions & { batchSize?: number; onProgress?: (report: IngestReport) => void } = {},
): Promise<IngestReport> {
  const batchSize = opts.batchSize ?? 5000;
  const total = emptyReport();
  let batch: IngestItemResult[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const r = await ingestItems(ctx, batch, opts);
    mergeReports(total, r);
    batch = [];
    opts.onProgress?.(total);
  };
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return total;
}
