import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import type { ValidationIssue } from '../model/types.ts';

export type IssueType = OperationOutcomeIssue['code'];

/**
 * Validation issues as a FHIR OperationOutcome: one error per issue, `expression` the field path,
 * `diagnostics` the reason. FHIR requires at least one issue, so an empty list reports success.
 */
export function operationOutcome(
  issues: ValidationIssue[],
  code: IssueType = 'invalid',
): OperationOutcome {
  if (issues.length === 0) {
    return {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', diagnostics: 'no issues' }],
    };
  }
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: 'error',
      code,
      diagnostics: i.message,
      ...(i.path !== '' ? { expression: [i.path] } : {}),
    })),
  };
}
