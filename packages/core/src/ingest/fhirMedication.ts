import type { MedicationInput, ValidationIssue } from '../model/types.ts';
import { parseFhirDateTime } from './dateTimes.ts';
import {
  codings,
  conceptText,
  logicalId,
  resolvePatientRef,
  RXNORM,
  type FhirContext,
} from './fhirElements.ts';
import { sourceRecordKey } from './idempotencyKeys.ts';
import { accepted, isRecord, rejectedItem, skippedItem } from './itemResults.ts';
import { timingToRrule } from './timingToRrule.ts';
import type { IngestItemResult } from './types.ts';

const statuses: Readonly<Record<string, readonly string[]>> = {
  MedicationRequest: [
    'active',
    'on-hold',
    'cancelled',
    'completed',
    'entered-in-error',
    'stopped',
    'draft',
    'unknown',
  ],
  MedicationStatement: [
    'active',
    'completed',
    'entered-in-error',
    'intended',
    'stopped',
    'on-hold',
    'unknown',
    'not-taken',
  ],
};

/** The medication's concept: inline, or through a reference to a contained or bundled Medication. */
function medicationConcept(
  resource: Record<string, unknown>,
  ctx: FhirContext,
): { concept: unknown; display?: string } {
  if (resource.medicationCodeableConcept !== undefined)
    return { concept: resource.medicationCodeableConcept };
  const reference = resource.medicationReference;
  if (!isRecord(reference)) return { concept: undefined };
  const display = typeof reference.display === 'string' ? reference.display : undefined;
  const target = typeof reference.reference === 'string' ? reference.reference : undefined;
  let medication: Record<string, unknown> | undefined;
  if (target?.startsWith('#') && Array.isArray(resource.contained)) {
    medication = resource.contained
      .filter(isRecord)
      .find((c) => c.resourceType === 'Medication' && `#${String(c.id)}` === target);
  } else if (target !== undefined) {
    medication = ctx.medications.get(target);
  }
  return display === undefined
    ? { concept: medication?.code }
    : { concept: medication?.code, display };
}

function dosageDescription(dosage: Record<string, unknown>): string | undefined {
  if (typeof dosage.text === 'string' && dosage.text.trim() !== '') return dosage.text.trim();
  const parts: string[] = [];
  const rate = Array.isArray(dosage.doseAndRate) ? dosage.doseAndRate.find(isRecord) : undefined;
  const dose = rate?.doseQuantity;
  if (isRecord(dose) && typeof dose.value === 'number') {
    const unit =
      typeof dose.unit === 'string'
        ? dose.unit
        : typeof dose.code === 'string'
          ? dose.code
          : undefined;
    parts.push(unit === undefined ? `dose ${dose.value}` : `${dose.value} ${unit}`);
  }
  if (dosage.asNeededBoolean === true || dosage.asNeededCodeableConcept !== undefined)
    parts.push('as needed');
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * A FHIR MedicationRequest or MedicationStatement → a medication plan. The first dosage with a
 * timing becomes the RRULE; as-needed medications get no schedule (no reminders for PRN).
 */
export function parseFhirMedication(
  resource: Record<string, unknown>,
  ref: string,
  path: string,
  fullUrl: unknown,
  ctx: FhirContext,
): IngestItemResult[] {
  const type =
    resource.resourceType === 'MedicationStatement' ? 'MedicationStatement' : 'MedicationRequest';
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const allowed = statuses[type] ?? [];
  const status = resource.status;
  if (typeof status !== 'string' || !allowed.includes(status)) {
    issues.push({ path: `${path}.status`, message: `required, one of ${allowed.join(', ')}` });
  } else if (status === 'entered-in-error') {
    return [
      skippedItem(
        ref,
        `${path}.status`,
        "status 'entered-in-error': not a medication of the member",
        type,
      ),
    ];
  }
  const subject = resolvePatientRef(resource.subject, ctx);
  if (!subject.ok) issues.push({ path: `${path}.subject`, message: subject.message });

  const { concept, display } = medicationConcept(resource, ctx);
  const all = codings(concept);
  const coding =
    all.find((c) => c.system === RXNORM) ?? all.find((c) => c.system !== undefined) ?? all[0];
  const name = conceptText(concept) ?? coding?.display ?? display ?? coding?.code;
  if (name === undefined) {
    issues.push({
      path: `${path}.medication[x]`,
      message: 'no medication code, text or display to name it by',
    });
  }

  const dosageKey = type === 'MedicationRequest' ? 'dosageInstruction' : 'dosage';
  const dosages = Array.isArray(resource[dosageKey]) ? (resource[dosageKey] as unknown[]) : [];
  let rrule: string | null = null;
  const timed = dosages
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => isRecord(d) && d.timing !== undefined);
  const first = timed[0];
  if (first && isRecord(first.d)) {
    const timingPath = `${path}.${dosageKey}[${first.i}].timing`;
    const asNeeded =
      first.d.asNeededBoolean === true || first.d.asNeededCodeableConcept !== undefined;
    const schedule = timingToRrule(first.d.timing, timingPath);
    if (!schedule.ok) issues.push(...schedule.issues);
    else if (asNeeded)
      warnings.push({ path: timingPath, message: 'taken as needed: no reminder schedule' });
    else {
      rrule = schedule.rrule;
      warnings.push(...schedule.warnings);
    }
    if (timed.length > 1) {
      warnings.push({
        path: `${path}.${dosageKey}`,
        message: 'several timed dosages: only the first is scheduled',
      });
    }
  }
  const dosageText = dosages
    .filter(isRecord)
    .map(dosageDescription)
    .filter((t): t is string => t !== undefined)
    .join('; ');

  const dateField =
    type === 'MedicationRequest'
      ? (['authoredOn'] as const)
      : (['dateAsserted', 'effectiveDateTime'] as const);
  let authoredOn: string | null = null;
  const dateKey = dateField.find((k) => resource[k] !== undefined);
  const period = resource.effectivePeriod;
  const rawDate = dateKey ? resource[dateKey] : isRecord(period) ? period.start : undefined;
  if (rawDate !== undefined) {
    const parsed = parseFhirDateTime(rawDate);
    if (parsed.ok) authoredOn = parsed.iso;
    else
      issues.push({
        path: `${path}.${dateKey ?? 'effectivePeriod.start'}`,
        message: parsed.message,
      });
  }
  if (issues.length > 0 || !subject.ok || name === undefined)
    return [rejectedItem(ref, issues, type)];

  const recordId = logicalId(resource, fullUrl) ?? null;
  const medication: MedicationInput = {
    memberRef: subject.memberRef,
    name,
    code: coding?.code ?? null,
    system: coding?.system ?? null,
    status: status as string,
    rrule,
    dosageText: dosageText === '' ? null : dosageText,
    authoredOn,
    sourceRecordId: recordId,
    idempotencyKey:
      recordId !== null
        ? sourceRecordKey(ctx.sourceSystem, `${type}/${recordId}`)
        : `${ctx.sourceSystem}:${subject.memberRef}:${type}:${coding?.code ?? name}:${authoredOn ?? ''}`,
  };
  return [accepted(ref, { kind: 'medication', value: medication }, type, warnings)];
}
