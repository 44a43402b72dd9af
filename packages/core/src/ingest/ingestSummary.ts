import type { IngestItemResult, IngestRecord } from './types.ts';

export interface IngestTypeCounts {
  accepted: number;
  rejected: number;
  skipped: number;
}

/**
 * Counts of an import, built item by item so a streamed import never holds its items: accepted
 * records by kind, rejected and skipped items, counts per source type (Observation,
 * HKQuantityTypeIdentifierStepCount, omh:blood-pressure:4.0…) and how often each reason occurred.
 * Duplicates are a storage question: the caller adds them.
 */
export interface IngestSummary {
  items: number;
  accepted: number;
  rejected: number;
  skipped: number;
  records: Record<IngestRecord['kind'], number>;
  bySourceType: Record<string, IngestTypeCounts>;
  /** Issue message → count, for rejected and skipped items alike (first issue of each item). */
  reasons: Record<string, number>;
}

export const emptyIngestSummary = (): IngestSummary => ({
  items: 0,
  accepted: 0,
  rejected: 0,
  skipped: 0,
  records: { member: 0, observation: 0, condition: 0, medication: 0 },
  bySourceType: {},
  reasons: {},
});

/** Adds one item to a summary (mutates and returns it, for streaming). */
export function tallyIngestItem(summary: IngestSummary, item: IngestItemResult): IngestSummary {
  summary.items += 1;
  const type = item.sourceType ?? 'unknown';
  const counts = (summary.bySourceType[type] ??= { accepted: 0, rejected: 0, skipped: 0 });
  if (item.ok) {
    summary.accepted += 1;
    counts.accepted += 1;
    summary.records[item.record.kind] += 1;
    return summary;
  }
  const outcome = item.skipped ? 'skipped' : 'rejected';
  summary[outcome] += 1;
  counts[outcome] += 1;
  const reason = item.issues[0]?.message ?? 'no reason given';
  summary.reasons[reason] = (summary.reasons[reason] ?? 0) + 1;
  return summary;
}

export function summarizeIngestItems(items: Iterable<IngestItemResult>): IngestSummary {
  const summary = emptyIngestSummary();
  for (const item of items) tallyIngestItem(summary, item);
  return summary;
}
