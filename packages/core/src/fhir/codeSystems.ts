/** Code systems and identifiers CareLoop writes into FHIR answers. */
export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const OBSERVATION_CATEGORY_SYSTEM =
  'http://terminology.hl7.org/CodeSystem/observation-category';
/** CareLoop's own codes (`careloop:` observation codes for what LOINC does not name). */
export const CARELOOP_CODE_SYSTEM = 'urn:careloop:observation-code';
/** meta.source / identifier.system of data that came from a source system ('fhir', 'apple-health'…). */
export const careloopSourceUri = (sourceSystem: string): string =>
  `urn:careloop:source:${sourceSystem}`;
export const SOURCE_KIND_SYSTEM = 'urn:careloop:source-kind';
export const EXTERNAL_REF_SYSTEM = 'urn:careloop:external-ref';
/** Extension holding the value and unit as the source sent them, before UCUM conversion. */
export const ORIGINAL_QUANTITY_EXTENSION = 'urn:careloop:fhir:extension:original-quantity';
