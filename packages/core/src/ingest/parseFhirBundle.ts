import type { ValidationIssue } from '../model/types.ts';
import { parseFhirCondition } from './fhirCondition.ts';
import { emptyContext, entryAddresses, logicalId, type FhirContext } from './fhirElements.ts';
import { parseFhirMedication } from './fhirMedication.ts';
import { parseFhirObservation } from './fhirObservation.ts';
import { parseFhirPatient } from './fhirPatient.ts';
import { describeType, isRecord, rejectedItem, skippedItem } from './itemResults.ts';
import type { FhirParseOptions, IngestItemResult, ParsedBundle } from './types.ts';

const bundleTypes = [
  'document',
  'message',
  'transaction',
  'transaction-response',
  'batch',
  'batch-response',
  'history',
  'searchset',
  'collection',
];

/** Resources read only to resolve others; not stored themselves. */
const supportingTypes: Readonly<Record<string, string>> = {
  Medication: 'read to name the MedicationRequests that reference it',
  DiagnosticReport:
    'its results are imported as Observations (taking its effective time when they have none)',
};

const contextFor = (opts: FhirParseOptions | undefined): FhirContext =>
  emptyContext(opts?.sourceKind ?? 'clinic', opts?.sourceSystem ?? 'fhir');

/** Dispatches one resource to its mapper; every other type is skipped with the reason. */
function parseResource(
  resource: unknown,
  ref: string,
  path: string,
  fullUrl: unknown,
  ctx: FhirContext,
): IngestItemResult[] {
  if (!isRecord(resource)) {
    return [
      rejectedItem(ref, [
        { path, message: `expected a FHIR resource object, got ${describeType(resource)}` },
      ]),
    ];
  }
  const type = resource.resourceType;
  if (typeof type !== 'string' || type === '') {
    return [rejectedItem(ref, [{ path: `${path}.resourceType`, message: 'required' }])];
  }
  switch (type) {
    case 'Bundle':
      return [
        rejectedItem(
          ref,
          [{ path: `${path}.resourceType`, message: 'a Bundle goes through parseFhirBundle' }],
          type,
        ),
      ];
    case 'Patient':
      return parseFhirPatient(resource, ref, path, fullUrl);
    case 'Observation':
      return parseFhirObservation(resource, ref, path, fullUrl, ctx);
    case 'Condition':
      return parseFhirCondition(resource, ref, path, fullUrl, ctx);
    case 'MedicationRequest':
    case 'MedicationStatement':
      return parseFhirMedication(resource, ref, path, fullUrl, ctx);
    default: {
      const why = supportingTypes[type] ?? 'this resource type is not imported';
      return [skippedItem(ref, `${path}.resourceType`, `${type}: ${why}`, type)];
    }
  }
}

/** First pass: where Patients, Medications and report times can be found by reference. */
function indexBundle(entries: unknown[], ctx: FhirContext): void {
  for (const entry of entries) {
    if (!isRecord(entry) || !isRecord(entry.resource)) continue;
    const resource = entry.resource;
    const type = resource.resourceType;
    if (type === 'Patient') {
      const id = logicalId(resource, entry.fullUrl);
      if (id === undefined) continue;
      for (const address of entryAddresses(type, id, entry.fullUrl)) ctx.patients.set(address, id);
    } else if (type === 'Medication') {
      const id = logicalId(resource, entry.fullUrl);
      for (const address of entryAddresses(type, id, entry.fullUrl))
        ctx.medications.set(address, resource);
    } else if (type === 'DiagnosticReport' && Array.isArray(resource.result)) {
      const times = {
        effectiveDateTime: resource.effectiveDateTime,
        effectivePeriod: resource.effectivePeriod,
      };
      if (times.effectiveDateTime === undefined && times.effectivePeriod === undefined) continue;
      for (const result of resource.result) {
        if (isRecord(result) && typeof result.reference === 'string')
          ctx.reportTimes.set(result.reference, times);
      }
    }
  }
}

/**
 * Parses a FHIR R4 Bundle (transaction, batch, collection, searchset…) into per-entry results.
 * One bad entry never stops the others; problems with the bundle itself go to `bundleIssues`.
 * Item refs are `entry[i]` (`entry[i].component[j]` for a panel's halves); issue paths start at the
 * bundle root (`entry[3].resource.valueQuantity.unit`).
 */
export function parseFhirBundle(bundle: unknown, opts?: FhirParseOptions): ParsedBundle {
  const bundleIssues: ValidationIssue[] = [];
  if (!isRecord(bundle)) {
    return {
      bundleType: null,
      items: [],
      bundleIssues: [
        { path: '', message: `expected a FHIR Bundle object, got ${describeType(bundle)}` },
      ],
    };
  }
  if (bundle.resourceType !== 'Bundle') {
    const got = typeof bundle.resourceType === 'string' ? `'${bundle.resourceType}'` : 'none';
    return {
      bundleType: null,
      items: [],
      bundleIssues: [
        {
          path: 'resourceType',
          message: `expected 'Bundle', got ${got} (a single resource goes through parseFhirResource)`,
        },
      ],
    };
  }
  const bundleType = typeof bundle.type === 'string' ? bundle.type : null;
  if (bundleType === null || !bundleTypes.includes(bundleType)) {
    bundleIssues.push({ path: 'type', message: `required, one of ${bundleTypes.join(', ')}` });
  }
  if (!Array.isArray(bundle.entry)) {
    bundleIssues.push({
      path: 'entry',
      message: bundle.entry === undefined ? 'the bundle has no entry array' : 'must be an array',
    });
    return { bundleType, items: [], bundleIssues };
  }

  const ctx = contextFor(opts);
  indexBundle(bundle.entry, ctx);
  const items: IngestItemResult[] = [];
  bundle.entry.forEach((entry, i) => {
    const ref = `entry[${i}]`;
    if (!isRecord(entry)) {
      items.push(
        rejectedItem(ref, [
          { path: ref, message: `expected an entry object, got ${describeType(entry)}` },
        ]),
      );
      return;
    }
    const method = isRecord(entry.request) ? entry.request.method : undefined;
    if (method !== undefined && method !== 'POST' && method !== 'PUT') {
      items.push(
        skippedItem(
          ref,
          `${ref}.request.method`,
          `${String(method)} requests are not supported: only POST and PUT import data`,
          `${String(method)} request`,
        ),
      );
      return;
    }
    if (entry.resource === undefined) {
      // A response bundle's entries carry outcomes, not data.
      if (bundleType?.endsWith('-response')) {
        items.push(
          skippedItem(
            ref,
            `${ref}.response`,
            'a response entry without a resource: nothing to import',
            'response',
          ),
        );
      } else
        items.push(
          rejectedItem(ref, [{ path: `${ref}.resource`, message: 'the entry has no resource' }]),
        );
      return;
    }
    items.push(...parseResource(entry.resource, ref, `${ref}.resource`, entry.fullUrl, ctx));
  });
  return { bundleType, items, bundleIssues };
}

/**
 * One resource outside a bundle (a POST of a single Observation etc.). Issue paths start with
 * the resource type (`Observation.valueQuantity.value`, FHIRPath style for OperationOutcome).
 */
export function parseFhirResource(
  resource: unknown,
  ref?: string,
  opts?: FhirParseOptions,
): IngestItemResult[] {
  const type =
    isRecord(resource) && typeof resource.resourceType === 'string'
      ? resource.resourceType
      : undefined;
  const id = isRecord(resource) && typeof resource.id === 'string' ? resource.id : undefined;
  const itemRef = ref ?? (type && id ? `${type}/${id}` : (type ?? 'resource'));
  return parseResource(resource, itemRef, type ?? 'resource', undefined, contextFor(opts));
}
