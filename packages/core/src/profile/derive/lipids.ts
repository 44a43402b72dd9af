import type { ProfileFact } from '../../model/types.ts';
import { indicatorById } from '../../clinical/indicators.ts';
import {
  classifyLipid,
  isAbnormalLipid,
  lipidClassLabels,
  lipidIndicators,
  lipidRule,
} from '../../clinical/lipids.ts';
import type { DeriveContext } from '../facts.ts';
import { conditionsFor, readingEvidence, clinicianTag, ruleFact } from '../facts.ts';
import type { Reading } from '../state.ts';

export function lipidFacts(ctx: DeriveContext): ProfileFact[] {
  const out: ProfileFact[] = [];
  const abnormal: Reading[] = [];
  for (const id of lipidIndicators) {
    const r = ctx.state.indicators[id]?.latest;
    const ind = indicatorById(id);
    if (!r || !ind) continue;
    const cls = classifyLipid(id, r.v);
    if (isAbnormalLipid(cls)) abnormal.push(r);
    out.push(
      ruleFact(`lipid.${id}`, 'class', cls, lipidRule, [readingEvidence(r)], {
        'zh-CN': `${ind.name['zh-CN']} ${r.v} mmol/L：${lipidClassLabels[cls]['zh-CN']}`,
        en: `${ind.name.en} ${r.v} mmol/L: ${lipidClassLabels[cls].en.toLowerCase()}`,
      }),
    );
  }
  if (abnormal.length > 0) {
    out.push(
      ruleFact(
        'tag.dyslipidemia',
        'tag',
        true,
        lipidRule,
        abnormal.map((r) => readingEvidence(r)),
        {
          'zh-CN': '最近的血脂结果有项目处于异常范围，请与医生讨论',
          en: 'Latest lipid results include a value in the abnormal range — please discuss with your doctor',
        },
      ),
    );
  } else {
    const conds = conditionsFor(ctx, 'dyslipidemia');
    if (conds.length > 0)
      out.push(
        clinicianTag('tag.dyslipidemia', lipidRule, conds, {
          'zh-CN': '血脂异常',
          en: 'dyslipidaemia',
        }),
      );
  }
  return out;
}
