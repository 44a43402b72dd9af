import type { ProfileFact } from '../../model/types.ts';
import type { RuleRef } from '../../clinical/guideline.ts';
import type { DeriveContext } from '../facts.ts';
import { ruleFact } from '../facts.ts';
import { diseaseTags } from './stage.ts';

const segmentRule: RuleRef = {
  id: 'careloop/segments',
  guideline: 'CareLoop segments (clinical, demographic, behavioural)',
  year: 2025,
  section:
    'age groups 18–44/45–59/60–74/75+; clinical by disease-tag count; behaviour by data in the last 30 days',
};

const stepsRule: RuleRef = {
  id: 'tudor-locke-2004/step-index',
  guideline: 'Tudor-Locke & Bassett, How many steps/day are enough? Sports Med 2004;34:1–8',
  year: 2004,
  section:
    'graduated step index: <5000 sedentary, 5000–7499 low active, 7500–9999 somewhat active, ≥10000 active',
};

export const segmentRules: readonly RuleRef[] = [segmentRule, stepsRule];

export function ageGroup(age: number): string {
  if (age < 18) return '<18';
  if (age < 45) return '18-44';
  if (age < 60) return '45-59';
  if (age < 75) return '60-74';
  return '75+';
}

export function stepSegment(stepsPerDay: number): string {
  if (stepsPerDay < 5000) return 'sedentary';
  if (stepsPerDay < 7500) return 'low-active';
  if (stepsPerDay < 10000) return 'somewhat-active';
  return 'active';
}

const monitoredIndicators = ['sbp', 'glucose', 'fpg'];

export function segmentFacts(ctx: DeriveContext): ProfileFact[] {
  const out: ProfileFact[] = [];
  const facts = ctx.state.facts;
  if (ctx.ageYears !== null) {
    const g = ageGroup(ctx.ageYears);
    out.push(
      ruleFact('segment.age_group', 'segment', g, segmentRule, [], {
        'zh-CN': `年龄组 ${g}`,
        en: `Age group ${g}`,
      }),
    );
  }
  if (ctx.member.gender === 'male' || ctx.member.gender === 'female') {
    out.push(
      ruleFact('segment.sex', 'segment', ctx.member.gender, segmentRule, [], {
        'zh-CN': ctx.member.gender === 'male' ? '男性' : '女性',
        en: ctx.member.gender,
      }),
    );
  }
  const disease = diseaseTags.filter((k) => facts[k]?.value === true);
  const stage = facts.stage?.value;
  const clinical =
    disease.length >= 2
      ? 'multimorbidity'
      : disease.length === 1
        ? 'single-chronic'
        : stage === 'sub-health-warning'
          ? 'at-risk'
          : 'no-flags';
  out.push(
    ruleFact(
      'segment.clinical',
      'segment',
      clinical,
      segmentRule,
      disease.map((k) => ({ code: k, value: 'true', effectiveAt: '' })),
      {
        'zh-CN':
          {
            multimorbidity: '多病共存',
            'single-chronic': '单一慢病',
            'at-risk': '风险人群',
            'no-flags': '暂无风险标记',
          }[clinical] ?? clinical,
        en:
          {
            multimorbidity: 'Several chronic-condition flags',
            'single-chronic': 'One chronic-condition flag',
            'at-risk': 'At risk',
            'no-flags': 'No risk flags',
          }[clinical] ?? clinical,
      },
    ),
  );
  const steps = facts['avg30.steps'];
  if (typeof steps?.value === 'number') {
    const s = stepSegment(steps.value);
    out.push(
      ruleFact('segment.activity', 'segment', s, stepsRule, steps.evidence.slice(0, 3), {
        'zh-CN': `近30天日均步数 ${steps.value}（${s}）`,
        en: `Daily steps over 30 days ${steps.value} (${s})`,
      }),
    );
  }
  // Self-monitoring: days with a BP or glucose reading in the last 30 local days.
  const days = new Set<number>();
  for (const id of monitoredIndicators) {
    for (const b of ctx.state.indicators[id]?.days ?? [])
      if (b.d > ctx.today - 30 && b.d <= ctx.today) days.add(b.d);
  }
  const monitoring = days.size >= 12 ? 'regular' : days.size > 0 ? 'occasional' : 'none';
  out.push(
    ruleFact('segment.self_monitoring', 'segment', monitoring, segmentRule, [], {
      'zh-CN': `近30天有 ${days.size} 天记录血压或血糖`,
      en: `Blood pressure or glucose recorded on ${days.size} of the last 30 days`,
    }),
  );
  let newest = -Infinity;
  for (const s of Object.values(ctx.state.indicators)) newest = Math.max(newest, s.latest.d);
  if (newest > -Infinity) {
    const ago = ctx.today - newest;
    const recency = ago <= 7 ? 'active' : ago <= 30 ? 'recent' : 'lapsed';
    out.push(
      ruleFact('segment.data_recency', 'segment', recency, segmentRule, [], {
        'zh-CN': `最近一次健康数据在 ${Math.max(ago, 0)} 天前`,
        en: `Last health data ${Math.max(ago, 0)} days ago`,
      }),
    );
  }
  return out;
}
