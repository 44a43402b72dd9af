import type { ValidationIssue } from '../../model/types.ts';
import type { Bilingual, RuleRef } from '../../clinical/guideline.ts';
import { citation } from '../../clinical/guideline.ts';
import {
  indicatorById,
  normalizeQuantity,
  referenceRangeFor,
  type Indicator,
} from '../../clinical/indicators.ts';
import { bpClassRule, classifyBloodPressure } from '../../clinical/bloodPressureClass.ts';
import {
  bmiCategoryRule,
  centralObesityRule,
  classifyBmi,
  classifyWaist,
} from '../../clinical/bmiCategory.ts';
import {
  classifyGlycaemia,
  diabetesRule,
  glucoseMetabolismRule,
} from '../../clinical/glycaemia.ts';
import { classifyLipid, isLipidIndicator, lipidRule } from '../../clinical/lipids.ts';
import { hyperuricemiaRule, isUricAcidAboveThreshold } from '../../clinical/uricAcid.ts';
import {
  albuminuriaCategoryRule,
  classifyAlbuminuria,
  classifyGfr,
  gfrCategoryRule,
} from '../../clinical/kidney.ts';
import { redFlagThresholds } from '../../clinical/redFlagRules.ts';
import {
  compareToReference,
  type CheckupItem,
  type CheckupReport,
  type ParsedReference,
} from './checkupReport.ts';
import { parseCheckupCsv, parseCheckupJson } from './checkupTable.ts';
import { parseFhirReport } from './fhirReport.ts';

export type Grade = 'mild' | 'moderate' | 'marked';

export interface GuidelineClass {
  ruleId: string;
  citation: string;
  cls: string;
  abnormal: boolean;
  grade?: Grade;
}

export interface ItemChange {
  previous: number;
  previousDate: string | null;
  delta: number;
  percent: number | null;
  direction: 'up' | 'down' | 'same';
  /** Relative to the reference range: moved further out (worse), back towards it (better). */
  assessment: 'better' | 'worse' | 'unchanged' | 'changed';
}

export interface InterpretedItem {
  path: string;
  name: string;
  indicatorId: string | null;
  code?: string;
  sourceId?: string;
  value: number | null;
  valueText: string;
  unit: string | null;
  /** The value in the catalogue's canonical unit (what guideline thresholds are written in). */
  canonicalValue?: number;
  reference: ParsedReference | null;
  referenceSource: 'report' | 'catalogue' | null;
  status: 'high' | 'low' | 'normal' | 'abnormal' | 'unknown';
  grade?: Grade;
  guideline?: GuidelineClass;
  change?: ItemChange;
}

export interface FollowUp {
  /** Machine-readable id; care programs use it as a trigger, e.g. `followup.recheck-fpg-ogtt`. */
  id: string;
  urgent: boolean;
  reason: Bilingual;
  /** Item names that led to it. */
  items: string[];
}

export interface CheckupInterpretation {
  date: string | null;
  format: CheckupReport['format'];
  items: InterpretedItem[];
  abnormal: InterpretedItem[];
  changes: InterpretedItem[];
  summary: Bilingual;
  followUps: FollowUp[];
  issues: ValidationIssue[];
}

export interface InterpretOptions {
  /** For the catalogue's sex/age-specific reference ranges and the waist table. */
  sex?: string | null;
  ageYears?: number | null;
}

/** Reads a report in any supported shape: FHIR (object), CSV (text) or the JSON table (object or text). */
export function parseCheckupReport(input: unknown): CheckupReport {
  if (typeof input === 'string') {
    const t = input.replace(/^\uFEFF/, '').trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return parseCheckupReport(JSON.parse(t) as unknown);
      } catch (e) {
        return {
          date: null,
          format: 'json',
          items: [],
          issues: [{ path: '', message: `not valid JSON: ${(e as Error).message}` }],
        };
      }
    }
    return parseCheckupCsv(t);
  }
  if (typeof input === 'object' && input !== null && 'resourceType' in input)
    return parseFhirReport(input);
  if (
    typeof input === 'object' &&
    input !== null &&
    'items' in input &&
    'format' in input &&
    'issues' in input
  )
    return input as CheckupReport;
  return parseCheckupJson(input);
}

const unitSpellings: Record<string, string> = {
  'mmol/l': 'mmol/L',
  'umol/l': 'umol/L',
  'µmol/l': 'umol/L',
  'μmol/L': 'umol/L',
  mmhg: 'mm[Hg]',
  'mm hg': 'mm[Hg]',
  'g/l': 'g/L',
  'u/l': 'U/L',
  'kg/m²': 'kg/m2',
};

/** The value in the indicator's canonical unit, or null when the unit is not one it converts. */
function canonical(ind: Indicator, value: number, unit: string | null): number | null {
  if (!unit) return value; // Chinese reports print the canonical units; an empty unit is taken as that.
  const u = unitSpellings[unit.trim().toLowerCase()] ?? unitSpellings[unit.trim()] ?? unit.trim();
  const r = normalizeQuantity(ind, value, u);
  return r.ok ? r.value : null;
}

function guidelineFor(
  id: string,
  v: number,
  sex: string | null | undefined,
  originalUnit: string | null,
): GuidelineClass | undefined {
  const g = (rule: RuleRef, cls: string, abnormal: boolean, grade?: Grade): GuidelineClass => {
    const out: GuidelineClass = { ruleId: rule.id, citation: citation(rule), cls, abnormal };
    if (grade) out.grade = grade;
    return out;
  };
  if (id === 'fpg' || id === 'ogtt_2h' || id === 'hba1c' || id === 'glucose') {
    const cls = classifyGlycaemia(id, v);
    if (!cls) return undefined;
    if (cls === 'diabetes-range') return g(diabetesRule, cls, true, 'marked');
    if (cls === 'ifg' || cls === 'igt') return g(glucoseMetabolismRule, cls, true, 'mild');
    return g(glucoseMetabolismRule, cls, false);
  }
  if (isLipidIndicator(id)) {
    const cls = classifyLipid(id, v);
    if (cls === 'high' || cls === 'low') return g(lipidRule, cls, true, 'moderate');
    if (cls === 'borderline-high') return g(lipidRule, cls, true, 'mild');
    return g(lipidRule, cls, false);
  }
  if (id === 'sbp' || id === 'dbp') {
    const c = id === 'sbp' ? classifyBloodPressure(v, 0) : classifyBloodPressure(0, v);
    const grade: Record<string, Grade | undefined> = {
      'high-normal': 'mild',
      'grade-1': 'mild',
      'grade-2': 'moderate',
      'grade-3': 'marked',
    };
    return g(bpClassRule, c.cls, c.cls !== 'normal', grade[c.cls]);
  }
  if (id === 'uric_acid')
    return isUricAcidAboveThreshold(v)
      ? g(hyperuricemiaRule, 'above-420', true, 'moderate')
      : g(hyperuricemiaRule, 'not-above-420', false);
  if (id === 'egfr') {
    const cls = classifyGfr(v);
    const grade: Record<string, Grade | undefined> = {
      G2: 'mild',
      G3a: 'moderate',
      G3b: 'moderate',
      G4: 'marked',
      G5: 'marked',
    };
    return g(gfrCategoryRule, cls, cls !== 'G1' && cls !== 'G2', grade[cls]);
  }
  if (id === 'urine_acr') {
    const cls = originalUnit?.startsWith('mg/mmol')
      ? classifyAlbuminuria(v / 8.84, 'mg/mmol')
      : classifyAlbuminuria(v, 'mg/g');
    return g(
      albuminuriaCategoryRule,
      cls,
      cls !== 'A1',
      cls === 'A3' ? 'marked' : cls === 'A2' ? 'moderate' : undefined,
    );
  }
  if (id === 'bmi') {
    const cls = classifyBmi(v);
    return g(
      bmiCategoryRule,
      cls,
      cls !== 'normal',
      cls === 'obese' ? 'moderate' : cls === 'normal' ? undefined : 'mild',
    );
  }
  if (id === 'waist' && sex) {
    const cls = classifyWaist(sex, v);
    if (cls)
      return g(
        centralObesityRule,
        cls,
        cls !== 'normal',
        cls === 'central-obesity' ? 'moderate' : cls === 'normal' ? undefined : 'mild',
      );
  }
  return undefined;
}

/** Grade by how far outside the reference limit: ≤ 20 % mild, ≤ 50 % moderate, beyond that marked. */
export function deviationGrade(v: number, ref: ParsedReference, status: 'high' | 'low'): Grade {
  const limit = status === 'high' ? ref.high : ref.low;
  if (limit === undefined || limit === 0) return 'mild';
  const rel = Math.abs(v - limit) / Math.abs(limit);
  return rel <= 0.2 ? 'mild' : rel <= 0.5 ? 'moderate' : 'marked';
}

/** Distance outside a reference range (0 inside). */
function outside(v: number, ref: ParsedReference | null): number {
  if (!ref) return 0;
  if (ref.high !== undefined && v > ref.high) return v - ref.high;
  if (ref.low !== undefined && v < ref.low) return ref.low - v;
  return 0;
}

function interpretItem(
  item: CheckupItem,
  options: InterpretOptions,
  issues: ValidationIssue[],
): InterpretedItem {
  const ind = item.indicatorId ? indicatorById(item.indicatorId) : undefined;
  const out: InterpretedItem = {
    path: item.path,
    name: item.name,
    indicatorId: item.indicatorId,
    value: item.value,
    valueText: item.valueText,
    unit: item.unit,
    reference: item.reference,
    referenceSource: item.reference ? 'report' : null,
    status: 'unknown',
  };
  if (item.code) out.code = item.code;
  if (item.sourceId) out.sourceId = item.sourceId;
  let cv: number | null = null;
  if (ind && item.value !== null) {
    cv = canonical(ind, item.value, item.unit);
    if (cv === null)
      issues.push({
        path: `${item.path}.unit`,
        message: `${item.name}: unit '${item.unit ?? ''}' is not one ${ind.name.en} converts from; guideline thresholds not applied`,
      });
    else out.canonicalValue = cv;
    if (!out.reference) {
      const r = referenceRangeFor(ind, options.sex, options.ageYears);
      if (r && cv !== null) {
        const text =
          r.low !== undefined && r.high !== undefined
            ? `${r.low}-${r.high}`
            : r.high !== undefined
              ? `≤${r.high}`
              : `≥${r.low}`;
        const ref: ParsedReference = { text };
        if (r.low !== undefined) {
          ref.low = r.low;
          ref.lowInclusive = true;
        }
        if (r.high !== undefined) {
          ref.high = r.high;
          ref.highInclusive = true;
        }
        out.reference = ref;
        out.referenceSource = 'catalogue';
        // a catalogue range is in the canonical unit: compare the canonical value
      }
    }
    if (cv !== null) {
      const gl = guidelineFor(ind.id, cv, options.sex, item.unit);
      if (gl) out.guideline = gl;
    }
  }
  const compareValue = out.referenceSource === 'catalogue' ? cv : item.value;
  if (compareValue !== null && out.reference) {
    const s = compareToReference(compareValue, out.reference);
    if (s) out.status = s;
    if (s === 'high' || s === 'low')
      out.grade =
        out.guideline?.abnormal && out.guideline.grade
          ? out.guideline.grade
          : deviationGrade(compareValue, out.reference, s);
  } else if (out.reference?.qualitative && item.value === null) {
    out.status =
      item.valueText.replace(/\s/g, '') === out.reference.qualitative.replace(/\s/g, '')
        ? 'normal'
        : 'abnormal';
  }
  if (out.status === 'unknown' || out.status === 'normal') {
    // No usable reference, or inside it: the centre's own flag and the guideline still speak.
    if (item.flag === 'high' || item.flag === 'low') out.status = item.flag;
    else if (item.flag === 'abnormal') out.status = 'abnormal';
    else if (out.status === 'unknown' && out.guideline)
      out.status = out.guideline.abnormal
        ? out.guideline.cls === 'low' ||
          /^G[2-5]/.test(out.guideline.cls) ||
          out.guideline.cls === 'underweight'
          ? 'low'
          : 'high'
        : 'normal';
    if ((out.status === 'high' || out.status === 'low') && !out.grade)
      out.grade = out.guideline?.grade ?? 'mild';
  }
  return out;
}

const itemKey = (i: { indicatorId: string | null; name: string }): string =>
  i.indicatorId ?? `name:${i.name.normalize('NFKC').trim().toLowerCase()}`;

function attachChange(
  cur: InterpretedItem,
  prev: InterpretedItem,
  previousDate: string | null,
): void {
  const a = cur.canonicalValue ?? cur.value;
  const b = prev.canonicalValue ?? prev.value;
  if (a === null || b === null || a === undefined || b === undefined) return;
  if (cur.canonicalValue === undefined && cur.unit !== prev.unit) return; // not comparable
  const delta = Math.round((a - b) * 1000) / 1000;
  const percent = b !== 0 ? Math.round((1000 * (a - b)) / Math.abs(b)) / 10 : null;
  const ref = cur.reference ?? prev.reference;
  const refValue = (v: number) => (cur.referenceSource === 'catalogue' ? v : v);
  const before = outside(refValue(b), ref);
  const after = outside(refValue(a), ref);
  const assessment: ItemChange['assessment'] =
    after > before
      ? 'worse'
      : after < before
        ? 'better'
        : percent !== null && Math.abs(percent) >= 10
          ? 'changed'
          : 'unchanged';
  cur.change = {
    previous: b,
    previousDate,
    delta,
    percent,
    direction: delta > 0 ? 'up' : delta < 0 ? 'down' : 'same',
    assessment,
  };
}

interface FollowUpRule {
  id: string;
  urgent?: boolean;
  reason: Bilingual;
  when(i: InterpretedItem): boolean;
}

const v = (i: InterpretedItem): number | undefined => i.canonicalValue;
const isAbn = (i: InterpretedItem): boolean =>
  i.status === 'high' || i.status === 'low' || i.status === 'abnormal';
const glucoseIds = ['fpg', 'ogtt_2h', 'glucose'];

/** Follow-ups as data: the first matching rules per item; each id becomes a program trigger. */
export const followUpRules: readonly FollowUpRule[] = [
  {
    id: 'followup.urgent-review',
    urgent: true,
    reason: {
      'zh-CN': '有结果达到危急水平，请尽快（当天）联系医生',
      en: 'A result is at a critical level — contact a doctor today',
    },
    when: (i) => {
      const x = v(i);
      if (x === undefined) return false;
      if (i.indicatorId && glucoseIds.includes(i.indicatorId))
        return x < redFlagThresholds.glucoseBelow || x >= redFlagThresholds.glucoseAtLeast;
      if (i.indicatorId === 'sbp') return x >= redFlagThresholds.sbpAtLeast;
      if (i.indicatorId === 'dbp') return x >= redFlagThresholds.dbpAtLeast;
      if (i.indicatorId === 'egfr') return x < 15;
      return false;
    },
  },
  {
    id: 'followup.recheck-fpg-ogtt',
    reason: {
      'zh-CN':
        '血糖相关结果偏高：建议改日复查空腹血糖并做口服葡萄糖耐量试验 (OGTT)（中国2型糖尿病防治指南 2020）',
      en: 'Glucose results raised: re-check fasting glucose on another day and do an OGTT (Chinese T2DM guideline 2020)',
    },
    when: (i) =>
      !!i.guideline &&
      i.guideline.abnormal &&
      ['fpg', 'ogtt_2h', 'hba1c', 'glucose'].includes(i.indicatorId ?? ''),
  },
  {
    id: 'followup.home-bp-monitoring',
    reason: {
      'zh-CN': '血压偏高：建议连续 7 天家庭血压监测，并请医生评估',
      en: 'Blood pressure raised: measure at home for 7 days and have a doctor review it',
    },
    when: (i) =>
      (i.indicatorId === 'sbp' || i.indicatorId === 'dbp') &&
      !!i.guideline &&
      i.guideline.cls.startsWith('grade'),
  },
  {
    id: 'followup.bp-lifestyle',
    reason: {
      'zh-CN': '血压处于正常高值：建议减盐、运动并定期测量',
      en: 'Blood pressure high-normal: less salt, more activity and regular measurement',
    },
    when: (i) =>
      (i.indicatorId === 'sbp' || i.indicatorId === 'dbp') && i.guideline?.cls === 'high-normal',
  },
  {
    id: 'followup.lipid-recheck',
    reason: {
      'zh-CN': '血脂有异常或边缘升高：建议做心血管风险评估，3–6 个月后复查血脂',
      en: 'Lipids abnormal or borderline: have a cardiovascular risk assessment and re-check lipids in 3–6 months',
    },
    when: (i) => isLipidIndicator(i.indicatorId ?? '') && (i.guideline?.abnormal ?? isAbn(i)),
  },
  {
    id: 'followup.uric-acid-recheck',
    reason: {
      'zh-CN': '血尿酸 >420 µmol/L：建议另日空腹复查，并注意饮水与饮食',
      en: 'Uric acid > 420 µmol/L: re-check fasting on another day; mind fluids and diet',
    },
    when: (i) => i.indicatorId === 'uric_acid' && (i.guideline?.abnormal ?? false),
  },
  {
    id: 'followup.kidney-recheck-3m',
    reason: {
      'zh-CN': '肾功能指标异常：建议 3 个月后复查肌酐/eGFR 与尿白蛋白/肌酐比值 (KDIGO 2012)',
      en: 'Kidney markers abnormal: re-check creatinine/eGFR and urine ACR in 3 months (KDIGO 2012)',
    },
    when: (i) =>
      (i.indicatorId === 'egfr' &&
        (i.guideline?.cls ?? 'G1') !== 'G1' &&
        (i.guideline?.cls ?? '') !== 'G2') ||
      (i.indicatorId === 'urine_acr' && (i.guideline?.abnormal ?? false)) ||
      (i.indicatorId === 'creatinine' && i.status === 'high'),
  },
  {
    id: 'followup.liver-function-recheck',
    reason: {
      'zh-CN': '肝功能酶学指标偏高：建议复查肝功能并请医生评估',
      en: 'Liver enzymes raised: re-check liver function and have a doctor review it',
    },
    when: (i) => ['alt', 'ast', 'ggt'].includes(i.indicatorId ?? '') && i.status === 'high',
  },
  {
    id: 'followup.weight-management',
    reason: {
      'zh-CN': '体重指数或腰围偏高：建议参加体重管理计划',
      en: 'BMI or waist raised: a weight-management programme can help',
    },
    when: (i) =>
      (i.indicatorId === 'bmi' && ['overweight', 'obese'].includes(i.guideline?.cls ?? '')) ||
      (i.indicatorId === 'waist' && (i.guideline?.abnormal ?? false)),
  },
  {
    id: 'followup.blood-count-review',
    reason: {
      'zh-CN': '血常规有指标超出参考范围：建议请医生复核',
      en: 'A blood count result is outside its range: have a doctor review it',
    },
    when: (i) => ['hemoglobin', 'wbc', 'platelets'].includes(i.indicatorId ?? '') && isAbn(i),
  },
];

const otherFollowUp: FollowUpRule = {
  id: 'followup.doctor-review',
  reason: {
    'zh-CN': '其他超出参考范围的项目：建议请医生或健康管理师解读',
    en: 'Other results outside their range: ask a doctor or your health manager to interpret them',
  },
  when: isAbn,
};

const statusText = {
  high: { 'zh-CN': '偏高', en: 'high' },
  low: { 'zh-CN': '偏低', en: 'low' },
  abnormal: { 'zh-CN': '异常', en: 'abnormal' },
} as const;

const gradeText = {
  mild: { 'zh-CN': '轻度', en: 'mildly' },
  moderate: { 'zh-CN': '中度', en: 'moderately' },
  marked: { 'zh-CN': '明显', en: 'markedly' },
} as const;

function describe(i: InterpretedItem, lang: 'zh-CN' | 'en'): string {
  const s =
    i.status === 'high' || i.status === 'low' || i.status === 'abnormal'
      ? statusText[i.status][lang]
      : '';
  const g = i.grade ? gradeText[i.grade][lang] : '';
  const unit = i.unit ? ` ${i.unit}` : '';
  const ref = i.reference?.text
    ? lang === 'zh-CN'
      ? `，参考 ${i.reference.text}`
      : `, reference ${i.reference.text}`
    : '';
  return lang === 'zh-CN'
    ? `${i.name} ${i.valueText}${unit}（${g}${s}${ref}）`
    : `${i.name} ${i.valueText}${unit} (${g ? `${g} ` : ''}${s}${ref})`;
}

/**
 * Interprets a checkup report: abnormal items with direction and grade (guideline class where a
 * table exists, else distance outside the centre's range), the change since `previous`, a
 * plain-language bilingual summary that flags and routes but never diagnoses, and follow-ups.
 */
export function interpretCheckupReport(
  report: unknown,
  previous?: unknown,
  options: InterpretOptions = {},
): CheckupInterpretation {
  const parsed = parseCheckupReport(report);
  const issues = [...parsed.issues];
  const items = parsed.items.map((i) => interpretItem(i, options, issues));
  if (previous !== undefined && previous !== null) {
    const prev = parseCheckupReport(previous);
    const prevItems = prev.items.map((i) => interpretItem(i, options, []));
    const byKey = new Map(prevItems.map((p) => [itemKey(p), p]));
    for (const cur of items) {
      const p = byKey.get(itemKey(cur));
      if (p) attachChange(cur, p, prev.date);
    }
  }
  const abnormal = items.filter(isAbn);
  const changes = items.filter((i) => i.change && i.change.assessment !== 'unchanged');

  const followUps: FollowUp[] = [];
  const add = (rule: FollowUpRule, item: InterpretedItem) => {
    let f = followUps.find((x) => x.id === rule.id);
    if (!f) {
      f = { id: rule.id, urgent: rule.urgent ?? false, reason: rule.reason, items: [] };
      followUps.push(f);
    }
    if (!f.items.includes(item.name)) f.items.push(item.name);
  };
  for (const item of items) {
    let matched = false;
    for (const rule of followUpRules) {
      if (rule.when(item)) {
        add(rule, item);
        matched = true;
      }
    }
    if (!matched && otherFollowUp.when(item)) add(otherFollowUp, item);
  }
  followUps.sort((a, b) => Number(b.urgent) - Number(a.urgent));

  const numeric = items.filter((i) => i.value !== null).length;
  const zh: string[] = [];
  const en: string[] = [];
  if (abnormal.length === 0) {
    zh.push(`本次报告共 ${items.length} 项结果，均在参考范围内。`);
    en.push(`All ${items.length} results in this report are within their reference ranges.`);
  } else {
    zh.push(
      `本次报告共 ${items.length} 项结果（${numeric} 项数值），其中 ${abnormal.length} 项超出参考范围：${abnormal.map((i) => describe(i, 'zh-CN')).join('；')}。`,
    );
    en.push(
      `Of ${items.length} results (${numeric} numeric), ${abnormal.length} fall outside the reference range: ${abnormal.map((i) => describe(i, 'en')).join('; ')}.`,
    );
  }
  const moved = changes.filter(
    (i) => i.change?.assessment === 'worse' || i.change?.assessment === 'better',
  );
  if (moved.length > 0) {
    const when = moved[0]?.change?.previousDate;
    zh.push(
      `与上次报告${when ? `（${when}）` : ''}相比：${moved.map((i) => `${i.name} ${i.change?.previous} → ${i.valueText}（${i.change?.assessment === 'worse' ? '偏离参考范围更多' : '更接近参考范围'}）`).join('；')}。`,
    );
    en.push(
      `Compared with the previous report${when ? ` (${when})` : ''}: ${moved.map((i) => `${i.name} ${i.change?.previous} → ${i.valueText} (${i.change?.assessment === 'worse' ? 'further from' : 'closer to'} the reference range)`).join('; ')}.`,
    );
  }
  if (followUps.length > 0) {
    zh.push(`建议：${followUps.map((f) => f.reason['zh-CN']).join('；')}。`);
    en.push(`Suggested next steps: ${followUps.map((f) => f.reason.en).join('; ')}.`);
  }
  zh.push('以上是对检查结果的解读，不是诊断；请与医生或健康管理师一起讨论。');
  en.push(
    'This explains the results; it is not a diagnosis. Please discuss it with your doctor or health manager.',
  );

  return {
    date: parsed.date,
    format: parsed.format,
    items,
    abnormal,
    changes,
    summary: { 'zh-CN': zh.join(''), en: en.join(' ') },
    followUps,
    issues,
  };
}
