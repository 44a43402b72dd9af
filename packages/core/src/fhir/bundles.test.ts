import { describe, expect, it } from 'vitest';
import { searchsetBundle, transactionResponse } from './bundles.ts';
import { operationOutcome } from './operationOutcome.ts';

describe('operationOutcome', () => {
  it('turns each issue into an error with its path as the expression', () => {
    expect(
      operationOutcome([{ path: 'entry[3].resource.valueQuantity.unit', message: 'unknown unit' }]),
    ).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'invalid',
          diagnostics: 'unknown unit',
          expression: ['entry[3].resource.valueQuantity.unit'],
        },
      ],
    });
    expect(operationOutcome([{ path: '', message: 'not JSON' }], 'structure').issue[0]).toEqual({
      severity: 'error',
      code: 'structure',
      diagnostics: 'not JSON',
    });
  });

  it('still has one issue when there is nothing wrong (FHIR requires issue 1..*)', () => {
    expect(operationOutcome([]).issue).toEqual([
      { severity: 'information', code: 'informational', diagnostics: 'no issues' },
    ]);
  });
});

describe('searchsetBundle', () => {
  it('lists matches with fullUrls under the server base, the total and paging links', () => {
    const bundle = searchsetBundle([{ resourceType: 'Patient', id: 'm1' }], 41, {
      self: 'https://care.example/fhir/Observation?subject=m1&_count=1',
      next: 'https://care.example/fhir/Observation?subject=m1&_count=1&_offset=1',
    });
    expect(bundle).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 41,
      link: [
        { relation: 'self', url: 'https://care.example/fhir/Observation?subject=m1&_count=1' },
        {
          relation: 'next',
          url: 'https://care.example/fhir/Observation?subject=m1&_count=1&_offset=1',
        },
      ],
      entry: [
        {
          fullUrl: 'https://care.example/fhir/Patient/m1',
          resource: { resourceType: 'Patient', id: 'm1' },
          search: { mode: 'match' },
        },
      ],
    });
  });

  it('leaves out fullUrl when the self link is relative', () => {
    const bundle = searchsetBundle([{ resourceType: 'Patient', id: 'm1' }], 1, {
      self: '/fhir/Patient?_id=m1',
      previous: '/fhir/Patient?_id=m0',
    });
    expect(bundle.entry?.[0]?.fullUrl).toBeUndefined();
    expect(bundle.link?.map((l) => l.relation)).toEqual(['self', 'previous']);
  });
});

describe('transactionResponse', () => {
  it('answers each entry in order with status, location and outcome', () => {
    const outcome = operationOutcome([{ path: 'entry[1].resource.subject', message: 'required' }]);
    expect(
      transactionResponse(
        [
          { status: '201 Created', location: 'Observation/o1/_history/1' },
          { status: '400 Bad Request', outcome },
        ],
        'batch-response',
      ),
    ).toEqual({
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: [
        { response: { status: '201 Created', location: 'Observation/o1/_history/1' } },
        { response: { status: '400 Bad Request', outcome } },
      ],
    });
  });
});
