import type { Evidence, ProfileFact } from '../../model/types.ts';
import type { Bilingual, RuleRef } from '../../clinical/guideline.ts';
import type { DeriveContext } from '../facts.ts';
import { ruleFact } from '../facts.ts';
import { activeMedicationClasses } from './medications.ts';

/**
 * Health stage (seed 003: 健康维持期 / 亚健康预警期 / 疾病治疗期). A product rule built on the cited
 * tags: confirmed chronic-disease tags or disease medication → treatment; risk flags, borderline
 * classes or a high/medium risk score → sub-health warning; otherwise maintenance.
 */
export const healthStageRule: RuleRef = {
  id: 'careloop/health-stage',
  guideline:
    'CareLoop health stage (seed 003: 健康维持期/亚健康预警期/疾病治疗期), built on the cited tag rules',
  year: 2025,
  section:
    'treatment: confirmed disease tag or disease medication; sub-health warning: risk flag, borderline class or elevated risk score',
};

export type HealthStage = 'maintenance' | 'sub-health-warning' | 'treatment';

export const diseaseTags = [
  'tag.hypertension',
  'tag.diabetes',
  'tag.ckd',
  'tag.dyslipidemia',
  'tag.hyperuricemia',
] as const;

/** Facts that put a member in the warning stage, with the values that count. */
const warningFacts: Record<string, readonly (string | number | boolean)[]> = {
  'tag.bp_elevated_unconfirmed': [true],
  'tag.glucose_elevated_unconfirmed': [true],
  'tag.uric_acid_elevated_unconfirmed': [true],
  'tag.kidney_marker_abnormal_unconfirmed': [true],
  'tag.prediabetes': [true],
  'tag.central_obesity': [true],
  'bp.class': ['high-normal'],
  'bmi.category': ['underweight', 'overweight', 'obese'],
  'lipid.tc': ['borderline-high'],
  'lipid.ldl': ['borderline-high'],
  'lipid.tg': ['borderline-high'],
  'waist.class': ['pre-central-obesity'],
};

/** Published risk bands that count as a warning (China-PAR medium/high, FINDRISC moderate+, CDRS high, eGFR G3a+). */
const warningBands = new Set(['medium', 'moderate', 'high', 'very-high', 'G3a', 'G3b', 'G4', 'G5']);

const stageLabels: Record<HealthStage, Bilingual> = {
  maintenance: { 'zh-CN': '健康维持期', en: 'Maintenance' },
  'sub-health-warning': { 'zh-CN': '亚健康预警期', en: 'Sub-health warning' },
  treatment: { 'zh-CN': '疾病治疗期', en: 'Treatment' },
};

function reasonEvidence(f: ProfileFact): Evidence {
  return f.evidence[0] ?? { code: f.key, value: String(f.value), effectiveAt: '' };
}

export function stageFacts(ctx: DeriveContext): ProfileFact[] {
  const facts = ctx.state.facts;
  const disease = diseaseTags
    .map((k) => facts[k])
    .filter((f): f is ProfileFact => f?.value === true);
  const meds = activeMedicationClasses(ctx);
  let stage: HealthStage;
  let reasons: string[];
  let ev: Evidence[];
  if (disease.length > 0 || meds.size > 0) {
    stage = 'treatment';
    reasons = [...disease.map((f) => f.key), ...[...meds.keys()].map((c) => `medication:${c}`)];
    ev = [
      ...disease.map(reasonEvidence),
      ...[...meds.values()]
        .flat()
        .map((m) => ({ code: 'medication', value: m.name, effectiveAt: m.authoredOn ?? '' })),
    ];
  } else {
    const warn: ProfileFact[] = [];
    for (const [key, values] of Object.entries(warningFacts)) {
      const f = facts[key];
      if (f && f.value !== null && values.includes(f.value)) warn.push(f);
    }
    const scores = Object.values(facts).filter(
      (f) =>
        f.key.startsWith('score.') && f.key.endsWith('.band') && warningBands.has(String(f.value)),
    );
    const all = [...warn, ...scores];
    stage = all.length > 0 ? 'sub-health-warning' : 'maintenance';
    reasons = all.map((f) => f.key);
    ev = all.map(reasonEvidence);
  }
  const why = reasons.length > 0 ? reasons.join(', ') : 'no risk flags';
  return [
    ruleFact('stage', 'stage', stage, healthStageRule, ev, {
      'zh-CN': `${stageLabels[stage]['zh-CN']}（依据：${reasons.length > 0 ? reasons.join('、') : '暂无风险标记'}）`,
      en: `${stageLabels[stage].en} (because: ${why})`,
    }),
  ];
}
