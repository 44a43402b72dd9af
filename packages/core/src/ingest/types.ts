import type {
  ConditionInput,
  MedicationInput,
  MemberInput,
  ObservationInput,
  SourceKind,
  ValidationIssue,
} from '../model/types.ts';

/** One thing an importer found in its input, ready for storage. */
export type IngestRecord =
  | { kind: 'member'; value: MemberInput }
  | { kind: 'observation'; value: ObservationInput }
  | { kind: 'condition'; value: ConditionInput }
  | { kind: 'medication'; value: MedicationInput };

/**
 * The outcome for one item of an input. `ref` says where in the input the item came from:
 * `entry[3]`, `entry[3].component[1]`, `line 120`, `[2]`, a file name…
 *
 * - `ok: true`: a record to store; `warnings` explain anything dropped on the way (e.g. a dosage
 *   timing that no RRULE can express).
 * - `ok: false` without `skipped`: the item is malformed or implausible — rejected, `issues` name
 *   the field path and why.
 * - `ok: false, skipped: true`: the item is well-formed but not something CareLoop stores (a
 *   text-valued observation, an Encounter, an Apple Health type we do not read…); `issues` say why.
 *
 * `sourceType` names the kind of source item (`Observation`, `Encounter`,
 * `HKQuantityTypeIdentifierStepCount`, `omh:blood-pressure:4.0`) so summaries can count per type.
 */
export type IngestItemResult =
  | {
      ok: true;
      ref: string;
      record: IngestRecord;
      sourceType?: string;
      warnings?: ValidationIssue[];
    }
  | { ok: false; ref: string; issues: ValidationIssue[]; sourceType?: string; skipped?: boolean };

export interface ParsedBundle {
  bundleType: string | null;
  items: IngestItemResult[];
  /** Problems with the bundle as a whole (not a Bundle, no entry array…). */
  bundleIssues: ValidationIssue[];
}

export interface FhirParseOptions {
  /** Who sent the data; FHIR defaults to 'clinic'. */
  sourceKind?: SourceKind;
  /** Identifies the sending system in idempotency keys; defaults to 'fhir'. Use one per sender. */
  sourceSystem?: string;
}

export interface OpenMHealthOptions {
  /** The member the data points belong to (the caller knows who uploaded them). */
  memberRef: string;
  /** Schema of a bare body: `omh:blood-pressure:4.0`, `blood-pressure:4.0`, `blood-pressure-4.0` or `blood-pressure`. */
  schema?: string;
  /** Prefix for item refs, e.g. the file name. */
  ref?: string;
  /**
   * When CareLoop received the data (ISO 8601). Used as the effective time only when the schema
   * version lets a body omit `effective_time_frame` and no header gives a creation time.
   */
  receivedAt?: string;
  /** Overrides the kind derived from `acquisition_provenance.modality`. */
  sourceKind?: SourceKind;
}

export interface AppleHealthOptions {
  memberRef: string;
}

export type InputFormat =
  'fhir-bundle' | 'fhir-resource' | 'openmhealth' | 'apple-health-xml' | 'unknown';
