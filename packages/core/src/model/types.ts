/**
 * The domain's shared shapes. Everything that crosses a package boundary is one of these; core
 * functions take and return them and never touch IO, the clock or randomness directly.
 */

/** Where a value came from: a device, the member themselves, a checkup centre or a clinic. */
export type SourceKind = 'device' | 'self' | 'checkup' | 'clinic';

/** A field path and what is wrong with it, e.g. `{ path: 'entry[3].resource.valueQuantity.unit', message: 'unknown unit' }`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** A normalised observation ready for storage: standard code (LOINC), canonical UCUM unit, original kept. */
export interface ObservationInput {
  /** The member the value belongs to, as the source names them (FHIR Patient id, member id…). */
  memberRef: string;
  /** LOINC code (or a `careloop:` code for things LOINC does not name, e.g. a self-reported symptom). */
  code: string;
  /** Catalogue indicator id (see indicators.ts) or null when the code is stored but not interpreted. */
  indicator: string | null;
  value: number;
  /** Canonical UCUM unit of the indicator (mmol/L, mm[Hg], kg, …). */
  unit: string;
  originalValue: number;
  originalUnit: string;
  /** ISO 8601 instant (start of the period for interval data such as steps or sleep). */
  effectiveAt: string;
  /** ISO 8601 instant, end of the period for interval data. */
  effectiveEnd?: string | null;
  sourceKind: SourceKind;
  /** 'fhir' | 'openmhealth' | 'apple-health' | 'api' | 'seed' … */
  sourceSystem: string;
  /** The id of the record in the source (FHIR Observation id, OMH header id, …). */
  sourceRecordId: string | null;
  /** Same key ⇒ same fact: re-importing adds nothing. */
  idempotencyKey: string;
  /** Links the systolic and diastolic halves of one blood-pressure reading. */
  panelKey?: string | null;
  /** Office / home / ambulatory, where the source tells (blood pressure thresholds differ). */
  setting?: 'office' | 'home' | 'ambulatory' | null;
}

/** A stored observation: the input plus its database id. */
export interface StoredObservation extends ObservationInput {
  id: string;
  memberId: string;
}

export interface MemberInput {
  /** External identifier from the source system (FHIR Patient.id, …). */
  externalRef: string;
  name: string;
  gender: 'male' | 'female' | 'other' | 'unknown';
  birthDate: string | null;
  timeZone?: string;
  locale?: 'zh-CN' | 'en';
}

/** A condition recorded by a clinician (FHIR Condition), kept as a source fact for the profile. */
export interface ConditionInput {
  memberRef: string;
  /** code system URI, e.g. http://snomed.info/sct */
  system: string;
  code: string;
  display: string | null;
  clinicalStatus: string | null;
  onset: string | null;
  abatement: string | null;
  sourceRecordId: string | null;
  idempotencyKey: string;
}

/** A medication plan (FHIR MedicationRequest / MedicationStatement). */
export interface MedicationInput {
  memberRef: string;
  name: string;
  code: string | null;
  system: string | null;
  status: string;
  /** RFC 5545 RRULE derived from the dosage timing, when there is one. */
  rrule: string | null;
  dosageText: string | null;
  authoredOn: string | null;
  sourceRecordId: string | null;
  idempotencyKey: string;
}

/** Evidence behind a derived fact: which stored observations, with what values, when. */
export interface Evidence {
  observationId?: string;
  conditionId?: string;
  code: string;
  value: number | string;
  unit?: string;
  effectiveAt: string;
}

/** A derived profile fact: a tag, score, class, stage, segment or summary value, always explained. */
export interface ProfileFact {
  /** e.g. `tag.hypertension`, `bp.class`, `bmi.category`, `latest.sbp`, `avg7.sbp`. */
  key: string;
  kind: 'tag' | 'class' | 'score' | 'stage' | 'segment' | 'value' | 'average' | 'trend' | 'flag';
  value: string | number | boolean | null;
  unit?: string | null;
  /** Rule id, e.g. `cn-htn-2018/bp-class`; null for plain summaries (latest value). */
  ruleId: string | null;
  /** Human citation of the rule: guideline, year, section. */
  citation?: string | null;
  evidence: Evidence[];
  /** Wording for the member and clinician; a risk flag, never a diagnosis. */
  label?: { 'zh-CN': string; en: string };
}

export type Role = 'member' | 'manager' | 'doctor' | 'operator' | 'admin';

export interface StoredCondition extends ConditionInput {
  id: string;
  memberId: string;
}

export interface StoredMedication extends MedicationInput {
  id: string;
  memberId: string;
}

/** What the profile needs to know about the member themselves. */
export interface ProfileMember {
  memberId: string;
  gender: 'male' | 'female' | 'other' | 'unknown';
  birthDate: string | null;
  /** IANA time zone, e.g. Asia/Shanghai: "separate days" and local windows are counted in it. */
  timeZone: string;
}
