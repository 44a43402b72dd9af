import type { SourceKind } from '../model/types.ts';
import { isRecord } from './itemResults.ts';

/** Reading FHIR elements out of untyped JSON, and the per-bundle context references resolve in. */

export const LOINC = 'http://loinc.org';
/** LOINC's OID, which some HL7 v2-bridged feeds still put in Coding.system. */
export const LOINC_OID = 'urn:oid:2.16.840.1.113883.6.1';
export const SNOMED = 'http://snomed.info/sct';
export const UCUM = 'http://unitsofmeasure.org';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const ICD10_SYSTEMS = [
  'http://hl7.org/fhir/sid/icd-10',
  'http://hl7.org/fhir/sid/icd-10-cm',
  'http://hl7.org/fhir/sid/icd-10-cn',
];

export interface Coding {
  system?: string;
  code: string;
  display?: string;
}

/** Codings of a CodeableConcept that carry a string code. */
export function codings(concept: unknown): Coding[] {
  if (!isRecord(concept) || !Array.isArray(concept.coding)) return [];
  return concept.coding.flatMap((c): Coding[] => {
    if (!isRecord(c) || typeof c.code !== 'string' || c.code === '') return [];
    return [
      {
        code: c.code,
        ...(typeof c.system === 'string' ? { system: c.system } : {}),
        ...(typeof c.display === 'string' ? { display: c.display } : {}),
      },
    ];
  });
}

export const conceptText = (concept: unknown): string | undefined =>
  isRecord(concept) && typeof concept.text === 'string' && concept.text.trim() !== ''
    ? concept.text
    : undefined;

/** The first code of a CodeableConcept such as Condition.clinicalStatus. */
export const firstCode = (concept: unknown): string | null => codings(concept)[0]?.code ?? null;

export interface FhirContext {
  sourceKind: SourceKind;
  sourceSystem: string;
  /** Bundle-local addresses of Patients (fullUrl, `Patient/id`) → logical id. */
  patients: Map<string, string>;
  /** Bundle-local addresses of Medications → the Medication resource (to name a MedicationRequest). */
  medications: Map<string, Record<string, unknown>>;
  /**
   * Observation address → effective time of the DiagnosticReport that lists it as a result: lab
   * observations in a report often leave effective[x] to the report (FHIR R4 lipid example).
   */
  reportTimes: Map<string, unknown>;
  /** The last subject reference resolved and its result (a bundle's entries share one subject). */
  lastSubject?: { ref: string; result: PatientRefResult };
}

export const emptyContext = (sourceKind: SourceKind, sourceSystem: string): FhirContext => ({
  sourceKind,
  sourceSystem,
  patients: new Map(),
  medications: new Map(),
  reportTimes: new Map(),
});

/** `urn:uuid:abc` → `abc`; other fullUrls have no logical id of their own. */
export function uuidFromFullUrl(fullUrl: unknown): string | undefined {
  // By char code (was /^urn:uuid:([0-9a-fA-F-]{8,})$/, run for every entry of a bundle).
  if (typeof fullUrl !== 'string' || fullUrl.length < 17 || !fullUrl.startsWith('urn:uuid:'))
    return undefined;
  for (let i = 9; i < fullUrl.length; i++) {
    const c = fullUrl.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 45; // 0-9 a-f A-F -
    if (!ok) return undefined;
  }
  return fullUrl.slice(9);
}

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/** The logical id a resource is known by: its id, else the uuid of its urn:uuid fullUrl. */
export function logicalId(resource: Record<string, unknown>, fullUrl: unknown): string | undefined {
  if (typeof resource.id === 'string' && idPattern.test(resource.id)) return resource.id;
  return uuidFromFullUrl(fullUrl);
}

/** Every address a bundle entry can be referenced by. */
export function entryAddresses(
  resourceType: string,
  id: string | undefined,
  fullUrl: unknown,
): string[] {
  const out: string[] = [];
  if (typeof fullUrl === 'string') out.push(fullUrl);
  if (id !== undefined) out.push(`${resourceType}/${id}`);
  return out;
}

export type PatientRefResult = { ok: true; memberRef: string } | { ok: false; message: string };

/**
 * A subject reference → the Patient's logical id: `Patient/123` → '123', `urn:uuid:abc` → 'abc',
 * `https://host/fhir/Patient/123/_history/2` → '123'; bundle-local fullUrls resolve first.
 */
export function resolvePatientRef(subject: unknown, ctx: FhirContext): PatientRefResult {
  if (!isRecord(subject)) return { ok: false, message: 'required: a reference to the Patient' };
  const ref = subject.reference;
  if (typeof ref !== 'string' || ref === '') {
    return {
      ok: false,
      message: 'subject.reference is required (a logical identifier alone cannot be matched)',
    };
  }
  const last = ctx.lastSubject;
  if (last !== undefined && last.ref === ref) return last.result;
  const result = resolveReference(ref, ctx);
  ctx.lastSubject = { ref, result };
  return result;
}

function resolveReference(ref: string, ctx: FhirContext): PatientRefResult {
  const local = ctx.patients.get(ref);
  if (local !== undefined) return { ok: true, memberRef: local };
  const uuid = uuidFromFullUrl(ref);
  if (uuid !== undefined) return { ok: true, memberRef: uuid };
  if (ref.startsWith('#'))
    return {
      ok: false,
      message: `contained subject '${ref}' is not supported: reference a Patient`,
    };
  const m = /(?:^|\/)([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref);
  if (!m) return { ok: false, message: `'${ref}' is not a FHIR reference` };
  if (m[1] !== 'Patient') return { ok: false, message: `subject must be a Patient, got ${m[1]}` };
  return { ok: true, memberRef: m[2] ?? '' };
}
