import type { InputFormat } from './types.ts';

/** Keys that only an Open mHealth body carries at its top level. */
const omhBodyKeys = new Set([
  'systolic_blood_pressure',
  'diastolic_blood_pressure',
  'blood_glucose',
  'heart_rate',
  'step_count',
  'body_weight',
  'sleep_duration',
  'effective_time_frame',
]);

/**
 * Top-level keys and string values of a JSON text that may be cut off anywhere (the first few KB
 * of a file). `depth` 1 = the root object; an array root makes its elements depth 2.
 */
function scanJsonHead(head: string): {
  keys: Map<string, string | null>;
  rootIsArray: boolean;
  elementKeys: Set<string>;
} {
  const keys = new Map<string, string | null>();
  const elementKeys = new Set<string>();
  const rootIsArray = head.startsWith('[');
  const objectDepth = rootIsArray ? 2 : 1;
  let depth = 0;
  let i = 0;
  let pendingKey: string | null = null;
  while (i < head.length) {
    const ch = head[i];
    if (ch === '"') {
      let j = i + 1;
      let text = '';
      while (j < head.length && head[j] !== '"') {
        if (head[j] === '\\') j += 1;
        text += head[j] ?? '';
        j += 1;
      }
      if (j >= head.length) break; // string cut off by the end of the head
      let k = j + 1;
      while (k < head.length && /\s/.test(head[k] ?? '')) k += 1;
      const isKey = head[k] === ':';
      if (depth === objectDepth) {
        if (isKey) {
          pendingKey = text;
          if (rootIsArray) elementKeys.add(text);
          else keys.set(text, null);
        } else if (pendingKey !== null && !rootIsArray) {
          keys.set(pendingKey, text);
          pendingKey = null;
        }
      }
      i = j + 1;
      continue;
    }
    if (ch === '{' || ch === '[') depth += 1;
    else if (ch === '}' || ch === ']') depth -= 1;
    else if (ch === ',') pendingKey = null;
    i += 1;
  }
  return { keys, rootIsArray, elementKeys };
}

/**
 * Which importer a file needs, from its first few KB: a FHIR Bundle or single resource (by the
 * root's resourceType, wherever it sits among the root keys), Open mHealth data points or bodies,
 * or an Apple Health export.xml.
 */
export function detectFormat(head: string): InputFormat {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) {
    return /<HealthData[\s>]|HealthKit Export/.test(text) ? 'apple-health-xml' : 'unknown';
  }
  if (!text.startsWith('{') && !text.startsWith('[')) return 'unknown';
  const { keys, rootIsArray, elementKeys } = scanJsonHead(text);
  if (rootIsArray) {
    if (elementKeys.has('header') && elementKeys.has('body')) return 'openmhealth';
    if ([...elementKeys].some((k) => omhBodyKeys.has(k))) return 'openmhealth';
    return 'unknown'; // an array of FHIR resources is not a FHIR exchange format
  }
  const resourceType = keys.get('resourceType');
  if (resourceType === 'Bundle') return 'fhir-bundle';
  if (typeof resourceType === 'string' && /^[A-Z][A-Za-z]+$/.test(resourceType))
    return 'fhir-resource';
  if (keys.has('header') || [...keys.keys()].some((k) => omhBodyKeys.has(k))) return 'openmhealth';
  // A Bundle whose resourceType comes after a long entry array: its other root keys give it away.
  if (keys.has('entry') && keys.has('type')) return 'fhir-bundle';
  return 'unknown';
}
