import type { ConditionInput, ValidationIssue } from '../model/types.ts';
import { parseFhirDateTime } from './dateTimes.ts';
import {
  codings,
  conceptText,
  firstCode,
  ICD10_SYSTEMS,
  logicalId,
  resolvePatientRef,
  SNOMED,
  type FhirContext,
} from './fhirElements.ts';
import { sourceRecordKey } from './idempotencyKeys.ts';
import { accepted, isRecord, rejectedItem, skippedItem } from './itemResults.ts';
import type { IngestItemResult } from './types.ts';

const TYPE = 'Condition';

/** onset[x] / abatement[x] → an instant (dates of any precision: their first instant), or null. */
function conditionTime(
  resource: Record<string, unknown>,
  prefix: 'onset' | 'abatement',
  path: string,
  issues: ValidationIssue[],
): string | null {
  const read = (value: unknown, at: string): string | null => {
    const parsed = parseFhirDateTime(value);
    if (parsed.ok) return parsed.iso;
    issues.push({ path: at, message: parsed.message });
    return null;
  };
  const dateTime = resource[`${prefix}DateTime`];
  if (dateTime !== undefined) return read(dateTime, `${path}.${prefix}DateTime`);
  const period = resource[`${prefix}Period`];
  if (isRecord(period) && period.start !== undefined)
    return read(period.start, `${path}.${prefix}Period.start`);
  // onsetAge, onsetRange, onsetString, abatementBoolean… carry no instant.
  return null;
}

/**
 * A FHIR Condition → a condition record: SNOMED CT code preferred, then ICD-10, then any coding;
 * clinicalStatus, onset and abatement kept. Refuted and entered-in-error conditions are skipped.
 */
export function parseFhirCondition(
  resource: Record<string, unknown>,
  ref: string,
  path: string,
  fullUrl: unknown,
  ctx: FhirContext,
): IngestItemResult[] {
  const verification = firstCode(resource.verificationStatus);
  if (verification === 'entered-in-error' || verification === 'refuted') {
    return [
      skippedItem(
        ref,
        `${path}.verificationStatus`,
        `verificationStatus '${verification}': not a condition of the member`,
        TYPE,
      ),
    ];
  }
  const issues: ValidationIssue[] = [];
  const subject = resolvePatientRef(resource.subject, ctx);
  if (!subject.ok) issues.push({ path: `${path}.subject`, message: subject.message });
  const all = codings(resource.code);
  const coding =
    all.find((c) => c.system === SNOMED) ??
    all.find((c) => c.system !== undefined && ICD10_SYSTEMS.includes(c.system)) ??
    all.find((c) => c.system !== undefined);
  if (!coding?.system)
    issues.push({
      path: `${path}.code.coding`,
      message: 'a coding with system and code is required',
    });
  const onset = conditionTime(resource, 'onset', path, issues);
  const abatement = conditionTime(resource, 'abatement', path, issues);
  if (issues.length > 0 || !subject.ok || !coding?.system) return [rejectedItem(ref, issues, TYPE)];

  const recordId = logicalId(resource, fullUrl) ?? null;
  const condition: ConditionInput = {
    memberRef: subject.memberRef,
    system: coding.system,
    code: coding.code,
    display: coding.display ?? conceptText(resource.code) ?? null,
    clinicalStatus: firstCode(resource.clinicalStatus),
    onset,
    abatement,
    sourceRecordId: recordId,
    idempotencyKey:
      recordId !== null
        ? sourceRecordKey(ctx.sourceSystem, `Condition/${recordId}`)
        : `${ctx.sourceSystem}:${subject.memberRef}:Condition:${coding.system}|${coding.code}:${onset ?? ''}`,
  };
  return [accepted(ref, { kind: 'condition', value: condition }, TYPE)];
}
