import { indicators } from '../clinical/indicators.ts';
import type { FactSchema, FactType } from './factType.ts';

const perIndicator = (type: FactType): { map: Record<string, FactType> } => ({
  map: Object.fromEntries(indicators.map((i) => [i.id, type])),
});

const fields = (type: FactType, names: readonly string[]): { map: Record<string, FactType> } => ({
  map: Object.fromEntries(names.map((n) => [n, type])),
});

/**
 * The profile facts that care-program conditions may read: the contract between the profile (which
 * derives facts with keys like `tag.hypertension`, `latest.sbp`) and programs (which are type-checked
 * against it at load). A fact missing from a member's profile is absent: test it with `has()`.
 * Indicator groups follow the catalogue in clinical/indicators.ts (values in its canonical units).
 */
export const profileFactSchema: FactSchema = {
  /** Guideline-based tags; present when derived (true) or explicitly ruled out (false). */
  tag: fields('bool', [
    'hypertension',
    'bp_elevated_unconfirmed',
    'diabetes',
    'prediabetes',
    'dyslipidemia',
    'hyperuricemia',
    'ckd',
    'overweight',
    'obesity',
    'central_obesity',
    'pregnancy',
    'postpartum',
    'immunocompromised',
    'post_surgery',
    'chemotherapy',
    'cancer_survivor',
    'smoker',
  ]),
  /** Latest value of each indicator (canonical unit: mmHg, mmol/L, µmol/L, kg, …). */
  latest: perIndicator('double'),
  /** When the latest value was measured. */
  latestAt: perIndicator('timestamp'),
  /** 7- and 30-day means. */
  avg7: perIndicator('double'),
  avg30: perIndicator('double'),
  /** Trend direction of each indicator: 'rising' | 'falling' | 'stable'. */
  trend: perIndicator('string'),
  /** 中国高血压防治指南 class: 'normal' | 'high-normal' | 'grade-1' | 'grade-2' | 'grade-3'. */
  bp: { map: { class: 'string', isolated_systolic: 'bool', controlled: 'bool' } },
  /** WS/T 428 category: 'underweight' | 'normal' | 'overweight' | 'obese'. */
  bmi: { map: { category: 'string' } },
  /** Health stage: 'maintenance' | 'sub-health-warning' | 'treatment'. */
  stage: 'string',
  /** Clinical, demographic and behavioural segments. */
  segment: {
    map: {
      ageBand: 'string',
      lifecycle: 'string',
      chronic: 'bool',
      highRisk: 'bool',
    },
  },
  /** Risk and engagement scores (10-year CVD risk %, diabetes risk points, churn probability). */
  score: {
    map: {
      ...fields('double', [
        'china_par',
        'framingham_2008',
        'findrisc',
        'cdrs',
        'ckd_epi_2021',
        'churnRisk',
      ]).map,
      ...fields('string', [
        'china_par_band',
        'framingham_2008_band',
        'findrisc_band',
        'cdrs_band',
        'ckd_epi_2021_band',
      ]).map,
    },
  },
  member: {
    map: {
      age: 'int',
      gender: 'string',
      timeZone: 'string',
      locale: 'string',
      tier: 'string',
      daysSinceEnrollment: 'int',
      daysToBirthday: 'int',
    },
  },
  engagement: {
    map: {
      daysSinceLastInteraction: 'int',
      daysSinceLastHealthActivity: 'int',
      streakDays: 'int',
      points: 'int',
      lastInteractionAt: 'timestamp',
    },
  },
  pregnancy: { map: { week: 'int', dueDate: 'timestamp' } },
  surgery: { map: { type: 'string', daysSince: 'int', date: 'timestamp' } },
  chemo: { map: { cycle: 'int', daysSinceStart: 'int' } },
  medication: { map: { classes: { list: 'string' }, active: 'bool', adherence30: 'double' } },
  /** The member's service package ('package' is a reserved word in CEL). */
  servicePackage: { map: { active: 'bool', daysToExpiry: 'int', uses: 'int' } },
  /** The evaluation instant, passed by the caller (factsToContext(facts, { now })). */
  now: 'timestamp',
};
