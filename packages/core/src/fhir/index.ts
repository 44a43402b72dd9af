// FHIR R4 output: CareLoop's records as FHIR resources, errors as OperationOutcome.
export * from './codeSystems.ts';
export { toFhirObservation } from './toFhirObservation.ts';
export { toFhirPatient } from './toFhirPatient.ts';
export { operationOutcome } from './operationOutcome.ts';
export type { IssueType } from './operationOutcome.ts';
export { searchsetBundle, transactionResponse } from './bundles.ts';
