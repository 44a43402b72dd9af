import type { LocalizedText, Locale } from './programDefinition.ts';

/** A `{{ name }}` in a text: the name and where it starts. */
export interface Placeholder {
  name: string;
  offset: number;
}

const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;
const validName = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

export function placeholdersOf(text: string): Placeholder[] {
  return [...text.matchAll(placeholderPattern)].map((m) => ({ name: m[1] ?? '', offset: m.index }));
}

export function isValidPlaceholderName(name: string): boolean {
  return validName.test(name);
}

export type TemplateValue = string | number | boolean | null | undefined;

/** What a value looks like inside a sentence; an absent value renders as an em dash. */
export function formatTemplateValue(value: TemplateValue, locale: Locale): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 10) / 10);
  }
  if (typeof value === 'boolean') {
    if (locale === 'zh-CN') return value ? '是' : '否';
    return value ? 'yes' : 'no';
  }
  return value;
}

export function renderTemplate(
  text: string,
  locale: Locale,
  lookup: (name: string) => TemplateValue,
): string {
  return text.replace(placeholderPattern, (_m, name: string) =>
    formatTemplateValue(lookup(name), locale),
  );
}

export function renderLocalized(
  text: LocalizedText,
  lookup: (name: string, locale: Locale) => TemplateValue,
): LocalizedText {
  return {
    'zh-CN': renderTemplate(text['zh-CN'], 'zh-CN', (n) => lookup(n, 'zh-CN')),
    en: renderTemplate(text.en, 'en', (n) => lookup(n, 'en')),
  };
}
