import type { Lang } from './i18n/messages.ts';

// UCUM codes as stored → units as Chinese clinics write them.
const unitDisplay: Record<string, { 'zh-CN': string; en: string }> = {
  'mm[Hg]': { 'zh-CN': 'mmHg', en: 'mmHg' },
  'umol/L': { 'zh-CN': 'µmol/L', en: 'µmol/L' },
  'mmol/L': { 'zh-CN': 'mmol/L', en: 'mmol/L' },
  '/min': { 'zh-CN': '次/分', en: 'bpm' },
  '{steps}': { 'zh-CN': '步', en: 'steps' },
  '{score}': { 'zh-CN': '分', en: 'points' },
  'kg/m2': { 'zh-CN': 'kg/m²', en: 'kg/m²' },
  'mL/min/{1.73_m2}': { 'zh-CN': 'mL/min/1.73m²', en: 'mL/min/1.73m²' },
  h: { 'zh-CN': '小时', en: 'h' },
  '%': { 'zh-CN': '%', en: '%' },
};

export function displayUnit(unit: string | null | undefined, lang: Lang): string {
  if (!unit) return '';
  // Unknown annotations ({...}) carry no unit a reader needs.
  return unitDisplay[unit]?.[lang] ?? unit.replace(/\{[^}]*\}/g, '').trim();
}

export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(value);
}

export function formatQuantity(
  value: number | string,
  unit: string | null | undefined,
  lang: Lang,
) {
  const v = typeof value === 'number' ? formatNumber(value, lang) : value;
  const u = displayUnit(unit, lang);
  return u ? `${v} ${u}` : v;
}

export function formatDateTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

export function formatDate(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(iso));
}

/** Short axis label: month and day. */
export function formatMonthDay(ms: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { month: 'numeric', day: 'numeric' }).format(new Date(ms));
}

/** Whole years between a birth date and now (the page's own clock is fine for display). */
export function ageInYears(birthDate: string, now: Date = new Date()): number {
  const b = new Date(`${birthDate.slice(0, 10)}T00:00:00Z`);
  let years = now.getUTCFullYear() - b.getUTCFullYear();
  const beforeBirthday =
    now.getUTCMonth() < b.getUTCMonth() ||
    (now.getUTCMonth() === b.getUTCMonth() && now.getUTCDate() < b.getUTCDate());
  if (beforeBirthday) years -= 1;
  return years;
}
