import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CliCommand, CliIo } from '../io.ts';
import type {
  ConditionInput,
  MemberInput,
  ObservationInput,
  ProfileFact,
  StoredObservation,
} from '@careloop/core';
import { parseFhirBundle } from '@careloop/core';
import { rebuildProfile } from '@careloop/core';

/**
 * `careloop eval synthea <folder>`: derives tags from each bundle's OBSERVATIONS ONLY (conditions and
 * medications are not shown to the profile) and compares them with the bundle's Condition
 * resources, the ground truth Synthea's disease modules wrote. Prints a confusion matrix per tag.
 */
export interface TagComparison {
  tag: string;
  /** SNOMED codes that count as the condition being present. */
  truthCodes: readonly string[];
  /** Whether the derived profile says so. */
  derived: (facts: Record<string, ProfileFact>) => boolean;
}

export const syntheaComparisons: readonly TagComparison[] = [
  {
    tag: 'hypertension',
    truthCodes: ['38341003'],
    derived: (f) => f['tag.hypertension']?.value === true,
  },
  { tag: 'diabetes', truthCodes: ['44054006'], derived: (f) => f['tag.diabetes']?.value === true },
  {
    tag: 'prediabetes',
    truthCodes: ['15777000'],
    derived: (f) => f['tag.prediabetes']?.value === true,
  },
  {
    tag: 'dyslipidemia',
    truthCodes: ['55822004', '302870006'],
    derived: (f) => f['tag.dyslipidemia']?.value === true,
  },
  {
    tag: 'hyperlipidemia',
    truthCodes: ['55822004'],
    derived: (f) => f['lipid.tc']?.value === 'high' || f['lipid.ldl']?.value === 'high',
  },
  {
    tag: 'hypertriglyceridemia',
    truthCodes: ['302870006'],
    derived: (f) => f['lipid.tg']?.value === 'high',
  },
  {
    tag: 'ckd',
    truthCodes: [
      '431855005',
      '431856006',
      '433144002',
      '431857002',
      '433146000',
      '46177005',
      '709044004',
    ],
    derived: (f) => f['tag.ckd']?.value === true,
  },
  {
    tag: 'hyperuricemia (gout)',
    truthCodes: ['90560007', '35885006'],
    derived: (f) => f['tag.hyperuricemia']?.value === true,
  },
];

export interface PatientOutcome {
  file: string;
  name: string;
  observations: number;
  truth: Record<string, boolean>;
  derived: Record<string, boolean>;
  facts: Record<string, ProfileFact>;
}

export interface Confusion {
  tag: string;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  agreement: number;
  disagreements: { file: string; kind: 'false-positive' | 'false-negative' }[];
}

export interface SyntheaEvaluation {
  patients: PatientOutcome[];
  confusion: Confusion[];
  issues: string[];
}

/** Parses one bundle with the FHIR importer and derives its profile from observations only. */
export function evaluateBundle(
  file: string,
  bundle: unknown,
): PatientOutcome | { file: string; error: string } {
  const parsed = parseFhirBundle(bundle);
  let member: MemberInput | undefined;
  const observations: StoredObservation[] = [];
  const conditions: ConditionInput[] = [];
  parsed.items.forEach((item) => {
    if (!item.ok) return;
    const r = item.record;
    if (r.kind === 'member') member ??= r.value;
    else if (r.kind === 'condition') conditions.push(r.value);
    else if (r.kind === 'observation') {
      const o: ObservationInput = r.value;
      observations.push({ ...o, id: o.idempotencyKey, memberId: o.memberRef });
    }
  });
  if (!member) return { file, error: 'no Patient in the bundle' };
  let newest = 0;
  for (const o of observations) newest = Math.max(newest, Date.parse(o.effectiveAt) || 0);
  const profile = rebuildProfile({
    member: {
      memberId: member.externalRef,
      gender: member.gender,
      birthDate: member.birthDate,
      timeZone: member.timeZone ?? 'UTC',
    },
    observations,
    now: new Date(newest + 86_400_000),
    options: { useConditions: false, useMedications: false },
  });
  const facts = Object.fromEntries(profile.facts.map((f) => [f.key, f]));
  const codes = new Set(conditions.filter((c) => c.system.includes('snomed')).map((c) => c.code));
  const truth: Record<string, boolean> = {};
  const derived: Record<string, boolean> = {};
  for (const c of syntheaComparisons) {
    truth[c.tag] = c.truthCodes.some((code) => codes.has(code));
    derived[c.tag] = c.derived(facts);
  }
  return { file, name: member.name, observations: observations.length, truth, derived, facts };
}

export async function evaluateSyntheaFolder(folder: string): Promise<SyntheaEvaluation> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json')).sort();
  const patients: PatientOutcome[] = [];
  const issues: string[] = [];
  for (const file of files) {
    const text = await readFile(join(folder, file), 'utf8');
    let bundle: unknown;
    try {
      bundle = JSON.parse(text);
    } catch (e) {
      issues.push(`${file}: not JSON (${(e as Error).message})`);
      continue;
    }
    const outcome = evaluateBundle(file, bundle);
    if ('error' in outcome) issues.push(`${file}: ${outcome.error}`);
    else patients.push(outcome);
  }
  const confusion = syntheaComparisons.map((c): Confusion => {
    const m: Confusion = {
      tag: c.tag,
      tp: 0,
      fp: 0,
      fn: 0,
      tn: 0,
      agreement: 0,
      disagreements: [],
    };
    for (const p of patients) {
      const t = p.truth[c.tag];
      const d = p.derived[c.tag];
      if (t && d) m.tp++;
      else if (!t && d) {
        m.fp++;
        m.disagreements.push({ file: p.file, kind: 'false-positive' });
      } else if (t && !d) {
        m.fn++;
        m.disagreements.push({ file: p.file, kind: 'false-negative' });
      } else m.tn++;
    }
    m.agreement = patients.length > 0 ? (m.tp + m.tn) / patients.length : 0;
    return m;
  });
  return { patients, confusion, issues };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function table(result: SyntheaEvaluation, verbose: boolean): string {
  const lines = [
    `${result.patients.length} patients; tags derived from observations only, compared with the bundles' Condition resources`,
    '',
    `${'tag'.padEnd(22)} ${'TP'.padStart(4)} ${'FP'.padStart(4)} ${'FN'.padStart(4)} ${'TN'.padStart(4)}  agreement  sensitivity  specificity`,
  ];
  for (const m of result.confusion) {
    const sens = m.tp + m.fn > 0 ? pct(m.tp / (m.tp + m.fn)) : '—';
    const spec = m.tn + m.fp > 0 ? pct(m.tn / (m.tn + m.fp)) : '—';
    lines.push(
      `${m.tag.padEnd(22)} ${String(m.tp).padStart(4)} ${String(m.fp).padStart(4)} ${String(m.fn).padStart(4)} ${String(m.tn).padStart(4)}  ${pct(m.agreement).padStart(9)}  ${sens.padStart(11)}  ${spec.padStart(11)}`,
    );
  }
  lines.push('', 'Disagreements are explained in docs/clinical.md ("Synthea evaluation").');
  if (verbose) {
    for (const m of result.confusion) {
      if (m.disagreements.length === 0) continue;
      lines.push('', `${m.tag}:`);
      for (const d of m.disagreements) lines.push(`  ${d.kind.padEnd(15)} ${d.file}`);
    }
  }
  for (const i of result.issues) lines.push(`! ${i}`);
  return `${lines.join('\n')}\n`;
}

function fail(io: CliIo, message: string): number {
  io.stderr(`careloop eval synthea: ${message}\n`);
  return 2;
}

/** `careloop eval synthea <folder> [--json] [--verbose]` (the lead routes `eval synthea` here). */
export const run: CliCommand = async (argv, io) => {
  const args = argv[0] === 'synthea' ? argv.slice(1) : argv;
  let folder: string | undefined;
  let json = false;
  let verbose = false;
  for (const a of args) {
    if (a === '--json') json = true;
    else if (a === '--verbose' || a === '-v') verbose = true;
    else if (a === '--help' || a === '-h')
      return fail(io, 'usage: careloop eval synthea <folder> [--json] [--verbose]');
    else if (a.startsWith('--')) return fail(io, `unknown option '${a}'`);
    else if (folder === undefined) folder = a;
    else return fail(io, `unexpected argument '${a}'`);
  }
  if (!folder) return fail(io, 'usage: careloop eval synthea <folder> [--json] [--verbose]');
  let result: SyntheaEvaluation;
  try {
    result = await evaluateSyntheaFolder(resolve(io.cwd, folder));
  } catch (e) {
    return fail(io, (e as Error).message);
  }
  if (json) {
    const { confusion, issues, patients } = result;
    io.stdout(
      `${JSON.stringify({ confusion, issues, patients: patients.map(({ facts: _facts, ...p }) => p) }, null, 2)}\n`,
    );
  } else io.stdout(table(result, verbose));
  return result.patients.length === 0 ? 1 : 0;
};
