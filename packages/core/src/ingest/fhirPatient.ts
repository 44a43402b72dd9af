import type { MemberInput, ValidationIssue } from '../model/types.ts';
import { logicalId } from './fhirElements.ts';
import { accepted, isRecord, rejectedItem } from './itemResults.ts';
import type { IngestItemResult } from './types.ts';

const TYPE = 'Patient';
const genders: readonly MemberInput['gender'][] = ['male', 'female', 'other', 'unknown'];

/** HumanName → one display string: the official name first, its text, else given + family. */
function displayName(names: unknown): string | undefined {
  if (!Array.isArray(names)) return undefined;
  const records = names.filter(isRecord);
  const name =
    records.find((n) => n.use === 'official') ?? records.find((n) => n.use !== 'old') ?? records[0];
  if (!name) return undefined;
  if (typeof name.text === 'string' && name.text.trim() !== '') return name.text.trim();
  const given = Array.isArray(name.given)
    ? name.given.filter((g): g is string => typeof g === 'string')
    : [];
  const family = typeof name.family === 'string' ? [name.family] : [];
  const full = [...given, ...family].join(' ').trim();
  return full === '' ? undefined : full;
}

/**
 * A FHIR Patient → a member. externalRef is the Patient's logical id (or the uuid of its urn:uuid
 * fullUrl) — the same value observations reference it by. A partial birthDate (year only) is not a
 * date of birth: kept out with a warning rather than invented.
 */
export function parseFhirPatient(
  resource: Record<string, unknown>,
  ref: string,
  path: string,
  fullUrl: unknown,
): IngestItemResult[] {
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const id = logicalId(resource, fullUrl);
  if (id === undefined)
    issues.push({ path: `${path}.id`, message: 'a Patient needs an id or a urn:uuid fullUrl' });
  let gender: MemberInput['gender'] = 'unknown';
  if (resource.gender !== undefined) {
    if (
      typeof resource.gender === 'string' &&
      (genders as readonly string[]).includes(resource.gender)
    ) {
      gender = resource.gender as MemberInput['gender'];
    } else issues.push({ path: `${path}.gender`, message: `must be one of ${genders.join(', ')}` });
  }
  let birthDate: string | null = null;
  if (resource.birthDate !== undefined) {
    const value = resource.birthDate;
    const full = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
    if (full) {
      const [y, m, d] = [Number(full[1]), Number(full[2]), Number(full[3])];
      const date = new Date(Date.UTC(y, m - 1, d));
      if (date.getUTCMonth() === m - 1 && date.getUTCDate() === d) birthDate = value as string;
      else
        issues.push({
          path: `${path}.birthDate`,
          message: `'${String(value)}' is not a calendar date`,
        });
    } else if (typeof value === 'string' && /^\d{4}(-\d{2})?$/.test(value)) {
      warnings.push({
        path: `${path}.birthDate`,
        message: `'${value}' is not a full date: birth date left empty`,
      });
    } else issues.push({ path: `${path}.birthDate`, message: 'must be a date (YYYY-MM-DD)' });
  }
  if (issues.length > 0 || id === undefined) return [rejectedItem(ref, issues, TYPE)];
  const member: MemberInput = {
    externalRef: id,
    name: displayName(resource.name) ?? id,
    gender,
    birthDate,
  };
  return [accepted(ref, { kind: 'member', value: member }, TYPE, warnings)];
}
