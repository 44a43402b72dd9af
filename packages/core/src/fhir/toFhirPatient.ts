import type { Patient } from 'fhir/r4';
import { EXTERNAL_REF_SYSTEM } from './codeSystems.ts';

const genders = ['male', 'female', 'other', 'unknown'] as const;
type FhirGender = (typeof genders)[number];

/** A member as a FHIR R4 Patient; the source system's id rides along as an identifier. */
export function toFhirPatient(m: {
  id: string;
  externalRef: string;
  name: string;
  gender: string;
  birthDate: string | null;
}): Patient {
  const gender: FhirGender = (genders as readonly string[]).includes(m.gender)
    ? (m.gender as FhirGender)
    : 'unknown';
  return {
    resourceType: 'Patient',
    id: m.id,
    identifier: [{ system: EXTERNAL_REF_SYSTEM, value: m.externalRef }],
    ...(m.name.trim() !== '' ? { name: [{ text: m.name }] } : {}),
    gender,
    ...(m.birthDate ? { birthDate: m.birthDate } : {}),
  };
}
