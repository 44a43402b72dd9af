import type { Evidence, ObservationInput } from '../model/types.ts';
import { citation, type Bilingual } from '../clinical/guideline.ts';
import { indicatorById } from '../clinical/indicators.ts';
import {
  chestPainSymptomCode,
  glucoseIndicatorIds,
  redFlagRules,
  redFlagThresholds as T,
  type RedFlagKind,
} from '../clinical/redFlagRules.ts';

export interface RedFlag {
  ruleId: string;
  citation: string;
  kind: RedFlagKind;
  evidence: Evidence[];
  /** What the member should do now. */
  memberGuidance: Bilingual;
  /** One line for the care-team task. */
  summary: Bilingual;
}

export interface RedFlagOptions {
  /** With `now`, readings older than `maxAgeHours` (default 24) are history, not an emergency. */
  now?: Date;
  maxAgeHours?: number;
}

type Obs = ObservationInput & { id?: string };

function evidenceOf(o: Obs): Evidence {
  const e: Evidence = { code: o.code, value: o.value, unit: o.unit, effectiveAt: o.effectiveAt };
  if (o.id) e.observationId = o.id;
  return e;
}

function flag(kind: RedFlagKind, evidence: Evidence[], value: string): RedFlag {
  const r = redFlagRules[kind];
  return {
    ruleId: r.rule.id,
    citation: citation(r.rule),
    kind,
    evidence,
    memberGuidance: r.memberGuidance,
    summary: {
      'zh-CN': r.summary['zh-CN'].replace('{value}', value),
      en: r.summary.en.replace('{value}', value),
    },
  };
}

/**
 * Immediate red flags in a batch of new observations: BP ≥ 180 and/or ≥ 110 (halves paired by panel
 * key, else by identical time), glucose < 3.9 or ≥ 16.7 mmol/L, heart rate < 40 or > 130, and a
 * self-reported chest pain. One flag per reading.
 */
export function detectRedFlags(
  observations: readonly Obs[],
  options: RedFlagOptions = {},
): RedFlag[] {
  const cutoff = options.now
    ? options.now.getTime() - (options.maxAgeHours ?? 24) * 3_600_000
    : -Infinity;
  const recent = observations.filter((o) => {
    if (cutoff === -Infinity) return true;
    const t = Date.parse(o.effectiveAt);
    return Number.isFinite(t) && t >= cutoff;
  });
  const flags: RedFlag[] = [];
  const bp = new Map<string, { s?: Obs; d?: Obs }>();
  for (const o of recent) {
    if (!Number.isFinite(o.value)) continue;
    const id = o.indicator ?? undefined;
    if (id === 'sbp' || id === 'dbp') {
      const key = o.panelKey ? `p:${o.panelKey}` : `t:${o.memberRef}|${Date.parse(o.effectiveAt)}`;
      const g = bp.get(key) ?? {};
      if (id === 'sbp') g.s = o;
      else g.d = o;
      bp.set(key, g);
    } else if (id && glucoseIndicatorIds.includes(id)) {
      const v = `${o.value} mmol/L`;
      if (o.value < T.glucoseBelow) flags.push(flag('hypoglycaemia', [evidenceOf(o)], v));
      else if (o.value >= T.glucoseAtLeast) flags.push(flag('hyperglycaemia', [evidenceOf(o)], v));
    } else if (id === 'heart_rate') {
      const v = `${o.value}/min`;
      if (o.value < T.heartRateBelow) flags.push(flag('bradycardia', [evidenceOf(o)], v));
      else if (o.value > T.heartRateAbove) flags.push(flag('tachycardia', [evidenceOf(o)], v));
    } else if (o.code === chestPainSymptomCode && o.value === 1) {
      flags.push(flag('chest-pain', [evidenceOf(o)], '胸痛 / chest pain'));
    }
  }
  for (const { s, d } of bp.values()) {
    const high =
      (s !== undefined && s.value >= T.sbpAtLeast) || (d !== undefined && d.value >= T.dbpAtLeast);
    if (!high) continue;
    const ev = [s, d].filter((x): x is Obs => x !== undefined).map(evidenceOf);
    const value = `${s?.value ?? '–'}/${d?.value ?? '–'} ${indicatorById('sbp')?.displayUnit ?? 'mmHg'}`;
    flags.push(flag('bp-crisis', ev, value));
  }
  return flags;
}
