import type { ValidationIssue } from '../../model/types.ts';
import { indicatorForName } from '../../clinical/indicators.ts';
import {
  parseReferenceRange,
  parseResultValue,
  type CheckupItem,
  type CheckupReport,
} from './checkupReport.ts';

/** Column names checkup centres use in their exports, by the field they fill. */
export const checkupColumns = {
  name: ['项目名称', '检查项目', '检验项目', '项目', '指标', '名称', 'item', 'name', 'test'],
  value: ['结果', '检查结果', '检验结果', '测定值', '结果值', 'result', 'value'],
  unit: ['单位', 'unit', 'units'],
  reference: [
    '参考范围',
    '参考值',
    '参考区间',
    '正常值',
    '参考值范围',
    'reference',
    'reference range',
    'range',
    'ref',
  ],
  flag: ['提示', '标志', '异常提示', '结果提示', 'flag'],
  date: ['检查日期', '报告日期', '日期', 'date'],
  code: ['loinc', 'code', '编码'],
} as const;

type Field = keyof typeof checkupColumns;

const norm = (s: string): string => s.normalize('NFKC').trim().toLowerCase();

function fieldOf(header: string): Field | null {
  const h = norm(header);
  for (const [field, names] of Object.entries(checkupColumns) as [Field, readonly string[]][]) {
    if (names.some((n) => norm(n) === h)) return field;
  }
  return null;
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF); the delimiter is a comma, tab or semicolon, whichever the header uses. */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', '\t', ';', '，'].reduce(
    (best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best),
    ',',
  );
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

function flagOf(text: string | undefined): CheckupItem['flag'] | undefined {
  if (!text) return undefined;
  const t = norm(text);
  if (/↑|^h$|高|high/.test(t)) return 'high';
  if (/↓|^l$|低|low/.test(t)) return 'low';
  if (/^a$|异常|abnormal/.test(t)) return 'abnormal';
  return undefined;
}

const bpPair = /^(\d{2,3})\s*\/\s*(\d{2,3})$/;

/** One row (field → text) into items (a "血压 135/85" row gives two), or the issues that reject it. */
function rowToItems(
  path: string,
  row: Partial<Record<Field, string>>,
  issues: ValidationIssue[],
): CheckupItem[] {
  const name = row.name?.trim() ?? '';
  const pair = bpPair.exec(row.value?.trim() ?? '');
  if (pair && /血压|^bp$|blood pressure/i.test(name)) {
    const base = { unit: row.unit?.trim() || 'mmHg', reference: null };
    return [
      {
        ...base,
        path: `${path}.value[0]`,
        name: '收缩压',
        indicatorId: 'sbp',
        value: Number(pair[1]),
        valueText: pair[1] as string,
      },
      {
        ...base,
        path: `${path}.value[1]`,
        name: '舒张压',
        indicatorId: 'dbp',
        value: Number(pair[2]),
        valueText: pair[2] as string,
      },
    ];
  }
  const item = rowToItem(path, row, issues);
  return item ? [item] : [];
}

function rowToItem(
  path: string,
  row: Partial<Record<Field, string>>,
  issues: ValidationIssue[],
): CheckupItem | null {
  const name = row.name?.trim() ?? '';
  if (name === '') {
    issues.push({ path: `${path}.name`, message: 'item name is empty' });
    return null;
  }
  const valueText = row.value?.trim() ?? '';
  const parsed = parseResultValue(valueText);
  if (typeof parsed === 'string') {
    issues.push({ path: `${path}.value`, message: `${name}: ${parsed}` });
    return null;
  }
  let reference = null;
  if (row.reference !== undefined) {
    const ref = parseReferenceRange(row.reference);
    if (typeof ref === 'string') {
      issues.push({ path: `${path}.reference`, message: `${name}: ${ref}` });
      return null;
    }
    reference = ref;
  }
  const indicator = indicatorForName(name);
  const item: CheckupItem = {
    path,
    name,
    indicatorId: indicator?.id ?? null,
    value: parsed.value,
    valueText,
    unit: row.unit?.trim() ? (row.unit.trim() as string) : null,
    reference,
  };
  const flag = flagOf(row.flag) ?? parsed.flag;
  if (flag) item.flag = flag;
  if (row.code?.trim()) item.code = row.code.trim();
  return item;
}

function firstDate(dates: (string | undefined)[]): string | null {
  for (const d of dates) {
    const m = d && /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(d);
    if (m)
      return `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  }
  return null;
}

/** A checkup centre's CSV export: a header row naming the columns, then one item per row. */
export function parseCheckupCsv(text: string): CheckupReport {
  const rows = parseCsv(text);
  const issues: ValidationIssue[] = [];
  const header = rows[0];
  if (!header)
    return {
      date: null,
      format: 'csv',
      items: [],
      issues: [{ path: '', message: 'the file is empty' }],
    };
  const fields = header.map(fieldOf);
  for (const required of ['name', 'value'] as const) {
    if (!fields.includes(required)) {
      issues.push({
        path: 'header',
        message: `no '${checkupColumns[required][0]}' column (expected one of ${checkupColumns[required].join(', ')})`,
      });
    }
  }
  if (issues.length > 0) return { date: null, format: 'csv', items: [], issues };
  const items: CheckupItem[] = [];
  const dates: (string | undefined)[] = [];
  rows.slice(1).forEach((cells, i) => {
    const row: Partial<Record<Field, string>> = {};
    fields.forEach((f, k) => {
      if (f && row[f] === undefined) row[f] = cells[k] ?? '';
    });
    dates.push(row.date);
    items.push(...rowToItems(`rows[${i + 1}]`, row, issues));
  });
  return { date: firstDate(dates), format: 'csv', items, issues };
}

/**
 * The JSON shape of the same export: an array of rows, or `{ date?, items: [...] }`, each row an
 * object keyed by the column names above (Chinese or English).
 */
export function parseCheckupJson(value: unknown): CheckupReport {
  const issues: ValidationIssue[] = [];
  let rows: unknown;
  let date: string | null = null;
  if (Array.isArray(value)) rows = value;
  else if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    rows = v.items ?? v.rows ?? v.results ?? v['项目'];
    const d = v.date ?? v['检查日期'] ?? v['报告日期'];
    if (typeof d === 'string') date = firstDate([d]);
  }
  if (!Array.isArray(rows)) {
    return {
      date,
      format: 'json',
      items: [],
      issues: [
        { path: '', message: 'expected an array of items or an object with an `items` array' },
      ],
    };
  }
  const items: CheckupItem[] = [];
  const dates: (string | undefined)[] = [];
  rows.forEach((raw, i) => {
    const path = `items[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      issues.push({ path, message: 'item must be an object' });
      return;
    }
    const row: Partial<Record<Field, string>> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const f = fieldOf(k);
      if (f && row[f] === undefined && v !== null && v !== undefined)
        row[f] = typeof v === 'number' ? String(v) : String(v);
    }
    dates.push(row.date);
    items.push(...rowToItems(path, row, issues));
  });
  return { date: date ?? firstDate(dates), format: 'json', items, issues };
}
