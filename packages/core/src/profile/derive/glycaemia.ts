import type { ProfileFact } from '../../model/types.ts';
import {
  classifyGlycaemia,
  diabetesRule,
  glucoseClassLabels,
  glucoseMetabolismRule,
  prediabetesRule,
} from '../../clinical/glycaemia.ts';
import type { DeriveContext } from '../facts.ts';
import { conditionsFor, readingEvidence, clinicianTag, ruleFact } from '../facts.ts';
import type { Reading } from '../state.ts';

function latest(ctx: DeriveContext, id: string): Reading | undefined {
  return ctx.state.indicators[id]?.latest;
}

export function glycaemiaFacts(ctx: DeriveContext): ProfileFact[] {
  const out: ProfileFact[] = [];
  const fpg = latest(ctx, 'fpg');
  const ogtt = latest(ctx, 'ogtt_2h');
  const a1c = latest(ctx, 'hba1c');
  const random = latest(ctx, 'glucose');
  const fpgCls = fpg ? classifyGlycaemia('fpg', fpg.v) : null;
  const ogttCls = ogtt ? classifyGlycaemia('ogtt_2h', ogtt.v) : null;
  const a1cCls = a1c ? classifyGlycaemia('hba1c', a1c.v) : null;

  // glucose.status: the glucose-metabolism state of the latest results (WHO 1999 / 2020 Table 3).
  const used = [fpg, ogtt, a1c].filter((r): r is Reading => r !== undefined);
  if (used.length > 0) {
    const classes = [fpgCls, ogttCls, a1cCls];
    const status = classes.includes('diabetes-range')
      ? 'diabetes-range'
      : fpgCls === 'ifg' && ogttCls === 'igt'
        ? 'ifg+igt'
        : fpgCls === 'ifg'
          ? 'ifg'
          : ogttCls === 'igt'
            ? 'igt'
            : 'normal';
    const text =
      status === 'ifg+igt'
        ? {
            'zh-CN': '空腹血糖受损合并糖耐量异常范围',
            en: 'Impaired fasting glucose and impaired glucose tolerance range',
          }
        : glucoseClassLabels[status];
    out.push(
      ruleFact(
        'glucose.status',
        'class',
        status,
        status === 'diabetes-range' ? diabetesRule : glucoseMetabolismRule,
        used.map((r) => readingEvidence(r)),
        text,
      ),
    );
  }

  const events = ctx.state.diabetesEvents;
  let diabetes = false;
  if (events.length >= 2) {
    diabetes = true;
    out.push(
      ruleFact(
        'tag.diabetes',
        'tag',
        true,
        diabetesRule,
        events.slice(0, 2).map((r) => readingEvidence(r)),
        {
          'zh-CN':
            '两次血糖相关检测结果处于糖尿病诊断范围（不同日期或不同检测），请与医生确认诊断与治疗',
          en: 'Two glucose results in the diabetes range (separate days or different tests) — please confirm with your doctor',
        },
      ),
    );
  } else {
    const conds = conditionsFor(ctx, 'diabetes');
    if (conds.length > 0) {
      diabetes = true;
      out.push(
        clinicianTag('tag.diabetes', diabetesRule, conds, { 'zh-CN': '糖尿病', en: 'diabetes' }),
      );
    }
  }
  if (!diabetes) {
    const randomHigh =
      random && classifyGlycaemia('glucose', random.v) === 'diabetes-range' ? random : undefined;
    const ev = [...events, ...(randomHigh ? [randomHigh] : [])];
    if (ev.length > 0) {
      out.push(
        ruleFact(
          'tag.glucose_elevated_unconfirmed',
          'flag',
          true,
          diabetesRule,
          ev.map((r) => readingEvidence(r)),
          {
            'zh-CN': '有血糖结果处于糖尿病诊断范围，需改日复查确认 — 请与医生联系',
            en: 'A glucose result is in the diabetes range and needs confirming on another day — please contact your doctor',
          },
        ),
      );
    }
    const pre: Reading[] = [];
    if (fpg && fpgCls === 'ifg') pre.push(fpg);
    if (ogtt && ogttCls === 'igt') pre.push(ogtt);
    if (pre.length > 0) {
      out.push(
        ruleFact(
          'tag.prediabetes',
          'tag',
          true,
          prediabetesRule,
          pre.map((r) => readingEvidence(r)),
          {
            'zh-CN':
              '最近的血糖结果处于糖尿病前期范围（空腹血糖受损/糖耐量异常），建议生活方式干预并定期复查',
            en: 'Latest glucose results are in the prediabetes range (impaired fasting glucose / tolerance) — lifestyle steps and regular re-checks help',
          },
        ),
      );
    } else {
      const conds = conditionsFor(ctx, 'prediabetes');
      if (conds.length > 0)
        out.push(
          clinicianTag('tag.prediabetes', prediabetesRule, conds, {
            'zh-CN': '糖尿病前期',
            en: 'prediabetes',
          }),
        );
    }
  }
  return out;
}
