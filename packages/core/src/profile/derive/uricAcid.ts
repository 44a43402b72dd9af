import type { ProfileFact } from '../../model/types.ts';
import { hyperuricemiaRule, hyperuricemiaThreshold } from '../../clinical/uricAcid.ts';
import type { DeriveContext } from '../facts.ts';
import { conditionsFor, readingEvidence, clinicianTag, ruleFact } from '../facts.ts';

export function uricAcidFacts(ctx: DeriveContext): ProfileFact[] {
  const days = ctx.state.uricAcidDays;
  if (days.length >= hyperuricemiaThreshold.separateDays) {
    return [
      ruleFact(
        'tag.hyperuricemia',
        'tag',
        true,
        hyperuricemiaRule,
        days.slice(0, 2).map((r) => readingEvidence(r)),
        {
          'zh-CN': '血尿酸在两个不同日期均 >420 µmol/L，处于高尿酸血症范围，请与医生确认',
          en: 'Serum uric acid > 420 µmol/L on two different days, in the hyperuricaemia range — please confirm with your doctor',
        },
      ),
    ];
  }
  const conds = conditionsFor(ctx, 'hyperuricemia');
  if (conds.length > 0)
    return [
      clinicianTag('tag.hyperuricemia', hyperuricemiaRule, conds, {
        'zh-CN': '高尿酸血症/痛风',
        en: 'hyperuricaemia / gout',
      }),
    ];
  if (days.length === 1) {
    return [
      ruleFact(
        'tag.uric_acid_elevated_unconfirmed',
        'flag',
        true,
        hyperuricemiaRule,
        days.map((r) => readingEvidence(r)),
        {
          'zh-CN': '一次血尿酸 >420 µmol/L，需另一日复查确认',
          en: 'One uric acid result > 420 µmol/L — a re-check on another day is needed to confirm',
        },
      ),
    ];
  }
  return [];
}
