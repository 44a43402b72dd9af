import type { ProfileFact } from '../../model/types.ts';
import {
  bmiCategoryLabels,
  bmiCategoryRule,
  centralObesityRule,
  classifyBmi,
  classifyWaist,
  computeBmi,
} from '../../clinical/bmiCategory.ts';
import type { DeriveContext } from '../facts.ts';
import { readingEvidence, ruleFact } from '../facts.ts';

const waistText = {
  normal: { 'zh-CN': '腰围在正常范围', en: 'Waist circumference in the normal range' },
  'pre-central-obesity': {
    'zh-CN': '腰围处于中心型肥胖前期范围',
    en: 'Waist circumference in the pre-central-obesity range',
  },
  'central-obesity': {
    'zh-CN': '腰围处于中心型肥胖范围，建议与健康管理师讨论体重管理',
    en: 'Waist circumference in the central-obesity range — worth discussing weight management with your care team',
  },
} as const;

/** WS/T 428 applies to adults: children need growth references the product does not implement. */
const isChild = (ctx: DeriveContext): boolean => ctx.ageYears !== null && ctx.ageYears < 18;

export function bmiFacts(ctx: DeriveContext): ProfileFact[] {
  if (isChild(ctx)) return [];
  const { bmi, weight, height } = ctx.state.indicators;
  const w = weight?.latest;
  const h = height?.latest;
  const useComputed = w && h && (!bmi || w.t > bmi.latest.t);
  if (useComputed) {
    const v = computeBmi(w.v, h.v);
    const cat = classifyBmi(v);
    return [
      ruleFact(
        'bmi.category',
        'class',
        cat,
        bmiCategoryRule,
        [readingEvidence(w), readingEvidence(h)],
        {
          'zh-CN': `${bmiCategoryLabels[cat]['zh-CN']}（体重指数 ${v} kg/m²，由体重 ${w.v} kg 和身高 ${h.v} cm 计算）`,
          en: `${bmiCategoryLabels[cat].en} (BMI ${v} kg/m² from weight ${w.v} kg and height ${h.v} cm)`,
        },
      ),
    ];
  }
  if (!bmi) return [];
  const cat = classifyBmi(bmi.latest.v);
  return [
    ruleFact('bmi.category', 'class', cat, bmiCategoryRule, [readingEvidence(bmi.latest)], {
      'zh-CN': `${bmiCategoryLabels[cat]['zh-CN']}（体重指数 ${bmi.latest.v} kg/m²，${bmi.latest.at.slice(0, 10)}）`,
      en: `${bmiCategoryLabels[cat].en} (BMI ${bmi.latest.v} kg/m², ${bmi.latest.at.slice(0, 10)})`,
    }),
  ];
}

export function waistFacts(ctx: DeriveContext): ProfileFact[] {
  if (isChild(ctx)) return [];
  const waist = ctx.state.indicators.waist?.latest;
  if (!waist) return [];
  const cls = classifyWaist(ctx.member.gender, waist.v);
  if (!cls) return [];
  const ev = [readingEvidence(waist)];
  const out = [
    ruleFact('waist.class', 'class', cls, centralObesityRule, ev, {
      'zh-CN': `${waistText[cls]['zh-CN']}（${waist.v} cm）`,
      en: `${waistText[cls].en} (${waist.v} cm)`,
    }),
  ];
  if (cls === 'central-obesity') {
    out.push(
      ruleFact('tag.central_obesity', 'tag', true, centralObesityRule, ev, {
        'zh-CN': `腰围 ${waist.v} cm 处于中心型肥胖范围（男 ≥90，女 ≥85 cm）`,
        en: `Waist ${waist.v} cm is in the central-obesity range (men ≥ 90, women ≥ 85 cm)`,
      }),
    );
  }
  return out;
}
