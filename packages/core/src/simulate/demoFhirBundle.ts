import type {
  Bundle,
  BundleEntry,
  CodeableConcept,
  Condition,
  FhirResource,
  MedicationRequest,
  Observation,
  Patient,
  Quantity,
  Timing,
} from 'fhir/r4';
import * as rruleModule from 'rrule';
import type { ConditionInput, MedicationInput, ObservationInput } from '../model/types.ts';
import type { DemoMember } from './demoMember.ts';
import { indicatorById } from '../clinical/indicators.ts';
import { demoUuid } from './demoUuid.ts';

// rrule's CommonJS entry is a UMD bundle: under Node's ESM loader its exports sit on `default`.
const { RRule } =
  (rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule;

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
/** Identifier system of demo members (Patient.identifier) and of seeded records. */
export const DEMO_MEMBER_SYSTEM = 'urn:careloop:demo-member';
export const DEMO_RECORD_SYSTEM = 'urn:careloop:seed';
/** FHIR core extension for a resource's IANA time zone. */
const TZ_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/tz-code';
const BP_PANEL_LOINC = '85354-9';

const categoryOf: Record<string, 'vital-signs' | 'laboratory' | 'activity'> = {
  sbp: 'vital-signs',
  dbp: 'vital-signs',
  heart_rate: 'vital-signs',
  weight: 'vital-signs',
  height: 'vital-signs',
  waist: 'vital-signs',
  bmi: 'vital-signs',
  body_temperature: 'vital-signs',
  spo2: 'vital-signs',
  steps: 'activity',
  sleep_duration: 'activity',
};

const category = (code: 'vital-signs' | 'laboratory' | 'activity'): CodeableConcept[] => [
  { coding: [{ system: OBSERVATION_CATEGORY, code }] },
];

/** The value as the source sent it: original value and UCUM unit (ingest normalises it again). */
const quantity = (o: ObservationInput): Quantity => ({
  value: o.originalValue,
  unit: o.originalUnit,
  system: UCUM,
  code: o.originalUnit,
});

const loincConcept = (code: string, indicator: string | null): CodeableConcept => {
  const text = indicator ? indicatorById(indicator)?.name.en : undefined;
  return text ? { coding: [{ system: LOINC, code }], text } : { coding: [{ system: LOINC, code }] };
};

const effective = (
  o: ObservationInput,
): Pick<Observation, 'effectiveDateTime' | 'effectivePeriod'> =>
  o.effectiveEnd
    ? { effectivePeriod: { start: o.effectiveAt, end: o.effectiveEnd } }
    : { effectiveDateTime: o.effectiveAt };

function entry(resource: FhirResource, name: string, ifNoneExist?: string): BundleEntry {
  const request = ifNoneExist
    ? { method: 'POST' as const, url: resource.resourceType, ifNoneExist }
    : { method: 'POST' as const, url: resource.resourceType };
  return { fullUrl: `urn:uuid:${demoUuid(`${resource.resourceType}|${name}`)}`, resource, request };
}

function patient(m: DemoMember): Patient {
  return {
    resourceType: 'Patient',
    id: m.member.externalRef,
    extension: [{ url: TZ_EXTENSION, valueCode: m.member.timeZone }],
    identifier: [{ system: DEMO_MEMBER_SYSTEM, value: m.member.externalRef }],
    name: [{ text: m.member.name, family: m.nameParts.family, given: [m.nameParts.given] }],
    gender: m.member.gender,
    ...(m.member.birthDate ? { birthDate: m.member.birthDate } : {}),
    communication: [
      {
        language: { coding: [{ system: 'urn:ietf:bcp:47', code: m.member.locale }] },
        preferred: true,
      },
    ],
  };
}

/** Observations of one member as resources: the two halves of a BP reading become one panel. */
function observations(m: DemoMember, subject: string, limit: number): BundleEntry[] {
  const out: BundleEntry[] = [];
  const obs = m.observations;
  for (let i = 0; i < obs.length && out.length < limit; i++) {
    const o = obs[i] as ObservationInput;
    const next = obs[i + 1];
    if (o.panelKey && next && next.panelKey === o.panelKey) {
      const sbp = o.indicator === 'sbp' ? o : next;
      const dbp = o.indicator === 'sbp' ? next : o;
      i++;
      const panel: Observation = {
        resourceType: 'Observation',
        identifier: [{ system: DEMO_RECORD_SYSTEM, value: o.panelKey }],
        status: 'final',
        category: category('vital-signs'),
        code: { coding: [{ system: LOINC, code: BP_PANEL_LOINC }], text: 'Blood pressure panel' },
        subject: { reference: subject },
        ...effective(o),
        component: [
          { code: loincConcept(sbp.code, sbp.indicator), valueQuantity: quantity(sbp) },
          { code: loincConcept(dbp.code, dbp.indicator), valueQuantity: quantity(dbp) },
        ],
      };
      out.push(entry(panel, o.panelKey));
      continue;
    }
    const resource: Observation = {
      resourceType: 'Observation',
      identifier: [{ system: DEMO_RECORD_SYSTEM, value: o.idempotencyKey }],
      status: 'final',
      category: category(categoryOf[o.indicator ?? ''] ?? 'laboratory'),
      code: loincConcept(o.code, o.indicator),
      subject: { reference: subject },
      ...effective(o),
      valueQuantity: quantity(o),
    };
    out.push(entry(resource, o.idempotencyKey));
  }
  return out;
}

function condition(c: ConditionInput, subject: string): BundleEntry {
  const resource: Condition = {
    resourceType: 'Condition',
    identifier: [{ system: DEMO_RECORD_SYSTEM, value: c.idempotencyKey }],
    ...(c.clinicalStatus
      ? {
          clinicalStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
                code: c.clinicalStatus,
              },
            ],
          },
        }
      : {}),
    verificationStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' },
      ],
    },
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: 'problem-list-item',
          },
        ],
      },
    ],
    code: {
      coding: [{ system: c.system, code: c.code, ...(c.display ? { display: c.display } : {}) }],
    },
    subject: { reference: subject },
    ...(c.onset ? { onsetDateTime: c.onset } : {}),
    ...(c.abatement ? { abatementDateTime: c.abatement } : {}),
  };
  return entry(resource, c.idempotencyKey);
}

/** FHIR Timing of a daily RRULE: how often, at which local clock times, how many doses in all. */
function timing(rrule: string): Timing {
  const options = RRule.parseString(rrule);
  const asList = (v: number | number[] | null | undefined): number[] =>
    v == null ? [] : Array.isArray(v) ? v : [v];
  const hours = asList(options.byhour);
  const minutes = asList(options.byminute);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const timeOfDay = hours.flatMap((h) =>
    (minutes.length ? minutes : [0]).map((mi) => `${pad(h)}:${pad(mi)}:00`),
  );
  return {
    repeat: {
      frequency: timeOfDay.length || 1,
      period: 1,
      periodUnit: 'd',
      ...(timeOfDay.length ? { timeOfDay } : {}),
      ...(options.count ? { count: options.count } : {}),
    },
  };
}

function medicationRequest(med: MedicationInput, subject: string): BundleEntry {
  const status = med.status as MedicationRequest['status'];
  const resource: MedicationRequest = {
    resourceType: 'MedicationRequest',
    identifier: [{ system: DEMO_RECORD_SYSTEM, value: med.idempotencyKey }],
    status,
    intent: 'order',
    medicationCodeableConcept:
      med.code && med.system
        ? { coding: [{ system: med.system, code: med.code }], text: med.name }
        : { text: med.name },
    subject: { reference: subject },
    ...(med.authoredOn ? { authoredOn: med.authoredOn } : {}),
    dosageInstruction: [
      {
        ...(med.dosageText ? { text: med.dosageText } : {}),
        ...(med.rrule ? { timing: timing(med.rrule) } : {}),
      },
    ],
  };
  return entry(resource, med.idempotencyKey);
}

/**
 * A FHIR R4 transaction Bundle of demo members: per member a Patient (identifier, name, gender,
 * birth date, language, time-zone extension), their Conditions and MedicationRequests, and their
 * Observations — blood pressure as panels (85354-9) with 8480-6/8462-4 components, every value in
 * the unit its source sent (glucose in mmol/L or mg/dL). Entries are POSTs with `urn:uuid:` full URLs
 * that the other entries reference; Patients are conditional creates on their identifier.
 * `maxObservations` caps the Observation resources (a BP panel counts once), shared evenly.
 */
export function demoFhirBundle(
  members: DemoMember[],
  opts: { maxObservations?: number } = {},
): Bundle {
  const max = opts.maxObservations;
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 0)) {
    throw new RangeError(
      `opts.maxObservations: must be a non-negative integer, got ${String(max)}`,
    );
  }
  const entries: BundleEntry[] = [];
  members.forEach((m, i) => {
    const ref = m.member.externalRef;
    const p = entry(
      patient(m),
      `${ref}|${m.member.birthDate ?? ''}|${m.member.name}`,
      `identifier=${DEMO_MEMBER_SYSTEM}|${ref}`,
    );
    const subject = p.fullUrl as string;
    entries.push(p);
    for (const c of m.conditions) entries.push(condition(c, subject));
    for (const med of m.medications) entries.push(medicationRequest(med, subject));
    const limit =
      max === undefined
        ? Number.POSITIVE_INFINITY
        : Math.floor(max / members.length) + (i < max % members.length ? 1 : 0);
    entries.push(...observations(m, subject, limit));
  });
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}
