// The ingest area: parsed items → stored rows, profiles and the care engine.
export {
  emptyReport,
  ingestItems,
  mergeReports,
  type IngestContext,
  type IngestOptions,
  type IngestReport,
  type ItemOutcome,
  type RejectedItem,
} from './ingestItems.ts';
export { ingestStream } from './ingestStream.ts';
export { ingestBatches, type IngestBatch, type IngestBatchesOptions } from './ingestBatches.ts';
