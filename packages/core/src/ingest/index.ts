// Ingestion: pure parsing and normalisation of FHIR R4, Open mHealth and Apple Health inputs.
export * from './types.ts';
export { parseFhirBundle, parseFhirResource } from './parseFhirBundle.ts';
export {
  parseOpenMHealth,
  parseOmhSchemaRef,
  validateOpenMHealthBody,
} from './parseOpenMHealth.ts';
export { omhRulesFor, omhSchemaRules, supportedOmhSchemas } from './openMHealthRules.ts';
export type { OmhSchemaName, OmhSchemaRules, OmhFieldRule } from './openMHealthRules.ts';
export { parseAppleHealthExport } from './parseAppleHealthExport.ts';
export { appleQuantityTypes } from './appleHealthTypes.ts';
export { detectFormat } from './detectFormat.ts';
export { timingToRrule, eventTimingHours, defaultDailyDoseHours } from './timingToRrule.ts';
export type { TimingRruleResult } from './timingToRrule.ts';
export { normalizeObservationValue, indicatorForCode } from './observationValue.ts';
export type { NormalizedValue, NormalizedValueResult } from './observationValue.ts';
export { supplementaryLoinc } from './catalogueSupplement.ts';
export { bloodPressurePanelCodes } from './fhirObservation.ts';
export { contentKey, sourceRecordKey } from './idempotencyKeys.ts';
export { emptyIngestSummary, tallyIngestItem, summarizeIngestItems } from './ingestSummary.ts';
export type { IngestSummary, IngestTypeCounts } from './ingestSummary.ts';
export { parseFhirDateTime, parseRfc3339, parseAppleHealthDate } from './dateTimes.ts';
