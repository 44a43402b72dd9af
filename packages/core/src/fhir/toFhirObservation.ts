import type { Coding, Observation } from 'fhir/r4';
import { indicatorById, indicatorForLoinc } from '../clinical/indicators.ts';
import type { StoredObservation } from '../model/types.ts';
import {
  CARELOOP_CODE_SYSTEM,
  careloopSourceUri,
  LOINC_SYSTEM,
  OBSERVATION_CATEGORY_SYSTEM,
  ORIGINAL_QUANTITY_EXTENSION,
  SOURCE_KIND_SYSTEM,
  UCUM_SYSTEM,
} from './codeSystems.ts';

/** FHIR observation-category of each catalogue indicator (R4 CodeSystem observation-category). */
const categoryOf: Readonly<Record<string, 'vital-signs' | 'laboratory' | 'activity' | 'exam'>> = {
  sbp: 'vital-signs',
  dbp: 'vital-signs',
  heart_rate: 'vital-signs',
  weight: 'vital-signs',
  height: 'vital-signs',
  bmi: 'vital-signs',
  body_temperature: 'vital-signs',
  spo2: 'vital-signs',
  waist: 'exam',
  glucose: 'laboratory',
  fpg: 'laboratory',
  ogtt_2h: 'laboratory',
  hba1c: 'laboratory',
  tc: 'laboratory',
  ldl: 'laboratory',
  hdl: 'laboratory',
  tg: 'laboratory',
  creatinine: 'laboratory',
  uric_acid: 'laboratory',
  egfr: 'laboratory',
  steps: 'activity',
  sleep_duration: 'activity',
};

const loincPattern = /^\d{1,7}-\d$/;

/**
 * A stored observation as a FHIR R4 Observation: LOINC coding, valueQuantity in the canonical
 * UCUM unit, the source's original value in an extension, subject Patient/<id>, meta.source the
 * source system and meta.tag the source kind (device/self/checkup/clinic).
 */
export function toFhirObservation(o: StoredObservation, patientId: string): Observation {
  const indicator = o.indicator ? indicatorById(o.indicator) : indicatorForLoinc(o.code);
  const coding: Coding = loincPattern.test(o.code)
    ? { system: LOINC_SYSTEM, code: o.code, ...(indicator ? { display: indicator.name.en } : {}) }
    : { system: CARELOOP_CODE_SYSTEM, code: o.code.replace(/^careloop:/, '') };
  const category = indicator ? categoryOf[indicator.id] : undefined;
  const converted = o.originalValue !== o.value || o.originalUnit !== o.unit;
  return {
    resourceType: 'Observation',
    id: o.id,
    meta: {
      source: careloopSourceUri(o.sourceSystem),
      tag: [{ system: SOURCE_KIND_SYSTEM, code: o.sourceKind }],
    },
    ...(o.sourceRecordId
      ? { identifier: [{ system: careloopSourceUri(o.sourceSystem), value: o.sourceRecordId }] }
      : {}),
    status: 'final',
    ...(category
      ? { category: [{ coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: category }] }] }
      : {}),
    code: { coding: [coding], ...(indicator ? { text: indicator.name.en } : {}) },
    subject: { reference: `Patient/${patientId}` },
    ...(o.effectiveEnd
      ? { effectivePeriod: { start: o.effectiveAt, end: o.effectiveEnd } }
      : { effectiveDateTime: o.effectiveAt }),
    valueQuantity: {
      value: o.value,
      unit: indicator?.displayUnit ?? o.unit,
      system: UCUM_SYSTEM,
      code: o.unit,
    },
    ...(converted
      ? {
          extension: [
            {
              url: ORIGINAL_QUANTITY_EXTENSION,
              valueQuantity: { value: o.originalValue, unit: o.originalUnit },
            },
          ],
        }
      : {}),
  };
}
