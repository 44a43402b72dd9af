import type { Bilingual, RuleRef } from './guideline.ts';

export type RedFlagKind =
  'bp-crisis' | 'hypoglycaemia' | 'hyperglycaemia' | 'bradycardia' | 'tachycardia' | 'chest-pain';

export interface RedFlagRule {
  kind: RedFlagKind;
  rule: RuleRef;
  memberGuidance: Bilingual;
  /** `{value}` is replaced by the reading, e.g. "185/112 mmHg". */
  summary: Bilingual;
}

/** Thresholds of the immediate red flags (never capped by the delivery policy). */
export const redFlagThresholds = {
  sbpAtLeast: 180,
  dbpAtLeast: 110,
  glucoseBelow: 3.9,
  glucoseAtLeast: 16.7,
  heartRateBelow: 40,
  heartRateAbove: 130,
} as const;

/** Indicators whose values are blood glucose in mmol/L (HbA1c is not). */
export const glucoseIndicatorIds: readonly string[] = ['glucose', 'fpg', 'ogtt_2h'];

/** The `careloop:` code of a self-reported chest-pain symptom (value 1 = present). */
export const chestPainSymptomCode = 'careloop:symptom-chest-pain';

const urgent = {
  'zh-CN': '如伴有胸痛、呼吸困难、剧烈头痛、意识改变或肢体无力，请立即拨打 120 或前往最近的急诊。',
  en: 'If you also have chest pain, shortness of breath, a severe headache, confusion or weakness, call 120 or go to the nearest emergency department now.',
};

export const redFlagRules: Record<RedFlagKind, RedFlagRule> = {
  'bp-crisis': {
    kind: 'bp-crisis',
    rule: {
      id: 'cn-htn-2018/red-flag-bp',
      guideline: '中国高血压防治指南 2018年修订版',
      year: 2018,
      section:
        '高血压急症和亚急症: 血压 ≥180/110 mmHg 需立即评估 (BP ≥ 180/110 needs immediate assessment)',
    },
    memberGuidance: {
      'zh-CN': `血压读数很高。请安静坐下休息 5 分钟后复测一次。${urgent['zh-CN']}您的健康管理团队已收到提醒。`,
      en: `Your blood pressure reading is very high. Sit quietly for 5 minutes and measure again. ${urgent.en} Your care team has been alerted.`,
    },
    summary: {
      'zh-CN': '血压读数 {value} 达到危急值 (≥180/110)，请立即联系会员',
      en: 'BP {value} at crisis level (≥180/110): contact the member now',
    },
  },
  hypoglycaemia: {
    kind: 'hypoglycaemia',
    rule: {
      id: 'cn-dm-2020/red-flag-hypoglycaemia',
      guideline: '中国2型糖尿病防治指南 2020年版',
      year: 2020,
      section: '低血糖: 糖尿病患者血糖 <3.9 mmol/L 属低血糖 (glucose < 3.9 mmol/L)',
    },
    memberGuidance: {
      'zh-CN':
        '血糖读数偏低。如能吞咽，请立即进食 15–20 克含糖食物（如半杯果汁或 3–4 块方糖），15 分钟后复测。如出现意识模糊或无法进食，请家人立即拨打 120。',
      en: 'Your glucose reading is low. If you can swallow, take 15–20 g of fast sugar now (half a glass of juice or 3–4 sugar cubes) and re-check in 15 minutes. If you feel confused or cannot eat, someone should call 120 now.',
    },
    summary: {
      'zh-CN': '血糖 {value} 低于 3.9 mmol/L，请立即联系会员',
      en: 'Glucose {value} below 3.9 mmol/L: contact the member now',
    },
  },
  hyperglycaemia: {
    kind: 'hyperglycaemia',
    rule: {
      id: 'cn-dm-2020/red-flag-hyperglycaemia',
      guideline: '中国2型糖尿病防治指南 2020年版',
      year: 2020,
      section:
        '糖尿病急性并发症: 血糖 ≥16.7 mmol/L 需评估酮症酸中毒/高渗状态 (glucose ≥ 16.7: assess DKA/HHS)',
    },
    memberGuidance: {
      'zh-CN':
        '血糖读数很高。请多喝白开水并尽快复测；如有恶心、呕吐、腹痛、呼吸深快或意识改变，请立即就医或拨打 120。',
      en: 'Your glucose reading is very high. Drink water and re-check soon; if you have nausea, vomiting, abdominal pain, fast deep breathing or confusion, seek care now or call 120.',
    },
    summary: {
      'zh-CN': '血糖 {value} ≥16.7 mmol/L，请立即联系会员',
      en: 'Glucose {value} ≥ 16.7 mmol/L: contact the member now',
    },
  },
  bradycardia: {
    kind: 'bradycardia',
    rule: {
      id: 'careloop/red-flag-heart-rate-low',
      guideline: 'CareLoop red-flag policy (issue 3)',
      year: 2025,
      section: 'heart rate < 40 /min',
    },
    memberGuidance: {
      'zh-CN':
        '心率读数很低。如感到头晕、乏力、胸闷或晕厥，请立即就医或拨打 120；否则请静坐后复测。',
      en: 'Your heart-rate reading is very low. If you feel dizzy, weak, short of breath or faint, seek care now or call 120; otherwise rest and measure again.',
    },
    summary: {
      'zh-CN': '心率 {value} 低于 40 次/分，请联系会员',
      en: 'Heart rate {value} below 40/min: contact the member',
    },
  },
  tachycardia: {
    kind: 'tachycardia',
    rule: {
      id: 'careloop/red-flag-heart-rate-high',
      guideline: 'CareLoop red-flag policy (issue 3)',
      year: 2025,
      section: 'heart rate > 130 /min',
    },
    memberGuidance: {
      'zh-CN':
        '心率读数很高。如非运动中，请静坐 5 分钟后复测；如伴胸痛、胸闷、头晕或呼吸困难，请立即拨打 120。',
      en: 'Your heart-rate reading is very high. If you were not exercising, rest 5 minutes and measure again; with chest pain, dizziness or breathlessness call 120 now.',
    },
    summary: {
      'zh-CN': '心率 {value} 高于 130 次/分，请联系会员',
      en: 'Heart rate {value} above 130/min: contact the member',
    },
  },
  'chest-pain': {
    kind: 'chest-pain',
    rule: {
      id: 'careloop/red-flag-chest-pain',
      guideline:
        'CareLoop red-flag policy (issue 3); 中国胸痛中心认证标准 (chest pain is an emergency until proven otherwise)',
      year: 2025,
      section: 'self-reported chest pain (胸痛)',
    },
    memberGuidance: {
      'zh-CN': '您报告了胸痛。请立即停止活动并拨打 120，不要自行驾车就医。',
      en: 'You reported chest pain. Stop what you are doing and call 120 now; do not drive yourself.',
    },
    summary: { 'zh-CN': '会员报告胸痛，请立即联系', en: 'Member reported chest pain: contact now' },
  },
};
