import type { Evidence, ProfileFact } from '../../model/types.ts';
import {
  bpClassLabels,
  bpClassRule,
  classifyBloodPressure,
  hypertensionConfirmation,
  hypertensionConfirmationRule,
  hypertensionThresholdRule,
  treatedHypertensionRule,
} from '../../clinical/bloodPressureClass.ts';
import type { DeriveContext } from '../facts.ts';
import { conditionsFor, readingEvidence, clinicianTag, round, ruleFact } from '../facts.ts';
import { openAmbulatoryDay, openHomeWindow } from '../bloodPressureState.ts';
import type { Confirmation } from '../state.ts';
import { activeMedicationClasses } from './medications.ts';

const settingText = {
  office: { 'zh-CN': '诊室', en: 'office' },
  home: { 'zh-CN': '家庭', en: 'home' },
  ambulatory: { 'zh-CN': '动态', en: 'ambulatory' },
} as const;

export function bpClassFacts(ctx: DeriveContext): ProfileFact[] {
  const pair = ctx.state.bp.lastPair;
  if (!pair) return [];
  const c = classifyBloodPressure(pair.s.v, pair.d.v);
  const setting = pair.s.s ?? 'office';
  const ev = [readingEvidence(pair.s), readingEvidence(pair.d)];
  const reading = `${pair.s.v}/${pair.d.v} mmHg`;
  const ish = c.isolatedSystolic
    ? {
        'zh-CN': '，收缩压升高而舒张压 <90（单纯收缩期）',
        en: ', systolic raised with diastolic < 90 (isolated systolic)',
      }
    : { 'zh-CN': '', en: '' };
  const out = [
    ruleFact('bp.class', 'class', c.cls, bpClassRule, ev, {
      'zh-CN': `${bpClassLabels[c.cls]['zh-CN']}（${settingText[setting]['zh-CN']}读数 ${reading}，${pair.s.at.slice(0, 10)}${ish['zh-CN']}）`,
      en: `${bpClassLabels[c.cls].en} (${settingText[setting].en} reading ${reading}, ${pair.s.at.slice(0, 10)}${ish.en})`,
    }),
  ];
  if (c.isolatedSystolic) {
    out.push(
      ruleFact('bp.isolated_systolic', 'flag', true, bpClassRule, ev, {
        'zh-CN': `最近一次血压 ${reading}：收缩压 ≥140 而舒张压 <90（单纯收缩期范围），请与医生确认`,
        en: `Latest BP ${reading}: systolic ≥ 140 with diastolic < 90 (isolated systolic range) — please confirm with your doctor`,
      }),
    );
  }
  return out;
}

function confirmationEvidence(c: Confirmation): Evidence[] {
  return c.evidence.map((r) => readingEvidence(r));
}

/** tag.hypertension (confirmed) or tag.bp_elevated_unconfirmed ("elevated reading — confirm"). */
export function hypertensionFacts(ctx: DeriveContext): ProfileFact[] {
  const bp = ctx.state.bp;
  const n = hypertensionConfirmation.officeDays;
  if (bp.officeDays.length >= n) {
    const ev = bp.officeDays.slice(0, n).map((r) => readingEvidence(r));
    const days = bp.officeDays
      .slice(0, n)
      .map((r) => r.at.slice(0, 10))
      .join(', ');
    return [
      ruleFact('tag.hypertension', 'tag', true, hypertensionConfirmationRule, ev, {
        'zh-CN': `诊室血压在 ${n} 个不同日期（${days}）达到高血压范围 (≥140/90 mmHg)，请与医生确认诊断与治疗`,
        en: `Office blood pressure in the hypertension range (≥ 140/90 mmHg) on ${n} separate days (${days}) — please confirm with your doctor`,
      }),
    ];
  }
  const home = bp.homeConfirmed ?? openHomeWindow(bp);
  if (home) {
    const m = `${round(home.meanS ?? 0, 0)}/${round(home.meanD ?? 0, 0)}`;
    return [
      ruleFact(
        'tag.hypertension',
        'tag',
        true,
        hypertensionThresholdRule,
        confirmationEvidence(home),
        {
          'zh-CN': `家庭血压多日平均 ${m} mmHg，达到家庭血压高血压阈值 (≥135/85)，请与医生确认`,
          en: `Home blood pressure averaged ${m} mmHg over several days, at or above the home threshold (≥ 135/85) — please confirm with your doctor`,
        },
      ),
    ];
  }
  const amb = bp.ambulatoryConfirmed ?? openAmbulatoryDay(bp);
  if (amb) {
    const m = `${round(amb.meanS ?? 0, 0)}/${round(amb.meanD ?? 0, 0)}`;
    return [
      ruleFact(
        'tag.hypertension',
        'tag',
        true,
        hypertensionThresholdRule,
        confirmationEvidence(amb),
        {
          'zh-CN': `24小时动态血压平均 ${m} mmHg，达到动态血压高血压阈值 (≥130/80)，请与医生确认`,
          en: `24-hour ambulatory blood pressure averaged ${m} mmHg, at or above the ambulatory threshold (≥ 130/80) — please confirm with your doctor`,
        },
      ),
    ];
  }
  const conds = conditionsFor(ctx, 'hypertension');
  if (conds.length > 0) {
    return [
      clinicianTag('tag.hypertension', hypertensionConfirmationRule, conds, {
        'zh-CN': '高血压',
        en: 'hypertension',
      }),
    ];
  }
  if (bp.elevatedDays.length > 0 && ctx.options.useMedications) {
    const meds = activeMedicationClasses(ctx).get('antihypertensive');
    if (meds && meds.length > 0) {
      const ev: Evidence[] = [
        ...bp.elevatedDays.slice(0, 2).map((r) => readingEvidence(r)),
        ...meds.map((m) => ({
          code: 'medication',
          value: m.name,
          effectiveAt: m.authoredOn ?? '',
        })),
      ];
      return [
        ruleFact('tag.hypertension', 'tag', true, treatedHypertensionRule, ev, {
          'zh-CN': '曾有高血压范围读数且正在使用降压药物，按指南仍视为高血压管理对象，请遵医嘱',
          en: 'A reading in the hypertension range before and a blood-pressure medicine now: managed as hypertension per the guideline — follow your doctor',
        }),
      ];
    }
  }
  if (bp.elevatedDays.length > 0) {
    const ev = bp.elevatedDays
      .slice(-3)
      .reverse()
      .map((r) => readingEvidence(r));
    return [
      ruleFact('tag.bp_elevated_unconfirmed', 'flag', true, hypertensionConfirmationRule, ev, {
        'zh-CN': '有血压读数处于高血压范围，尚未在不同日期确认 — 请改日复测并与医生确认',
        en: 'Elevated reading — confirm: a blood pressure reading is in the hypertension range but not yet on separate days; please re-measure on another day',
      }),
    ];
  }
  return [];
}
