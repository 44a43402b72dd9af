import type { ValidationIssue } from '../../model/types.ts';

/** A reference interval as the centre printed it, parsed. */
export interface ParsedReference {
  low?: number;
  high?: number;
  /** `<5.2` excludes the bound, `≤5.2` and `3.9-6.1` include it. */
  lowInclusive?: boolean;
  highInclusive?: boolean;
  /** Qualitative reference such as 阴性 (negative). */
  qualitative?: string;
  text: string;
}

/** One line of a checkup report. */
export interface CheckupItem {
  /** Where the item came from, for messages: `rows[3]`, `entry[2]`. */
  path: string;
  name: string;
  /** Catalogue indicator, when the name or LOINC code is known. */
  indicatorId: string | null;
  /** LOINC code when the source gave one. */
  code?: string;
  /** Numeric result in the unit below; null for qualitative results. */
  value: number | null;
  /** The result text as printed (keeps 阴性, "<0.1", arrows). */
  valueText: string;
  unit: string | null;
  reference: ParsedReference | null;
  /** The centre's own abnormal flag (H/L/↑/↓/A), if printed. */
  flag?: 'high' | 'low' | 'abnormal';
  /** Observation id (FHIR) so a profile can cite it. */
  sourceId?: string;
}

/** A parsed checkup report: items plus the per-row issues of rows that could not be read. */
export interface CheckupReport {
  /** Report date (ISO 8601) when known. */
  date: string | null;
  format: 'fhir' | 'csv' | 'json';
  items: CheckupItem[];
  issues: ValidationIssue[];
}

const numberRe = '([-+]?\\d+(?:\\.\\d+)?)';
const rangeRe = new RegExp(`^${numberRe}\\s*(?:--|-|~|～|—|–|至|to)\\s*${numberRe}$`, 'i');
const upperRe = new RegExp(`^(<=|≤|<|＜|小于等于|小于)\\s*${numberRe}$`);
const lowerRe = new RegExp(`^(>=|≥|>|＞|大于等于|大于)\\s*${numberRe}$`);

/** Parses "3.9-6.1", "3.9～6.1", "<5.2", "≤5.2", ">1.0", "≥1.04", "阴性"; null when empty, an issue message when unreadable. */
export function parseReferenceRange(text: string): ParsedReference | null | string {
  const t = text.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (t === '' || t === '-' || t === '/') return null;
  let m = rangeRe.exec(t);
  if (m) {
    const low = Number(m[1]);
    const high = Number(m[2]);
    if (low > high) return `reference range '${text}' has its lower bound above its upper bound`;
    return { low, high, lowInclusive: true, highInclusive: true, text };
  }
  m = upperRe.exec(t);
  if (m)
    return {
      high: Number(m[2]),
      highInclusive: m[1] === '<=' || m[1] === '≤' || m[1] === '小于等于',
      text,
    };
  m = lowerRe.exec(t);
  if (m)
    return {
      low: Number(m[2]),
      lowInclusive: m[1] === '>=' || m[1] === '≥' || m[1] === '大于等于',
      text,
    };
  if (/^[\p{Script=Han}()（）+\-\s]+$/u.test(t)) return { qualitative: t, text };
  return `reference range '${text}' is not a range such as 3.9-6.1, <5.2 or >1.0`;
}

export interface ParsedResult {
  value: number | null;
  flag?: 'high' | 'low';
  /** The value was printed as a bound, e.g. "<0.1". */
  censored?: boolean;
}

/** Parses "5.6", "5.6↑", "↑ 5.6", "6.2 H", "<0.1", "阴性"; an issue message when it is neither a number nor a word. */
export function parseResultValue(text: string): ParsedResult | string {
  let t = text.normalize('NFKC').trim();
  if (t === '') return 'result is empty';
  let flag: 'high' | 'low' | undefined;
  if (/[↑]|\bH\b|偏高/.test(t)) flag = 'high';
  if (/[↓]|\bL\b|偏低/.test(t)) flag = 'low';
  t = t.replace(/[↑↓]|\b[HL]\b|偏高|偏低/g, '').trim();
  const censored = /^[<>≤≥＜＞]/.test(t);
  t = t.replace(/^(<=|>=|[<>≤≥＜＞])\s*/, '');
  if (/^[-+]?\d+(\.\d+)?$/.test(t)) {
    const out: ParsedResult = { value: Number(t) };
    if (flag) out.flag = flag;
    if (censored) out.censored = true;
    return out;
  }
  if (/^[\p{Script=Han}()（）+\-\s]+$/u.test(t))
    return flag ? { value: null, flag } : { value: null };
  return `result '${text}' is not a number`;
}

/** Where a value sits against a reference: above, below or inside. */
export function compareToReference(
  v: number,
  ref: ParsedReference,
): 'high' | 'low' | 'normal' | null {
  if (ref.low === undefined && ref.high === undefined) return null;
  if (ref.high !== undefined && (ref.highInclusive === false ? v >= ref.high : v > ref.high))
    return 'high';
  if (ref.low !== undefined && (ref.lowInclusive === false ? v <= ref.low : v < ref.low))
    return 'low';
  return 'normal';
}
