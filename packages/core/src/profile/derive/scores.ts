import type { Evidence, ProfileFact } from '../../model/types.ts';
import { isRiskRejection, riskModels, type RiskResult } from '../../risk/index.ts';
import type { DeriveContext } from '../facts.ts';
import { readingEvidence } from '../facts.ts';
import type { Reading } from '../state.ts';
import { activeMedicationClasses } from './medications.ts';

/** What recomputes the scores: a new reading they read, or a change of the diabetes facts. */
export const scoreInputs: readonly string[] = [
  'sbp',
  'tc',
  'hdl',
  'waist',
  'bmi',
  'weight',
  'height',
  'creatinine',
  'fact:tag.diabetes',
  'fact:glucose.status',
  'fact:tag.glucose_elevated_unconfirmed',
];

type Input = { value: number | string | boolean; unit?: string; source?: string };

/**
 * The risk models' inputs as far as the profile knows them. Questionnaire items (smoking, region,
 * family history, diet, activity) are not in the profile yet: the models then report
 * "insufficient data: missing …" and the fact carries that, with a null value.
 */
function profileInputs(ctx: DeriveContext): {
  inputs: Record<string, Input>;
  readings: Record<string, Reading>;
} {
  const inputs: Record<string, Input> = {};
  const readings: Record<string, Reading> = {};
  const ind = ctx.state.indicators;
  if (ctx.ageYears !== null) inputs.age = { value: ctx.ageYears };
  if (ctx.member.gender === 'male' || ctx.member.gender === 'female')
    inputs.sex = { value: ctx.member.gender };
  const take = (field: string, id: string, unit: string) => {
    const r = ind[id]?.latest;
    if (!r) return;
    inputs[field] = { value: r.v, unit, source: r.id };
    readings[field] = r;
  };
  take('sbp', 'sbp', 'mm[Hg]');
  take('tc', 'tc', 'mmol/L');
  take('hdl', 'hdl', 'mmol/L');
  take('waist', 'waist', 'cm');
  take('bmi', 'bmi', 'kg/m2');
  const w = ind.weight?.latest;
  const h = ind.height?.latest;
  if (w && h && (!ind.bmi || w.t > ind.bmi.latest.t)) {
    inputs.bmi = {
      value: Math.round((w.v / (h.v / 100) ** 2) * 10) / 10,
      unit: 'kg/m2',
      source: `${w.id},${h.id}`,
    };
    readings.bmi = w;
  }
  const cr = ind.creatinine?.latest;
  if (cr) {
    inputs.creatinine = { value: cr.v, unit: 'umol/L', source: cr.id };
    readings.creatinine = cr;
  }
  const meds = activeMedicationClasses(ctx);
  if (ctx.options.useMedications) {
    const treated = (meds.get('antihypertensive')?.length ?? 0) > 0;
    inputs.bpTreated = { value: treated };
    inputs.bpMedication = { value: treated };
  }
  const diabetes = ctx.state.facts['tag.diabetes']?.value === true;
  if (ctx.state.facts['glucose.status'] || diabetes) inputs.diabetes = { value: diabetes };
  const status = ctx.state.facts['glucose.status']?.value;
  if (status !== undefined || ctx.state.diabetesEvents.length > 0) {
    inputs.highGlucoseHistory = {
      value: ctx.state.diabetesEvents.length > 0 || (status !== 'normal' && status !== undefined),
    };
  }
  return { inputs, readings };
}

const scoreUnits: Record<RiskResult['unit'], string> = {
  '%': '%',
  points: '{score}',
  'mL/min/1.73m2': 'mL/min/{1.73_m2}',
};

export function scoreFacts(ctx: DeriveContext): ProfileFact[] {
  const { inputs, readings } = profileInputs(ctx);
  const out: ProfileFact[] = [];
  for (const model of Object.values(riskModels)) {
    const own: Record<string, Input> = {};
    for (const k of Object.keys(model.inputs)) if (inputs[k] !== undefined) own[k] = inputs[k];
    const res = model.compute(own);
    // Fact keys are identifiers conditions can spell: `score.china_par`, `score.china_par_band`.
    const key = `score.${model.id.replaceAll('-', '_')}`;
    if (isRiskRejection(res)) {
      // An input outside the model's validated range (e.g. age): say so rather than score it.
      const why = res.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      out.push({
        key,
        kind: 'score',
        value: null,
        ruleId: `risk/${model.id}`,
        citation: model.describe,
        evidence: [],
        label: { 'zh-CN': `无法计算：${why}`, en: `not computed: ${why}` },
      });
      continue;
    }
    const evidence: Evidence[] = Object.keys(res.inputsUsed)
      .map((k) => readings[k])
      .filter((r): r is Reading => r !== undefined)
      .map((r) => readingEvidence(r));
    const text =
      res.value === null
        ? {
            'zh-CN': `数据不足：缺少 ${res.missing.join('、')}`,
            en: res.message ?? `insufficient data: missing ${res.missing.join(', ')}`,
          }
        : {
            'zh-CN': `${res.value} ${res.unit}${res.bandLabel ? `（${res.bandLabel['zh-CN']}）` : res.band ? `（${res.band}）` : ''}`,
            en: `${res.value} ${res.unit}${res.bandLabel ? ` (${res.bandLabel.en})` : res.band ? ` (${res.band})` : ''}`,
          };
    out.push({
      key,
      kind: 'score',
      value: res.value,
      unit: scoreUnits[res.unit],
      ruleId: `risk/${model.id}`,
      citation: res.citation,
      evidence,
      label: text,
    });
    if (res.band !== null) {
      out.push({
        key: `${key}_band`,
        kind: 'class',
        value: res.band,
        ruleId: `risk/${model.id}`,
        citation: res.citation,
        evidence,
        label: res.bandLabel ?? { 'zh-CN': res.band, en: res.band },
      });
    }
  }
  return out;
}
