import type { ConditionInput, MedicationInput, SourceKind } from '../model/types.ts';
import type { CalendarCache, LocalCalendar } from './localCalendar.ts';
import type { DemoPersona } from './demoMember.ts';
import type { PersonName } from './names.ts';
import type { Rng } from './rng.ts';
import type { DemoRegimen } from './demoMedications.ts';
import type { DemoCondition } from './demoConditions.ts';
import { regimenMedication } from './demoMedications.ts';
import { SNOMED_SYSTEM, demoConditionCodes } from './demoConditions.ts';
import { chineseName, englishName, nameStyleFor } from './names.ts';
import {
  chance,
  clamp,
  clampedNormal,
  deriveSeed,
  intBetween,
  normal,
  pickWeighted,
  seededRng,
  shuffled,
  uniform,
} from './rng.ts';

/**
 * The persona mix of every block of 20 consecutive members (shuffled per block by the seed): a
 * chronic-disease programme is mostly hypertension and diabetes, with some healthy members from
 * checkup centres and a few pregnancies, surgeries and sign-ups who never come back. Blocks keep
 * the mix exact for any multiple of 20 and make every prefix of a population a population.
 */
const personaMix: Record<DemoPersona, number> = {
  healthy: 4,
  hypertensive: 5,
  diabetic: 2,
  prediabetic: 2,
  'hypertensive-diabetic': 2,
  dyslipidemic: 2,
  pregnant: 1,
  'post-surgery': 1,
  inactive: 1,
};
const personaBlock: readonly DemoPersona[] = (
  Object.entries(personaMix) as [DemoPersona, number][]
).flatMap(([persona, n]) => Array.from({ length: n }, () => persona));

/** Where the members of a block live: mostly the mainland, one each in HK, LA and London. */
const timeZoneBlock: readonly string[] = [
  ...Array.from({ length: 17 }, () => 'Asia/Shanghai'),
  'Asia/Hong_Kong',
  'America/Los_Angeles',
  'Europe/London',
];

export const BLOCK_SIZE = personaBlock.length;

const DAY_MS = 86_400_000;

export type MeasurementSource = Extract<SourceKind, 'device' | 'self'>;

export interface BloodPressurePlan {
  source: MeasurementSource;
  /** On antihypertensive treatment (hypertensive personas only). */
  treated: boolean;
  /** Probability of a morning / evening session on an active weekday. */
  morningP: number;
  eveningP: number;
  /** Probability that a session has a second reading a minute or two later (guideline: 2–3 readings). */
  repeatP: number;
  morningMinute: number;
  eveningMinute: number;
  /** Weekend mornings start later. */
  weekendDelay: number;
  /** Persona-level means of home SBP/DBP (mmHg). */
  sbp: number;
  dbp: number;
  /** Drift per day (treatment taking effect). */
  trendPerDay: number;
  /** Morning surge of SBP over the evening (mmHg). */
  morningSurge: number;
  /** Seasonal amplitude: BP is higher in winter. */
  seasonal: number;
  noise: number;
}

export interface GlucosePlan {
  source: MeasurementSource;
  /** Meter unit: mainland meters read mmol/L, US meters mg/dL. */
  unit: 'mmol/L' | 'mg/dL';
  fastingP: number;
  postMealP: number;
  fastingMean: number;
  trendPerDay: number;
  /** Rise of the 2-hour post-meal value over fasting (mmol/L). */
  postMealRise: number;
  sd: number;
}

export interface LabBaseline {
  tc: number;
  hdl: number;
  tg: number;
  creatinine: number;
  uricAcid: number;
  /** Fasting glucose at the lab for members without a home meter plan. */
  fpg: number;
  hba1c: number;
  waistCm: number;
  includeHba1c: boolean;
}

export interface MemberPlan {
  index: number;
  ref: string;
  persona: DemoPersona;
  name: PersonName;
  gender: 'male' | 'female';
  age: number;
  birthDate: string;
  timeZone: string;
  locale: 'zh-CN' | 'en';
  calendar: LocalCalendar;
  /** US units (mg/dL, lb, in, °F) for members in Los Angeles; HbA1c in mmol/mol in London. */
  units: 'cn' | 'us' | 'uk';
  signupDay: number;
  signupAtMs: number;
  /** First day on which the member no longer measures (calendar.days if they never stop). */
  stopDay: number;
  /** Two-state engagement: P(active tomorrow | active today), P(active tomorrow | lapsed today). */
  stayActive: number;
  comeBack: number;
  /** Factor on session probabilities at weekends. */
  weekendAdherence: number;
  opensPerActiveDay: number;
  bp: BloodPressurePlan | null;
  glucose: GlucosePlan | null;
  weight: { source: MeasurementSource; p: number; baseKg: number; driftPerDay: number } | null;
  heightCm: number;
  steps: { weekdayMean: number; weekendFactor: number } | null;
  wearable: { sleepHours: number; bedtimeMinute: number; restingHr: number } | null;
  labs: LabBaseline;
  checkupDays: number[];
  clinicHba1cDays: number[];
  pregnancy: { lmpDay: number; deliveryDay: number; ogttDay: number } | null;
  surgery: { day: number; recoveryDays: number } | null;
  redFlag: { kind: 'bp-crisis' | 'hypoglycaemia'; day: number; minute: number } | null;
  conditions: ConditionInput[];
  medications: MedicationInput[];
}

interface BlockPlan {
  personas: DemoPersona[];
  timeZones: string[];
  /** Slot in the block that gets the scripted red flag, or −1. */
  redFlagSlot: number;
  redFlagKind: 'bp-crisis' | 'hypoglycaemia';
}

/** Even blocks script a BP crisis, odd blocks a hypoglycaemia: 200 members → 5 + 5 red flags. */
function blockPlan(seed: number, block: number): BlockPlan {
  const rng = seededRng(deriveSeed(seed, 0xb10c, block));
  const personas = shuffled(rng, personaBlock);
  const timeZones = shuffled(rng, timeZoneBlock);
  const redFlagKind = block % 2 === 0 ? 'bp-crisis' : 'hypoglycaemia';
  const eligible: readonly DemoPersona[] =
    redFlagKind === 'bp-crisis'
      ? ['hypertensive', 'hypertensive-diabetic']
      : ['diabetic', 'hypertensive-diabetic'];
  const redFlagSlot = personas.findIndex((p) => eligible.includes(p));
  return { personas, timeZones, redFlagSlot, redFlagKind };
}

const ageModel: Record<DemoPersona, { mean: number; sd: number; lo: number; hi: number }> = {
  healthy: { mean: 42, sd: 11, lo: 25, hi: 75 },
  hypertensive: { mean: 62, sd: 10, lo: 38, hi: 85 },
  diabetic: { mean: 58, sd: 10, lo: 35, hi: 85 },
  prediabetic: { mean: 52, sd: 10, lo: 30, hi: 78 },
  'hypertensive-diabetic': { mean: 66, sd: 8, lo: 45, hi: 85 },
  dyslipidemic: { mean: 53, sd: 10, lo: 30, hi: 80 },
  pregnant: { mean: 30, sd: 4, lo: 25, hi: 41 },
  'post-surgery': { mean: 58, sd: 13, lo: 28, hi: 85 },
  inactive: { mean: 50, sd: 14, lo: 25, hi: 85 },
};

/** Share of men by persona (hypertension and diabetes are somewhat commoner in Chinese men). */
const maleShare: Record<DemoPersona, number> = {
  healthy: 0.48,
  hypertensive: 0.56,
  diabetic: 0.57,
  prediabetic: 0.5,
  'hypertensive-diabetic': 0.55,
  dyslipidemic: 0.55,
  pregnant: 0,
  'post-surgery': 0.5,
  inactive: 0.45,
};

const bmiModel: Record<DemoPersona, { mean: number; sd: number; lo: number; hi: number }> = {
  healthy: { mean: 22.3, sd: 2.0, lo: 18.6, hi: 26 },
  hypertensive: { mean: 25.8, sd: 2.8, lo: 20, hi: 33 },
  diabetic: { mean: 25.6, sd: 3, lo: 19.5, hi: 34 },
  prediabetic: { mean: 25.5, sd: 2.6, lo: 20, hi: 32 },
  'hypertensive-diabetic': { mean: 26.5, sd: 3, lo: 20, hi: 35 },
  dyslipidemic: { mean: 25.5, sd: 2.5, lo: 20, hi: 32 },
  pregnant: { mean: 21.5, sd: 2.3, lo: 18, hi: 28 },
  'post-surgery': { mean: 23.5, sd: 3, lo: 18.5, hi: 32 },
  inactive: { mean: 24, sd: 3.5, lo: 18, hi: 33 },
};

const isHypertensive = (p: DemoPersona): boolean =>
  p === 'hypertensive' || p === 'hypertensive-diabetic';
const isDiabetic = (p: DemoPersona): boolean => p === 'diabetic' || p === 'hypertensive-diabetic';

/** Everything about member `index` that does not change from day to day, drawn from the seed. */
export function planMember(seed: number, index: number, calendars: CalendarCache): MemberPlan {
  const block = Math.floor(index / BLOCK_SIZE);
  const slot = index % BLOCK_SIZE;
  const blockInfo = blockPlan(seed, block);
  const persona = blockInfo.personas[slot] ?? 'healthy';
  const timeZone = blockInfo.timeZones[slot] ?? 'Asia/Shanghai';
  const rng = seededRng(deriveSeed(seed, index, 0x91a7));
  const calendar = calendars.get(timeZone);
  const days = calendar.days;
  const ref = `demo-${String(index + 1).padStart(4, '0')}`;

  // Who they are.
  const gender: 'male' | 'female' = chance(rng, maleShare[persona]) ? 'male' : 'female';
  const am = ageModel[persona];
  const age = Math.round(clampedNormal(rng, am.mean, am.sd, am.lo, am.hi));
  const birthMs = calendars.endMs - (age * 365.2425 + uniform(rng, 1, 364)) * DAY_MS;
  const birthDate = new Date(birthMs).toISOString().slice(0, 10);
  const locale = pickLocale(rng, timeZone);
  const style = nameStyleFor(rng, timeZone, locale);
  const name =
    style === 'chinese'
      ? chineseName(rng, gender, new Date(birthMs).getUTCFullYear())
      : englishName(rng, gender, style);
  const units =
    timeZone === 'America/Los_Angeles' ? 'us' : timeZone === 'Europe/London' ? 'uk' : 'cn';

  // When they join and whether they stay.
  const redFlagKind = slot === blockInfo.redFlagSlot ? blockInfo.redFlagKind : null;
  const chronic = isHypertensive(persona) || isDiabetic(persona);
  const last = Math.max(0, days - 1);
  const u = rng.next();
  let signupDay =
    u < 0.55
      ? intBetween(rng, 0, Math.min(7, last))
      : u < 0.85
        ? intBetween(rng, 0, Math.floor(0.5 * last))
        : intBetween(rng, Math.floor(0.5 * last), Math.floor(0.9 * last));
  // Chronic members need months of readings for the profile to show; scripted red flags need a history.
  if (chronic || redFlagKind) signupDay = Math.min(signupDay, Math.floor(0.4 * last));
  const signupAtMs = clamp(
    calendar.instant(signupDay, intBetween(rng, 8 * 60, 22 * 60)),
    calendars.startMs,
    calendars.endMs - 60_000,
  );
  let stopDay = days;
  if (persona === 'inactive') {
    stopDay = signupDay + intBetween(rng, 2, 8); // the seven-day cliff
  } else if (!redFlagKind && chance(rng, chronic ? 0.12 : 0.22)) {
    stopDay = signupDay + intBetween(rng, 30, Math.max(30, days));
  }
  const engagement = engagementModel(rng, persona);

  // Body.
  const heightCm =
    gender === 'male'
      ? clampedNormal(rng, age > 60 ? 167 : 170, 6, 152, 190)
      : clampedNormal(rng, age > 60 ? 156 : 158, 5.5, 142, 178);
  const bm = bmiModel[persona];
  const bmi = clampedNormal(rng, bm.mean, bm.sd, bm.lo, bm.hi);
  const baseKg = bmi * (heightCm / 100) ** 2;

  const pregnancy = persona === 'pregnant' ? planPregnancy(rng, signupDay) : null;
  const surgeryKind = persona === 'post-surgery' ? pickSurgery(rng, age) : null;
  const surgery = surgeryKind
    ? { day: signupDay - intBetween(rng, 1, 5), recoveryDays: surgeryKind === 'hip' ? 84 : 42 }
    : null;

  const bpPlan = planBloodPressure(rng, persona, age, days);
  const glucose = planGlucose(rng, persona, units, days);
  const weight = planWeight(rng, persona, baseKg);
  const steps = chance(rng, persona === 'inactive' ? 0.6 : 0.85)
    ? planSteps(rng, age, persona)
    : null;
  const wearable = chance(rng, age < 50 ? 0.55 : 0.3) ? planWearable(rng, age, persona) : null;
  const labs = planLabs(rng, persona, gender, age, bmi, glucose);

  const redFlag = redFlagKind
    ? planRedFlag(rng, redFlagKind, signupDay, days, bpPlan, glucose)
    : null;
  if (redFlag && stopDay <= redFlag.day) stopDay = days;

  const checkupDays = planCheckups(rng, persona, signupDay, days);
  const clinicHba1cDays = isDiabetic(persona)
    ? planClinicVisits(rng, signupDay, days, checkupDays)
    : [];

  const prefix = `seed:${seed}:${ref}`;
  const conditions = planConditions(rng, {
    persona,
    ref,
    prefix,
    calendar,
    signupDay,
    days,
    pregnancy,
    surgery,
    surgeryKind,
  });
  const medications = planMedications(rng, {
    persona,
    ref,
    prefix,
    locale,
    calendar,
    signupDay,
    days,
    surgery,
    pregnancy,
    bp: bpPlan,
    hypoglycaemia: redFlagKind === 'hypoglycaemia',
  });

  return {
    index,
    ref,
    persona,
    name,
    gender,
    age,
    birthDate,
    timeZone,
    locale,
    calendar,
    units,
    signupDay,
    signupAtMs,
    stopDay,
    ...engagement,
    bp: bpPlan,
    glucose,
    weight,
    heightCm,
    steps,
    wearable,
    labs,
    checkupDays,
    clinicHba1cDays,
    pregnancy,
    surgery,
    redFlag,
    conditions,
    medications,
  };
}

function pickLocale(rng: Rng, timeZone: string): 'zh-CN' | 'en' {
  const englishShare =
    timeZone === 'Asia/Shanghai'
      ? 0.03
      : timeZone === 'Asia/Hong_Kong'
        ? 0.4
        : timeZone === 'America/Los_Angeles'
          ? 0.6
          : 0.7;
  return chance(rng, englishShare) ? 'en' : 'zh-CN';
}

function engagementModel(
  rng: Rng,
  persona: DemoPersona,
): Pick<MemberPlan, 'stayActive' | 'comeBack' | 'weekendAdherence' | 'opensPerActiveDay'> {
  const committed =
    isHypertensive(persona) ||
    isDiabetic(persona) ||
    persona === 'pregnant' ||
    persona === 'post-surgery';
  return {
    stayActive:
      persona === 'inactive'
        ? uniform(rng, 0.6, 0.85)
        : committed
          ? uniform(rng, 0.88, 0.98)
          : uniform(rng, 0.75, 0.95),
    comeBack:
      persona === 'inactive'
        ? uniform(rng, 0.1, 0.3)
        : committed
          ? uniform(rng, 0.25, 0.6)
          : uniform(rng, 0.1, 0.4),
    weekendAdherence: uniform(rng, 0.6, 1.05),
    opensPerActiveDay: uniform(rng, 1.1, 2.2),
  };
}

function planBloodPressure(
  rng: Rng,
  persona: DemoPersona,
  age: number,
  days: number,
): BloodPressurePlan | null {
  const cuffShare: Record<DemoPersona, number> = {
    healthy: 0.6,
    hypertensive: 1,
    'hypertensive-diabetic': 1,
    diabetic: 0.7,
    prediabetic: 0.7,
    dyslipidemic: 0.7,
    pregnant: 1,
    'post-surgery': 0.8,
    inactive: 0.5,
  };
  if (!chance(rng, cuffShare[persona])) return null;
  const source: MeasurementSource = chance(rng, 0.7) ? 'device' : 'self';
  const common = {
    source,
    morningMinute: intBetween(rng, 6 * 60, 7 * 60 + 45),
    eveningMinute: intBetween(rng, 19 * 60 + 30, 21 * 60 + 45),
    weekendDelay: intBetween(rng, 30, 90),
    seasonal: uniform(rng, 2, 4),
    noise: uniform(rng, 4, 6.5),
  };
  if (isHypertensive(persona)) {
    const treated = chance(rng, 0.85);
    const older = age >= 65;
    const sbp = treated
      ? clampedNormal(rng, 146, 6, 137, 160)
      : clampedNormal(rng, 153, 6, 143, 164);
    // Older hypertensives: wider pulse pressure (isolated systolic hypertension is common after 65).
    const dbpMean = (persona === 'hypertensive-diabetic' ? 86 : 91) - (older ? 6 : 0);
    const dbp = clampedNormal(rng, dbpMean, 5, 74, 102);
    const improvement = treated && chance(rng, 0.6) ? uniform(rng, 2, 9) : 0;
    return {
      ...common,
      treated,
      morningP: uniform(rng, 0.85, 0.98),
      eveningP: uniform(rng, 0.4, 0.8),
      repeatP: uniform(rng, 0.2, 0.5),
      sbp,
      dbp,
      trendPerDay: -improvement / Math.max(days, 30),
      morningSurge: uniform(rng, 3, 9),
    };
  }
  let sbp: number;
  let dbp: number;
  if (persona === 'healthy') {
    // About a third of "healthy" members sit in the high-normal band (120–139 / 80–89).
    if (chance(rng, 0.35)) {
      sbp = clampedNormal(rng, 128, 3, 122, 134);
      dbp = clampedNormal(rng, 82, 2.5, 77, 86);
    } else {
      sbp = clampedNormal(rng, 110 + 0.2 * (age - 25), 5, 98, 119);
      dbp = clampedNormal(rng, 71, 4, 60, 78);
    }
  } else if (persona === 'pregnant') {
    sbp = clampedNormal(rng, 108, 5, 96, 118);
    dbp = clampedNormal(rng, 68, 4, 58, 76);
  } else {
    sbp = clampedNormal(rng, 124, 5, 110, 134);
    dbp = clampedNormal(rng, 79, 4, 68, 85);
  }
  const casual = persona === 'healthy' || persona === 'inactive';
  return {
    ...common,
    treated: false,
    morningP: casual ? uniform(rng, 0.3, 0.6) : uniform(rng, 0.45, 0.75),
    eveningP: casual ? uniform(rng, 0.1, 0.3) : uniform(rng, 0.15, 0.4),
    repeatP: uniform(rng, 0.05, 0.25),
    sbp,
    dbp,
    trendPerDay: 0,
    morningSurge: uniform(rng, 0, 4),
  };
}

function planGlucose(
  rng: Rng,
  persona: DemoPersona,
  units: MemberPlan['units'],
  days: number,
): GlucosePlan | null {
  const diabetic = isDiabetic(persona);
  if (!diabetic && !(persona === 'prediabetic' && chance(rng, 0.5))) return null;
  const unit = units === 'us' || chance(rng, 0.08) ? 'mg/dL' : 'mmol/L';
  const source: MeasurementSource = chance(rng, 0.65) ? 'device' : 'self';
  if (diabetic) {
    const improvement = chance(rng, 0.6) ? uniform(rng, 0.3, 1.0) : 0;
    return {
      source,
      unit,
      fastingP: uniform(rng, 0.5, 0.95),
      postMealP: uniform(rng, 0.15, 0.5),
      fastingMean: clampedNormal(rng, 7.6, 1.0, 6.3, 10.5),
      trendPerDay: -improvement / Math.max(days, 30),
      postMealRise: clampedNormal(rng, 3.0, 0.7, 1.6, 4.8),
      sd: uniform(rng, 0.4, 0.7),
    };
  }
  // Prediabetes: impaired fasting glucose 6.1–6.9 mmol/L, checked now and then.
  return {
    source,
    unit,
    fastingP: uniform(rng, 0.08, 0.3),
    postMealP: uniform(rng, 0.05, 0.15),
    fastingMean: clampedNormal(rng, 6.4, 0.2, 6.1, 6.9),
    trendPerDay: 0,
    postMealRise: clampedNormal(rng, 2.0, 0.5, 1.0, 3.0),
    sd: uniform(rng, 0.25, 0.4),
  };
}

function planWeight(rng: Rng, persona: DemoPersona, baseKg: number): MemberPlan['weight'] {
  if (!chance(rng, persona === 'inactive' ? 0.4 : 0.75)) return null;
  const monthlyDrift =
    isDiabetic(persona) || persona === 'prediabetic'
      ? normal(rng, -0.3, 0.4)
      : normal(rng, -0.05, 0.35);
  return {
    source: chance(rng, 0.6) ? 'device' : 'self',
    p: persona === 'pregnant' ? uniform(rng, 0.3, 0.6) : uniform(rng, 0.1, 0.5),
    baseKg,
    driftPerDay: monthlyDrift / 30,
  };
}

function planSteps(rng: Rng, age: number, persona: DemoPersona): MemberPlan['steps'] {
  const mean = age < 45 ? 8000 : age < 65 ? 7000 : 5500;
  const pregnancyFactor = persona === 'pregnant' ? 0.75 : 1;
  return {
    weekdayMean: clampedNormal(rng, mean, 1900, 2500, 14000) * pregnancyFactor,
    // Office workers walk less at weekends; retirees keep their routine.
    weekendFactor: age < 60 ? uniform(rng, 0.7, 1.2) : uniform(rng, 0.9, 1.1),
  };
}

function planWearable(rng: Rng, age: number, persona: DemoPersona): MemberPlan['wearable'] {
  return {
    sleepHours: clampedNormal(rng, 7.3 - 0.015 * (age - 30), 0.45, 5.8, 8.6),
    bedtimeMinute: intBetween(rng, -90, 45), // minutes from midnight: 22:30 … 00:45
    restingHr: clampedNormal(
      rng,
      66 + (persona === 'pregnant' ? 10 : 0) + (isDiabetic(persona) ? 4 : 0),
      6,
      50,
      88,
    ),
  };
}

function planLabs(
  rng: Rng,
  persona: DemoPersona,
  gender: 'male' | 'female',
  age: number,
  bmi: number,
  glucose: GlucosePlan | null,
): LabBaseline {
  const tc =
    persona === 'dyslipidemic'
      ? clampedNormal(rng, 6.4, 0.5, 5.3, 8.0)
      : persona === 'healthy'
        ? clampedNormal(rng, 4.5, 0.5, 3.3, 5.4)
        : clampedNormal(rng, 5.0, 0.6, 3.6, 6.4);
  const hdlMean =
    (gender === 'male' ? 1.15 : 1.4) -
    (isDiabetic(persona) ? 0.1 : 0) -
    (persona === 'dyslipidemic' ? 0.15 : 0);
  const hdl = clampedNormal(rng, hdlMean, 0.2, 0.75, 2.2);
  const tgMedian =
    persona === 'dyslipidemic'
      ? 2.4
      : isDiabetic(persona)
        ? 1.8
        : isHypertensive(persona)
          ? 1.5
          : persona === 'healthy'
            ? 1.0
            : 1.3;
  const tg = clamp(tgMedian * Math.exp(normal(rng, 0, 0.3)), 0.45, 5.5);
  const creatinine =
    (gender === 'male' ? clampedNormal(rng, 80, 11, 56, 112) : clampedNormal(rng, 60, 9, 42, 88)) +
    (age >= 70 ? 8 : 0) +
    (persona === 'hypertensive-diabetic' ? 8 : 0);
  const uricAcid =
    gender === 'male'
      ? clampedNormal(rng, 380, 65, 230, 540)
      : clampedNormal(rng, 290, 55, 170, 440);
  const fpg = glucose
    ? glucose.fastingMean
    : persona === 'prediabetic'
      ? clampedNormal(rng, 6.4, 0.2, 6.1, 6.9)
      : clampedNormal(rng, 5.0, 0.3, 4.3, 5.8);
  // HbA1c from mean glucose by the ADAG relation eAG(mmol/L) = 1.59 × A1c − 2.59.
  const hba1c = isDiabetic(persona)
    ? (fpg + 1.0 + 2.59) / 1.59
    : persona === 'prediabetic'
      ? clampedNormal(rng, 6.0, 0.18, 5.7, 6.4)
      : clampedNormal(rng, 5.3, 0.2, 4.7, 5.6);
  const waistCm = (gender === 'male' ? 2.3 * bmi + 28 : 2.2 * bmi + 26) + normal(rng, 0, 2.5);
  const includeHba1c = isDiabetic(persona) || persona === 'prediabetic' || chance(rng, 0.4);
  return { tc, hdl, tg, creatinine, uricAcid, fpg, hba1c, waistCm, includeHba1c };
}

function planPregnancy(rng: Rng, signupDay: number): NonNullable<MemberPlan['pregnancy']> {
  const weeksAtSignup = intBetween(rng, 8 * 7, 24 * 7);
  const lmpDay = signupDay - weeksAtSignup;
  return {
    lmpDay,
    deliveryDay: lmpDay + 280 + intBetween(rng, -14, 7),
    // 75 g OGTT screening for gestational diabetes at 24–28 weeks.
    ogttDay: lmpDay + intBetween(rng, 24 * 7, 28 * 7),
  };
}

type SurgeryKind = 'appendectomy' | 'colectomy' | 'hip';

function pickSurgery(rng: Rng, age: number): SurgeryKind {
  if (age < 45) return 'appendectomy';
  if (age < 65) {
    return pickWeighted<SurgeryKind>(rng, [
      ['appendectomy', 0.3],
      ['colectomy', 0.3],
      ['hip', 0.4],
    ]);
  }
  return pickWeighted<SurgeryKind>(rng, [
    ['colectomy', 0.4],
    ['hip', 0.6],
  ]);
}

function planRedFlag(
  rng: Rng,
  kind: 'bp-crisis' | 'hypoglycaemia',
  signupDay: number,
  days: number,
  bp: BloodPressurePlan | null,
  glucose: GlucosePlan | null,
): MemberPlan['redFlag'] {
  const last = Math.max(0, days - 1);
  const lo = Math.min(last, Math.max(signupDay + 7, Math.floor(0.55 * days)));
  const hi = Math.max(lo, Math.floor(0.92 * last));
  const day = clamp(intBetween(rng, lo, hi), signupDay, last);
  if (kind === 'bp-crisis' && bp) return { kind, day, minute: bp.morningMinute };
  if (kind === 'hypoglycaemia' && glucose)
    return { kind, day, minute: intBetween(rng, 6 * 60 + 30, 7 * 60 + 30) };
  return null;
}

function planCheckups(rng: Rng, persona: DemoPersona, signupDay: number, days: number): number[] {
  if (persona === 'pregnant') return []; // antenatal care instead (the OGTT)
  if (persona === 'inactive' && !chance(rng, 0.5)) return [];
  if (persona === 'post-surgery' && !chance(rng, 0.6)) return [];
  const halfYearly =
    (isHypertensive(persona) || isDiabetic(persona) || persona === 'dyslipidemic') &&
    chance(rng, 0.4);
  const out: number[] = [];
  // The first checkup is booked through the app soon after sign-up; then once or twice a year.
  for (
    let d = signupDay + intBetween(rng, 3, 30);
    d < days;
    d += halfYearly ? intBetween(rng, 170, 200) : intBetween(rng, 355, 375)
  ) {
    out.push(d);
  }
  return out;
}

/** Diabetes follow-up: HbA1c every three months (中国2型糖尿病防治指南 2020: every 3–6 months). */
function planClinicVisits(
  rng: Rng,
  signupDay: number,
  days: number,
  checkups: readonly number[],
): number[] {
  const out: number[] = [];
  for (let d = signupDay + intBetween(rng, 10, 60); d < days; d += intBetween(rng, 84, 98)) {
    if (!checkups.some((c) => Math.abs(c - d) < 21)) out.push(d);
  }
  return out;
}

interface ClinicalContext {
  persona: DemoPersona;
  ref: string;
  prefix: string;
  calendar: LocalCalendar;
  signupDay: number;
  days: number;
}

function planConditions(
  rng: Rng,
  ctx: ClinicalContext & {
    pregnancy: MemberPlan['pregnancy'];
    surgery: MemberPlan['surgery'];
    surgeryKind: SurgeryKind | null;
  },
): ConditionInput[] {
  const out: ConditionInput[] = [];
  const add = (
    which: DemoCondition,
    onsetDay: number,
    abatementDay: number | null = null,
  ): void => {
    const c = demoConditionCodes[which];
    out.push({
      memberRef: ctx.ref,
      system: SNOMED_SYSTEM,
      code: c.code,
      display: c.display,
      clinicalStatus: abatementDay === null ? 'active' : 'resolved',
      onset: ctx.calendar.localDate(onsetDay),
      abatement: abatementDay === null ? null : ctx.calendar.localDate(abatementDay),
      sourceRecordId: null,
      idempotencyKey: `${ctx.prefix}:condition:${out.length + 1}`,
    });
  };
  const yearsBefore = (lo: number, hi: number): number =>
    ctx.signupDay - Math.round(uniform(rng, lo, hi) * 365);
  const p = ctx.persona;
  if (isHypertensive(p)) add('hypertension', yearsBefore(1, 15));
  if (isDiabetic(p)) add('type2Diabetes', yearsBefore(1, 12));
  if (p === 'prediabetic') add('prediabetes', yearsBefore(0.2, 3));
  if (p === 'dyslipidemic' || (isDiabetic(p) && chance(rng, 0.4)))
    add('hyperlipidemia', yearsBefore(0.5, 8));
  if (ctx.pregnancy) {
    const delivered = ctx.pregnancy.deliveryDay < ctx.days ? ctx.pregnancy.deliveryDay : null;
    add('pregnancy', ctx.pregnancy.lmpDay, delivered);
  }
  if (ctx.surgery && ctx.surgeryKind) {
    if (ctx.surgeryKind === 'appendectomy') add('historyOfAppendectomy', ctx.surgery.day);
    else if (ctx.surgeryKind === 'hip')
      add('osteoarthritisOfHip', ctx.surgery.day - intBetween(rng, 365, 3650));
    else add('colonCancer', ctx.surgery.day - intBetween(rng, 14, 40));
  }
  return out;
}

function planMedications(
  rng: Rng,
  ctx: ClinicalContext & {
    locale: 'zh-CN' | 'en';
    surgery: MemberPlan['surgery'];
    pregnancy: MemberPlan['pregnancy'];
    bp: BloodPressurePlan | null;
    hypoglycaemia: boolean;
  },
): MedicationInput[] {
  /** startDay: prescribed; endDay: the plan ends (course finished, baby born), null = ongoing. */
  const regimens: { regimen: DemoRegimen; startDay: number; endDay: number | null }[] = [];
  const ongoing = (regimen: Omit<DemoRegimen, 'count'>): void => {
    regimens.push({
      regimen: { ...regimen, count: null },
      startDay: ctx.signupDay - intBetween(rng, 14, 720),
      endDay: null,
    });
  };
  const p = ctx.persona;
  // Treated hypertensives: CCB or ARB first line, ARB when diabetes is present.
  if (ctx.bp?.treated) {
    if (p === 'hypertensive-diabetic') ongoing({ drug: 'losartan', hours: [8], minute: 0 });
    else {
      const choice = rng.next();
      if (choice < 0.45) ongoing({ drug: 'amlodipine', hours: [8], minute: 0 });
      else {
        ongoing({ drug: 'losartan', hours: [8], minute: 0 });
        if (choice > 0.8) ongoing({ drug: 'hydrochlorothiazide', hours: [8], minute: 0 });
      }
    }
  }
  if (isDiabetic(p)) {
    ongoing({ drug: 'metformin', hours: [8, 18], minute: 0 });
    // A sulfonylurea is the usual culprit of hypoglycaemia; the scripted episode always has one.
    if (ctx.hypoglycaemia || chance(rng, 0.3)) {
      ongoing({ drug: 'gliclazide', hours: [7], minute: 30 });
    }
  }
  if ((isDiabetic(p) && chance(rng, 0.5)) || (p === 'dyslipidemic' && chance(rng, 0.6))) {
    ongoing({ drug: 'atorvastatin', hours: [21], minute: 0 });
  }
  if (ctx.pregnancy) {
    // Folic acid from before conception (孕前3个月起) and, as many obstetricians advise, to delivery.
    regimens.push({
      regimen: { drug: 'folicAcid', hours: [8], minute: 0, count: null },
      startDay: ctx.pregnancy.lmpDay - intBetween(rng, 0, 90),
      endDay: ctx.pregnancy.deliveryDay,
    });
  }
  if (ctx.surgery) {
    const regimen: DemoRegimen = {
      drug: 'acetaminophen',
      hours: [8, 14, 20],
      minute: 0,
      count: 21,
    };
    const startDay = ctx.surgery.day + 1;
    regimens.push({ regimen, startDay, endDay: startDay + 7 });
  }
  return regimens.map(({ regimen, startDay, endDay }, i) =>
    regimenMedication(regimen, {
      memberRef: ctx.ref,
      locale: ctx.locale,
      authoredOn: ctx.calendar.localDate(startDay),
      status: endDay !== null && endDay < ctx.days ? 'completed' : 'active',
      idempotencyKey: `${ctx.prefix}:medication:${i + 1}`,
    }),
  );
}
