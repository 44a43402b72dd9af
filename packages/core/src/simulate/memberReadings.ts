import type { ObservationInput, SourceKind } from '../model/types.ts';
import type { Indicator } from '../clinical/indicators.ts';
import type { MemberPlan } from './memberPlan.ts';
import type { Rng } from './rng.ts';
import { indicatorById, normalizeQuantity } from '../clinical/indicators.ts';
import { isoInstant } from './isoInstant.ts';
import { chance, clamp, deriveSeed, intBetween, normal, seededRng, uniform } from './rng.ts';

function indicator(id: string): Indicator {
  const found = indicatorById(id);
  if (!found) throw new Error(`simulate: the indicator catalogue has no '${id}'`);
  return found;
}

const SBP = indicator('sbp');
const DBP = indicator('dbp');
const HEART_RATE = indicator('heart_rate');
const GLUCOSE = indicator('glucose');
const FPG = indicator('fpg');
const GLUCOSE_2H = indicator('ogtt_2h');
const HBA1C = indicator('hba1c');
const TC = indicator('tc');
const LDL = indicator('ldl');
const HDL = indicator('hdl');
const TG = indicator('tg');
const CREATININE = indicator('creatinine');
const URIC_ACID = indicator('uric_acid');
const WEIGHT = indicator('weight');
const HEIGHT = indicator('height');
const WAIST = indicator('waist');
const STEPS = indicator('steps');
const SLEEP = indicator('sleep_duration');
const TEMPERATURE = indicator('body_temperature');

/**
 * A home glucose reading two hours after a meal is not a 75 g OGTT (ogtt_2h's primary code 1518-0):
 * LOINC 1521-4 "Glucose [Mass/volume] in Serum or Plasma --2 hours post meal" says what it is and
 * the catalogue maps it to the same indicator.
 */
export const POST_MEAL_GLUCOSE_LOINC = '1521-4';

const MINUTE = 60_000;
const SECOND = 1000;
const TWO_PI = 2 * Math.PI;

/** Natural readings stay below the red-flag cut points; only the scripted episodes cross them. */
const natural = {
  sbp: [88, 176],
  dbp: [50, 106],
  glucose: [4.1, 16.0],
  restingHr: [48, 95],
} as const;

/** What the member did over the window, for the engagement summary. */
export interface MemberActivity {
  activeDays: number;
  /** Epoch ms of the last reading the member took or entered themselves, or of sign-up. */
  lastActiveMs: number;
  redFlagMs: number | null;
}

const round0 = Math.round;
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Original value in `unit` of a canonical value, rounded as the source would print it. */
function inUnit(ind: Indicator, canonical: number, unit: string, decimals: number): number {
  const c = ind.conversions[unit];
  if (!c) throw new Error(`simulate: ${ind.id} has no conversion for '${unit}'`);
  const raw = (canonical - (c.offset ?? 0)) / c.factor;
  const scale = 10 ** decimals;
  return Math.round(raw * scale) / scale;
}

/**
 * Day-by-day readings of one member over the window, in local-time order within each day. Uses its
 * own random stream (seed, member) so the plan and the readings stay independent. With `dense`,
 * every local day yields exactly `dense` observations inside the window: the member's readings
 * first (BP halves kept together), padded with wearable heart-rate samples.
 */
export function* memberObservations(
  plan: MemberPlan,
  seed: number,
  window: { startMs: number; endMs: number },
  dense?: number,
): Generator<ObservationInput, MemberActivity, undefined> {
  const writer = new DayWriter(plan, seed, window);
  const cal = plan.calendar;
  const keyPrefix = `seed:${seed}:${plan.ref}:`;
  let n = 0;
  const firstDay = dense === undefined ? Math.max(0, plan.signupDay) : 0;
  for (let k = firstDay; k < cal.days; k++) {
    const buf = writer.day(k);
    if (dense === undefined) {
      for (const o of buf) {
        o.idempotencyKey = keyPrefix + ++n;
        yield o;
      }
      continue;
    }
    let budget = dense;
    for (let i = 0; i < buf.length;) {
      const o = buf[i] as ObservationInput;
      const next = buf[i + 1];
      const size =
        o.panelKey !== null && next !== undefined && next.panelKey === o.panelKey ? 2 : 1;
      if (size <= budget) {
        budget -= size;
        o.idempotencyKey = keyPrefix + ++n;
        yield o;
        if (size === 2 && next) {
          next.idempotencyKey = keyPrefix + ++n;
          yield next;
        }
      }
      i += size;
    }
    for (let j = 0; j < budget; j++) {
      const o = writer.heartRateSample(k, Math.floor(((j + 0.5) * 1440) / budget));
      if (o) {
        o.idempotencyKey = keyPrefix + ++n;
        yield o;
      }
    }
  }
  return writer.activity();
}

/** Writes one member's readings of one local day into a reused buffer. */
class DayWriter {
  private readonly rng: Rng;
  private readonly padRng: Rng;
  private readonly buf: ObservationInput[] = [];
  private readonly ref: string;
  private readonly panelPrefix: string;
  private panels = 0;
  private active = true;
  private activeDays = 0;
  private touchedToday = false;
  private lastActiveMs: number;
  private redFlagMs: number | null = null;

  constructor(
    private readonly plan: MemberPlan,
    seed: number,
    private readonly window: { startMs: number; endMs: number },
  ) {
    this.rng = seededRng(deriveSeed(seed, plan.index, 0x0da7));
    this.padRng = seededRng(deriveSeed(seed, plan.index, 0x9ad5));
    this.ref = plan.ref;
    this.panelPrefix = `seed:${seed}:${plan.ref}:bp:`;
    this.lastActiveMs = plan.signupAtMs;
  }

  activity(): MemberActivity {
    return {
      activeDays: this.activeDays,
      lastActiveMs: this.lastActiveMs,
      redFlagMs: this.redFlagMs,
    };
  }

  day(k: number): ObservationInput[] {
    const buf = this.buf;
    buf.length = 0;
    const p = this.plan;
    if (k < p.signupDay) return buf;
    this.touchedToday = false;
    const measuring = k < p.stopDay;
    if (k > p.signupDay) {
      this.active = this.active ? chance(this.rng, p.stayActive) : chance(this.rng, p.comeBack);
    }
    const redFlagToday = p.redFlag !== null && p.redFlag.day === k;
    // Members measure on active days; the scripted red-flag day always has its reading.
    const acting = measuring && (this.active || redFlagToday);
    const weekend = p.calendar.isWeekend(k);
    const adherence = weekend ? p.weekendAdherence : 1;

    if (k === p.signupDay) this.height(k);
    if (measuring && p.wearable && chance(this.rng, 0.93)) this.night(k);
    if (acting && p.weight && chance(this.rng, p.weight.p * adherence)) this.weight(k);
    if (acting && p.bp) this.bloodPressureDay(k, weekend, adherence, redFlagToday);
    if (acting && p.glucose) this.glucoseDay(k, adherence, redFlagToday);
    if (p.checkupDays.includes(k)) this.checkup(k);
    if (p.clinicHba1cDays.includes(k)) this.clinicHba1c(k);
    if (p.pregnancy && p.pregnancy.ogttDay === k) this.ogtt(k);
    if (measuring && p.surgery && k - p.surgery.day <= 14) this.temperature(k);
    if (measuring && p.steps && chance(this.rng, 0.94)) this.steps(k, weekend);
    if (this.touchedToday) this.activeDays++;
    return buf;
  }

  /** A wearable heart-rate sample for dense benchmark streams (never a red flag: 50–125 /min). */
  heartRateSample(k: number, minuteOfDay: number): ObservationInput | null {
    const rest = this.plan.wearable?.restingHr ?? 68;
    const awake = minuteOfDay >= 7 * 60 && minuteOfDay < 23 * 60;
    const bpm = clamp(
      round0(rest + (awake ? 12 : -4) + 30 * this.padRng.next() * this.padRng.next()),
      50,
      125,
    );
    const at = this.plan.calendar.instant(k, minuteOfDay);
    return this.create(
      HEART_RATE,
      HEART_RATE.primaryLoinc,
      bpm,
      bpm,
      '/min',
      at,
      null,
      'device',
      null,
      null,
    );
  }

  // --- readings -------------------------------------------------------------------------------

  private height(k: number): void {
    const p = this.plan;
    const at = Math.max(p.signupAtMs, p.calendar.instant(k, 0));
    if (p.units === 'us') {
      this.quantity(HEIGHT, inUnit(HEIGHT, p.heightCm, '[in_i]', 1), '[in_i]', at, 'self');
    } else {
      this.quantity(HEIGHT, round0(p.heightCm), 'cm', at, 'self');
    }
  }

  /** Sleep of the night ending on day k, and the resting heart rate the wearable reports at waking. */
  private night(k: number): void {
    const w = this.plan.wearable;
    if (!w) return;
    const cal = this.plan.calendar;
    const friOrSatNight = cal.weekday(k) === 6 || cal.weekday(k) === 0;
    const bedtime =
      w.bedtimeMinute +
      (friOrSatNight ? intBetween(this.rng, 20, 70) : intBetween(this.rng, -20, 25));
    const hours = clamp(normal(this.rng, w.sleepHours + (friOrSatNight ? 0.5 : 0), 0.7), 3.5, 10.5);
    const minutes = round0(hours * 60);
    const start = cal.instant(k - 1, 1440 + bedtime) + intBetween(this.rng, 0, 59) * SECOND;
    const end = start + minutes * MINUTE;
    this.quantity(SLEEP, minutes, 'min', start, 'device', end);
    const hr = round0(
      clamp(normal(this.rng, w.restingHr, 2.5), natural.restingHr[0], natural.restingHr[1]),
    );
    this.make(HEART_RATE, HEART_RATE.primaryLoinc, hr, hr, '/min', end, null, 'device', null, null);
  }

  private weight(k: number): void {
    const p = this.plan;
    const w = p.weight;
    if (!w) return;
    let kg = w.baseKg + w.driftPerDay * k + normal(this.rng, 0, 0.3);
    if (p.pregnancy) kg += gestationalGainKg(k, p.pregnancy);
    if (p.surgery) kg -= postOperativeLossKg(k - p.surgery.day);
    const minute = (p.bp?.morningMinute ?? 7 * 60) - intBetween(this.rng, 5, 20);
    const at = p.calendar.instant(k, minute) + intBetween(this.rng, 0, 59) * SECOND;
    if (p.units === 'us') {
      this.quantity(WEIGHT, inUnit(WEIGHT, kg, '[lb_av]', 1), '[lb_av]', at, w.source);
    } else {
      this.quantity(WEIGHT, round1(kg), 'kg', at, w.source);
    }
    this.touch(at);
  }

  private bloodPressureDay(
    k: number,
    weekend: boolean,
    adherence: number,
    redFlagToday: boolean,
  ): void {
    const bp = this.plan.bp;
    if (!bp) return;
    const rng = this.rng;
    const dayEffect = normal(rng, 0, 3.5);
    const morning = bp.morningMinute + (weekend ? bp.weekendDelay : 0) + intBetween(rng, -15, 15);
    const crisis = redFlagToday && this.plan.redFlag?.kind === 'bp-crisis';
    if (crisis || chance(rng, bp.morningP * adherence)) {
      if (crisis) this.bpCrisis(k, morning);
      else this.bpSession(k, morning, true, dayEffect);
    }
    if (chance(rng, bp.eveningP * adherence)) {
      this.bpSession(k, bp.eveningMinute + intBetween(rng, -20, 20), false, dayEffect);
    }
  }

  private bpSession(k: number, minute: number, morning: boolean, dayEffect: number): void {
    const p = this.plan;
    const bp = p.bp;
    if (!bp) return;
    const cal = p.calendar;
    const rng = this.rng;
    const weekday = cal.weekday(k);
    const season = bp.seasonal * Math.cos((TWO_PI * (cal.dayOfYear(k) - 15)) / 365.25); // winter peak
    const weekdayEffect = weekday === 1 ? 1.5 : weekday === 0 || weekday === 6 ? -1.5 : 0;
    let shift =
      bp.trendPerDay * k + season + dayEffect + weekdayEffect + (morning ? bp.morningSurge : 0);
    if (p.pregnancy) shift += gestationalBpShift(k, p.pregnancy);
    const rf = p.redFlag;
    if (rf && rf.kind === 'bp-crisis' && k > rf.day && k <= rf.day + 3) shift += 8; // still high until reviewed
    const at = cal.instant(k, minute) + intBetween(rng, 0, 59) * SECOND;
    const readings = chance(rng, bp.repeatP) ? 2 : 1;
    for (let r = 0; r < readings; r++) {
      const e = normal(rng, 0, bp.noise);
      const secondReadingDrop = r === 0 ? 0 : uniform(rng, 0, 4); // the second reading is usually lower
      let sbp = round0(
        clamp(bp.sbp + shift + e - secondReadingDrop, natural.sbp[0], natural.sbp[1]),
      );
      let dbp = round0(
        clamp(
          bp.dbp + 0.5 * shift + 0.45 * e + normal(rng, 0, 3) - secondReadingDrop / 2,
          natural.dbp[0],
          natural.dbp[1],
        ),
      );
      if (sbp - dbp < 20) dbp = sbp - 20;
      if (dbp < natural.dbp[0]) {
        dbp = natural.dbp[0];
        sbp = Math.max(sbp, dbp + 20);
      }
      this.bloodPressure(sbp, dbp, at + r * intBetween(rng, 60, 150) * SECOND, bp.source, 'home');
    }
  }

  /** The scripted crisis: a reading ≥ 180/110, re-measured five minutes later as the member is told to. */
  private bpCrisis(k: number, minute: number): void {
    const bp = this.plan.bp;
    if (!bp) return;
    const rng = this.rng;
    const at = this.plan.calendar.instant(k, minute) + intBetween(rng, 0, 59) * SECOND;
    const sbp = intBetween(rng, 182, 196);
    const dbp = intBetween(rng, 110, 118);
    this.bloodPressure(sbp, dbp, at, bp.source, 'home');
    this.bloodPressure(
      sbp - intBetween(rng, 2, 8),
      dbp - intBetween(rng, 1, 5),
      at + 5 * MINUTE,
      bp.source,
      'home',
    );
    this.redFlagMs = at;
  }

  private glucoseDay(k: number, adherence: number, redFlagToday: boolean): void {
    const p = this.plan;
    const g = p.glucose;
    if (!g) return;
    const rng = this.rng;
    const cal = p.calendar;
    const dayMean = g.fastingMean + g.trendPerDay * k + normal(rng, 0, g.sd);
    // Prediabetic members stay below the diagnostic cut points (7.0 fasting, 11.1 two-hour).
    const prediabetic = p.persona === 'prediabetic';
    const fastingMax = prediabetic ? 6.9 : 13.9;
    const hypo = redFlagToday && p.redFlag?.kind === 'hypoglycaemia';
    if (hypo && p.redFlag) {
      const at = cal.instant(k, p.redFlag.minute) + intBetween(rng, 0, 59) * SECOND;
      this.glucose(FPG, FPG.primaryLoinc, uniform(rng, 2.6, 3.1), at, g.source, g.unit);
      // Rule of 15: 15 g of sugar, re-check after 15 minutes.
      this.glucose(
        GLUCOSE,
        GLUCOSE.primaryLoinc,
        uniform(rng, 4.4, 5.6),
        at + 15 * MINUTE,
        g.source,
        g.unit,
      );
      this.redFlagMs = at;
    } else if (chance(rng, g.fastingP * adherence)) {
      const minute = (p.bp?.morningMinute ?? 7 * 60) + intBetween(rng, 5, 25);
      const v = clamp(dayMean + normal(rng, 0, 0.3), natural.glucose[0], fastingMax);
      this.glucose(
        FPG,
        FPG.primaryLoinc,
        v,
        cal.instant(k, minute) + intBetween(rng, 0, 59) * SECOND,
        g.source,
        g.unit,
      );
    }
    if (chance(rng, g.postMealP * adherence)) {
      const afterBreakfast = chance(rng, 0.6);
      const meal = afterBreakfast
        ? (p.bp?.morningMinute ?? 7 * 60) + 40
        : intBetween(rng, 18 * 60, 19 * 60);
      const max = prediabetic ? 10.8 : natural.glucose[1];
      const v = clamp(dayMean + g.postMealRise + normal(rng, 0, 1.0), 5.0, max);
      const at = cal.instant(k, meal + 120) + intBetween(rng, -300, 300) * SECOND;
      this.glucose(GLUCOSE_2H, POST_MEAL_GLUCOSE_LOINC, v, at, g.source, g.unit);
    }
  }

  private temperature(k: number): void {
    const p = this.plan;
    const sinceSurgery = k - (p.surgery?.day ?? k);
    const celsius = clamp(normal(this.rng, sinceSurgery <= 3 ? 37.0 : 36.6, 0.22), 36.0, 37.5);
    const at =
      p.calendar.instant(k, intBetween(this.rng, 20 * 60, 21 * 60)) +
      intBetween(this.rng, 0, 59) * SECOND;
    if (p.units === 'us') {
      this.quantity(TEMPERATURE, inUnit(TEMPERATURE, celsius, '[degF]', 1), '[degF]', at, 'self');
    } else {
      this.quantity(TEMPERATURE, round1(celsius), 'Cel', at, 'self');
    }
    this.touch(at);
  }

  private steps(k: number, weekend: boolean): void {
    const p = this.plan;
    const s = p.steps;
    if (!s) return;
    let mean = s.weekdayMean * (weekend ? s.weekendFactor : 1);
    if (p.surgery) {
      const since = k - p.surgery.day;
      mean *= clamp(0.12 + (0.88 * since) / p.surgery.recoveryDays, 0.12, 1);
    }
    const postpartum =
      p.pregnancy && k >= p.pregnancy.deliveryDay && k < p.pregnancy.deliveryDay + 42;
    if (postpartum) mean *= 0.4; // the first six weeks after birth
    const count = round0(clamp(mean * Math.exp(normal(this.rng, 0, 0.35)), 150, 40000));
    const cal = p.calendar;
    this.quantity(STEPS, count, '{steps}', cal.instant(k, 0), 'device', cal.instant(k + 1, 0));
  }

  /** Annual checkup: office BP, fasting labs and body measurements, all with sourceKind 'checkup'. */
  private checkup(k: number): void {
    const p = this.plan;
    const rng = this.rng;
    const labs = p.labs;
    const at = p.calendar.instant(k, intBetween(rng, 7 * 60 + 30, 9 * 60 + 30));
    const us = p.units === 'us';
    // Office BP at the checkup: the member's level plus a little white-coat effect.
    const meanSbp = p.bp ? p.bp.sbp + p.bp.trendPerDay * k : 118;
    const meanDbp = p.bp ? p.bp.dbp : 76;
    const whiteCoat = uniform(rng, 0, 6);
    const e = normal(rng, 0, 5);
    const sbp = round0(clamp(meanSbp + whiteCoat + e, natural.sbp[0], natural.sbp[1]));
    const dbpMean = meanDbp + whiteCoat / 2 + 0.45 * e + normal(rng, 0, 3);
    const dbp = round0(clamp(dbpMean, natural.dbp[0], Math.min(natural.dbp[1], sbp - 20)));
    this.bloodPressure(sbp, dbp, at, 'checkup', 'office');
    const fpg = clamp(
      (p.glucose ? p.glucose.fastingMean + p.glucose.trendPerDay * k : labs.fpg) +
        normal(rng, 0, 0.35),
      natural.glucose[0],
      p.persona === 'prediabetic' ? 6.9 : 13.9,
    );
    const tc = labs.tc + normal(rng, 0, 0.25);
    const hdl = clamp(labs.hdl + normal(rng, 0, 0.08), 0.6, 2.5);
    const tg = clamp(labs.tg * Math.exp(normal(rng, 0, 0.2)), 0.4, 6);
    // Friedewald (mmol/L): LDL-C = TC − HDL-C − TG / 2.2, as most Chinese labs still report it.
    const ldl = clamp(tc - hdl - tg / 2.2 + normal(rng, 0, 0.08), 0.8, 6.5);
    const creatinine = labs.creatinine + normal(rng, 0, 5);
    const uricAcid = labs.uricAcid + normal(rng, 0, 25);
    this.lab(FPG, fpg, us ? 'mg/dL' : 'mmol/L', us ? 0 : 1, at);
    if (labs.includeHba1c) this.hba1c(this.hba1cAt(k), at, 'checkup');
    this.lab(TC, tc, us ? 'mg/dL' : 'mmol/L', us ? 0 : 2, at);
    this.lab(LDL, ldl, us ? 'mg/dL' : 'mmol/L', us ? 0 : 2, at);
    this.lab(HDL, hdl, us ? 'mg/dL' : 'mmol/L', us ? 0 : 2, at);
    this.lab(TG, tg, us ? 'mg/dL' : 'mmol/L', us ? 0 : 2, at);
    this.lab(CREATININE, creatinine, us ? 'mg/dL' : 'umol/L', us ? 2 : 0, at);
    this.lab(URIC_ACID, uricAcid, us ? 'mg/dL' : 'umol/L', us ? 1 : 0, at);
    const kg =
      (p.weight?.baseKg ?? 22 * (p.heightCm / 100) ** 2) +
      (p.weight ? p.weight.driftPerDay * k : 0);
    this.lab(WEIGHT, kg + normal(rng, 0, 0.3), us ? '[lb_av]' : 'kg', 1, at);
    this.lab(HEIGHT, p.heightCm + normal(rng, 0, 0.3), us ? '[in_i]' : 'cm', 1, at);
    this.lab(WAIST, labs.waistCm + normal(rng, 0, 1), us ? '[in_i]' : 'cm', 1, at);
  }

  private clinicHba1c(k: number): void {
    const at = this.plan.calendar.instant(k, intBetween(this.rng, 9 * 60, 11 * 60 + 30));
    this.hba1c(this.hba1cAt(k), at, 'clinic');
  }

  /** HbA1c follows the member's mean glucose (ADAG: A1c = (eAG + 2.59) / 1.59, eAG ≈ fasting + 1). */
  private hba1cAt(k: number): number {
    const p = this.plan;
    const base =
      p.glucose && p.persona !== 'prediabetic'
        ? (p.glucose.fastingMean + p.glucose.trendPerDay * k + 1.0 + 2.59) / 1.59
        : p.labs.hba1c;
    return clamp(base + normal(this.rng, 0, 0.15), 4.3, 11);
  }

  private hba1c(percent: number, at: number, source: SourceKind): void {
    // UK laboratories report IFCC mmol/mol; Chinese and US ones NGSP %.
    if (this.plan.units === 'uk') this.lab(HBA1C, percent, 'mmol/mol', 0, at, source);
    else this.lab(HBA1C, percent, '%', 1, at, source);
  }

  /** 75 g OGTT at 24–28 weeks of pregnancy: fasting and 2-hour values (LOINC 1518-0 is exactly this). */
  private ogtt(k: number): void {
    const p = this.plan;
    const start = p.calendar.instant(k, 8 * 60);
    const unit = p.units === 'us' ? 'mg/dL' : 'mmol/L';
    const decimals = unit === 'mg/dL' ? 0 : 1;
    this.lab(FPG, clampedFasting(normal(this.rng, 4.5, 0.3)), unit, decimals, start, 'clinic');
    this.lab(
      GLUCOSE_2H,
      clamp(normal(this.rng, 6.4, 0.9), 4.4, 8.4),
      unit,
      decimals,
      start + 120 * MINUTE,
      'clinic',
    );
  }

  // --- writers --------------------------------------------------------------------------------

  private touch(at: number): void {
    if (at < this.window.startMs || at >= this.window.endMs) return;
    this.touchedToday = true;
    if (at > this.lastActiveMs) this.lastActiveMs = at;
  }

  private bloodPressure(
    sbp: number,
    dbp: number,
    at: number,
    source: SourceKind,
    setting: 'home' | 'office',
  ): void {
    if (at < this.window.startMs || at >= this.window.endMs) return;
    const panelKey = this.panelPrefix + ++this.panels;
    this.make(SBP, SBP.primaryLoinc, sbp, sbp, 'mm[Hg]', at, null, source, panelKey, setting);
    this.make(DBP, DBP.primaryLoinc, dbp, dbp, 'mm[Hg]', at, null, source, panelKey, setting);
    if (source !== 'checkup') this.touch(at);
  }

  private glucose(
    ind: Indicator,
    code: string,
    mmol: number,
    at: number,
    source: SourceKind,
    unit: 'mmol/L' | 'mg/dL',
  ): void {
    const original = unit === 'mmol/L' ? round1(mmol) : inUnit(ind, mmol, 'mg/dL', 0);
    this.quantity(ind, original, unit, at, source, null, code);
    this.touch(at);
  }

  private lab(
    ind: Indicator,
    canonical: number,
    unit: string,
    decimals: number,
    at: number,
    source: SourceKind = 'checkup',
  ): void {
    this.quantity(ind, inUnit(ind, canonical, unit, decimals), unit, at, source);
  }

  /** One observation from a value in the source's unit, normalised exactly as ingest would. */
  private quantity(
    ind: Indicator,
    original: number,
    unit: string,
    at: number,
    source: SourceKind,
    end: number | null = null,
    code: string = ind.primaryLoinc,
  ): void {
    let value = original;
    if (unit !== ind.unit) {
      const n = normalizeQuantity(ind, original, unit);
      if (!n.ok) throw new Error(`simulate: generated an invalid ${ind.id} reading: ${n.message}`);
      value = n.value;
    }
    this.make(ind, code, value, original, unit, at, end, source, null, null);
  }

  private make(
    ind: Indicator,
    code: string,
    value: number,
    original: number,
    originalUnit: string,
    at: number,
    end: number | null,
    source: SourceKind,
    panelKey: string | null,
    setting: 'home' | 'office' | null,
  ): void {
    // Nothing from before the member joined (the first night's sleep, the first day's steps).
    if (at < this.plan.signupAtMs) return;
    const o = this.create(
      ind,
      code,
      value,
      original,
      originalUnit,
      at,
      end,
      source,
      panelKey,
      setting,
    );
    if (o) this.buf.push(o);
  }

  /** The observation, or null when it falls outside the window (intervals must end inside it). */
  private create(
    ind: Indicator,
    code: string,
    value: number,
    original: number,
    originalUnit: string,
    at: number,
    end: number | null,
    source: SourceKind,
    panelKey: string | null,
    setting: 'home' | 'office' | null,
  ): ObservationInput | null {
    if (at < this.window.startMs) return null;
    if (end === null ? at >= this.window.endMs : end > this.window.endMs) return null;
    // Every field always present, in one order: one object shape for the whole stream.
    return {
      memberRef: this.ref,
      code,
      indicator: ind.id,
      value,
      unit: ind.unit,
      originalValue: original,
      originalUnit,
      effectiveAt: isoInstant(at),
      effectiveEnd: end === null ? null : isoInstant(end),
      sourceKind: source,
      sourceSystem: 'seed',
      sourceRecordId: null,
      idempotencyKey: '',
      panelKey,
      setting,
    };
  }
}

function clampedFasting(mmol: number): number {
  return clamp(mmol, natural.glucose[0], 5.5);
}

/** Gestational weight gain: ~1.5 kg in the first trimester, then ~0.42 kg/week (IOM 2009, normal BMI). */
function gestationalGainKg(k: number, pregnancy: NonNullable<MemberPlan['pregnancy']>): number {
  const gain = (weeks: number): number =>
    weeks <= 13 ? (1.5 * weeks) / 13 : 1.5 + 0.42 * (weeks - 13);
  if (k < pregnancy.deliveryDay) return gain((k - pregnancy.lmpDay) / 7);
  const atTerm = gain((pregnancy.deliveryDay - pregnancy.lmpDay) / 7);
  const postpartumWeeks = (k - pregnancy.deliveryDay) / 7;
  return Math.max(2, atTerm - 6 - 0.5 * postpartumWeeks); // baby and placenta at birth, then slow loss
}

/** BP dips in mid-pregnancy and rises towards term; back to baseline after delivery. */
function gestationalBpShift(k: number, pregnancy: NonNullable<MemberPlan['pregnancy']>): number {
  if (k >= pregnancy.deliveryDay) return 0;
  const weeks = (k - pregnancy.lmpDay) / 7;
  return weeks < 20 ? (-3 * weeks) / 20 : -3 + (7 * (weeks - 20)) / 20;
}

/** Weight lost around an operation, regained over the following weeks. */
function postOperativeLossKg(daysSince: number): number {
  if (daysSince < 0) return 0;
  if (daysSince <= 10) return 0.15 * daysSince;
  return Math.max(0, 1.5 - 0.03 * (daysSince - 10));
}
