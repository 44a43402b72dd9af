import type { ProfileFact } from '../model/types.ts';
import type { ConditionTag } from '../clinical/conditionCodes.ts';
import type { MedicationClass } from '../clinical/medicationClasses.ts';

/**
 * The member's profile state, stored as JSONB beside the facts. It keeps bounded summaries per
 * indicator (latest, daily buckets of the last ~100 days, monthly buckets of ~2 years, the sparse lab
 * history) so that an ingest costs O(new readings + touched indicators), never O(history).
 */
export const profileStateVersion = 1;

/** One reading as the profile remembers it (short field names: this is stored per member). */
export interface Reading {
  /** Observation id. */
  id: string;
  /** LOINC (or careloop:) code. */
  code: string;
  /** Value in the indicator's canonical unit. */
  v: number;
  /** effectiveAt as received (ISO 8601). */
  at: string;
  /** effectiveAt in epoch ms. */
  t: number;
  /** Local day number in the member's time zone. */
  d: number;
  /** Blood-pressure setting when known or inferred. */
  s?: 'office' | 'home' | 'ambulatory';
  /** Panel key linking the halves of a BP reading. */
  p?: string;
  /** Original value and unit when the unit differs from the canonical one (ACR classes use it). */
  ov?: number;
  ou?: string;
}

export interface DayBucket {
  d: number;
  n: number;
  sum: number;
  min: number;
  max: number;
  /** Readings inside the indicator's target range (time in range). */
  inT: number;
  /** The latest reading of the day (evidence); dropped for days older than the 30-day window. */
  last?: Reading;
}

/** Monday-based weeks (see `weekOfDay`): the trend of frequent indicators runs on weekly means. */
export interface WeekBucket {
  w: number;
  n: number;
  sum: number;
  /** Days with data (the weekly figure of daily-total indicators is sum / nd). */
  nd: number;
}

export interface MonthBucket {
  m: number;
  n: number;
  sum: number;
}

export interface IndicatorSummary {
  n: number;
  latest: Reading;
  days: DayBucket[];
  weeks: WeekBucket[];
  months: MonthBucket[];
  /** Lab and body indicators: the most recent readings, ascending by time. */
  history?: Reading[];
}

/** Home or ambulatory BP readings of one local day. */
export interface BpDay {
  d: number;
  nS: number;
  sumS: number;
  nD: number;
  sumD: number;
  ev: Reading[];
}

export interface Confirmation {
  /** Readings (or day means) that confirmed the rule. */
  evidence: Reading[];
  /** For mean-based rules: the means and the span. */
  meanS?: number;
  meanD?: number;
  from?: number;
  to?: number;
}

export interface BpState {
  /** The latest complete reading (systolic + diastolic of the same panel or instant). */
  lastPair?: { s: Reading; d: Reading };
  /** First and last days with an office reading in the hypertensive range (one reading per day). */
  officeDays: Reading[];
  /** Days with a reading in the hypertensive range for its setting, any setting. */
  elevatedDays: Reading[];
  homeDays: BpDay[];
  ambulatoryDays: BpDay[];
  homeConfirmed?: Confirmation;
  ambulatoryConfirmed?: Confirmation;
}

export interface ConditionSummary {
  id: string;
  tags: ConditionTag[];
  code: string;
  display: string | null;
  onset: string | null;
}

export interface MedicationSummary {
  id: string;
  classes: MedicationClass[];
  name: string;
  active: boolean;
  authoredOn: string | null;
}

export interface ProfileState {
  version: number;
  rulesVersion: string;
  timeZone: string;
  /** gender|birthDate: a change recomputes every fact. */
  memberSignature: string;
  /** Local day of the last update's `now`: windowed facts are refreshed when it changes. */
  asOfDay: number | null;
  indicators: Record<string, IndicatorSummary>;
  bp: BpState;
  /** Distinct (day, indicator) events in the diabetes range from FPG, 2-h OGTT, HbA1c. */
  diabetesEvents: Reading[];
  /** Days with serum uric acid > 420 µmol/L. */
  uricAcidDays: Reading[];
  conditions: Record<string, ConditionSummary>;
  medications: Record<string, MedicationSummary>;
  /** The current facts by key, and which derivation owns which keys. */
  facts: Record<string, ProfileFact>;
  owned: Record<string, string[]>;
}

export function emptyProfileState(timeZone: string, memberSignature: string): ProfileState {
  return {
    version: profileStateVersion,
    rulesVersion: '',
    timeZone,
    memberSignature,
    asOfDay: null,
    indicators: {},
    bp: { officeDays: [], elevatedDays: [], homeDays: [], ambulatoryDays: [] },
    diabetesEvents: [],
    uricAcidDays: [],
    conditions: {},
    medications: {},
    facts: {},
    owned: {},
  };
}

/** Retention of the bounded summaries. */
export const retention = {
  /** Daily buckets kept before the newest day (30-day averages and time in range). */
  days: 35,
  /** Days before the newest whose bucket keeps its evidence reading. */
  dayEvidence: 31,
  /** Weekly buckets kept before the newest week (the 13-week trend). */
  weeks: 16,
  /** Monthly buckets kept before the newest month (year-over-year for frequent indicators). */
  months: 27,
  /** Lab/body readings kept per indicator. */
  history: 40,
  /** Home/ambulatory BP days kept (the 7-day home window, with slack for late data). */
  bpDays: 14,
  /** First and last distinct event days kept (confirmation rules need the first two). */
  eventDays: 3,
} as const;
