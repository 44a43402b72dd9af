import { describe, expect, it } from 'vitest';
import { interpretCheckupReport, parseCheckupReport } from './interpretCheckupReport.ts';
import { parseCsv, parseCheckupCsv, parseCheckupJson } from './checkupTable.ts';
import { parseReferenceRange, parseResultValue } from './checkupReport.ts';
import { parseFhirReport } from './fhirReport.ts';

// A typical centre export (columns 项目名称, 结果, 单位, 参考范围, 提示), 2024 checkup.
const csv2024 = `项目名称,结果,单位,参考范围,提示,检查日期
空腹血糖,6.5,mmol/L,3.9-6.1,↑,2024-05-10
总胆固醇(TC),5.8,mmol/L,<5.2,,2024-05-10
甘油三酯,1.2,mmol/L,<1.7,,2024-05-10
高密度脂蛋白胆固醇,0.9,mmol/L,>1.0,↓,2024-05-10
尿酸,455,µmol/L,208-428,↑,2024-05-10
谷丙转氨酶,30,U/L,9-50,,2024-05-10
血压,145/92,mmHg,,,2024-05-10
乙肝表面抗原,阴性,,阴性,,2024-05-10
`;

const csv2023 = `项目名称,结果,单位,参考范围
空腹血糖,5.9,mmol/L,3.9-6.1
总胆固醇,6.4,mmol/L,<5.2
尿酸,400,µmol/L,208-428
`;

describe('reference ranges and results as centres print them', () => {
  it.each([
    ['3.9-6.1', { low: 3.9, high: 6.1 }],
    ['3.9～6.1', { low: 3.9, high: 6.1 }],
    ['3.9--6.1', { low: 3.9, high: 6.1 }],
    ['0 - 40', { low: 0, high: 40 }],
    ['<5.2', { high: 5.2, highInclusive: false }],
    ['≤5.2', { high: 5.2, highInclusive: true }],
    ['>1.0', { low: 1.0, lowInclusive: false }],
    ['≥1.04', { low: 1.04, lowInclusive: true }],
    ['阴性', { qualitative: '阴性' }],
  ])('%s', (text, expected) => expect(parseReferenceRange(text)).toMatchObject(expected));

  it('reports unreadable ranges and reversed bounds', () => {
    expect(parseReferenceRange('abc')).toMatch(/not a range/);
    expect(parseReferenceRange('6.1-3.9')).toMatch(/lower bound above/);
    expect(parseReferenceRange('')).toBeNull();
  });

  it('results with arrows, flags and bounds', () => {
    expect(parseResultValue('6.5↑')).toEqual({ value: 6.5, flag: 'high' });
    expect(parseResultValue('↓ 0.9')).toEqual({ value: 0.9, flag: 'low' });
    expect(parseResultValue('<0.1')).toEqual({ value: 0.1, censored: true });
    expect(parseResultValue('阴性')).toEqual({ value: null });
    expect(parseResultValue('12..3')).toMatch(/not a number/);
  });

  it('CSV with quotes, CRLF, BOM and tab delimiters', () => {
    expect(parseCsv('\uFEFFa,"b, c","d ""e"""\r\n1,2,3\r\n')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['1', '2', '3'],
    ]);
    expect(parseCsv('a\tb\n1\t2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('checkup table parsing', () => {
  it('maps Chinese item names to indicators, splits a 血压 row, keeps the date', () => {
    const r = parseCheckupCsv(csv2024);
    expect(r.issues).toEqual([]);
    expect(r.date).toBe('2024-05-10');
    expect(r.items.map((i) => i.indicatorId)).toEqual([
      'fpg',
      'tc',
      'tg',
      'hdl',
      'uric_acid',
      'alt',
      'sbp',
      'dbp',
      null,
    ]);
    expect(r.items.find((i) => i.indicatorId === 'sbp')?.value).toBe(145);
  });

  it('bad rows give clear per-row issues and the rest is kept', () => {
    const r = parseCheckupCsv(`项目名称,结果,单位,参考值
空腹血糖,abc,mmol/L,3.9-6.1
,5.0,mmol/L,3.9-6.1
总胆固醇,5.0,mmol/L,five
甘油三酯,1.0,mmol/L,<1.7
`);
    expect(r.issues).toEqual([
      { path: 'rows[1].value', message: "空腹血糖: result 'abc' is not a number" },
      { path: 'rows[2].name', message: 'item name is empty' },
      {
        path: 'rows[3].reference',
        message: "总胆固醇: reference range 'five' is not a range such as 3.9-6.1, <5.2 or >1.0",
      },
    ]);
    expect(r.items.map((i) => i.name)).toEqual(['甘油三酯']);
  });

  it('a header without a result column is refused, naming what was expected', () => {
    const r = parseCheckupCsv('项目名称,单位\n空腹血糖,mmol/L\n');
    expect(r.items).toEqual([]);
    expect(r.issues[0]?.message).toMatch(/no '结果' column/);
  });

  it('JSON tables: an array or { date, items } with Chinese or English keys', () => {
    const r = parseCheckupJson({
      date: '2024年5月10日',
      items: [
        { 项目名称: '尿酸', 结果: 455, 单位: 'µmol/L', 参考范围: '208-428' },
        { name: 'LDL-C', value: '3.6', unit: 'mmol/L', reference: '<3.4' },
        'x',
      ],
    });
    expect(r.date).toBe('2024-05-10');
    expect(r.items.map((i) => [i.indicatorId, i.value])).toEqual([
      ['uric_acid', 455],
      ['ldl', 3.6],
    ]);
    expect(r.issues).toEqual([{ path: 'items[2]', message: 'item must be an object' }]);
    expect(parseCheckupReport('{bad json').issues[0]?.message).toMatch(/not valid JSON/);
  });
});

describe('interpretCheckupReport', () => {
  it('abnormal items with direction and grade, guideline classes, bilingual summary without diagnosis', () => {
    const r = interpretCheckupReport(csv2024, undefined, { sex: 'male', ageYears: 50 });
    const byName = Object.fromEntries(r.items.map((i) => [i.name, i]));
    expect(byName['空腹血糖']).toMatchObject({
      status: 'high',
      grade: 'mild',
      guideline: { ruleId: 'cn-dm-2020/glucose-status', cls: 'ifg' },
    });
    expect(byName['总胆固醇(TC)']).toMatchObject({
      status: 'high',
      grade: 'mild',
      guideline: { cls: 'borderline-high' },
    });
    expect(byName['高密度脂蛋白胆固醇']).toMatchObject({
      status: 'low',
      grade: 'moderate',
      guideline: { cls: 'low' },
    });
    expect(byName['尿酸']).toMatchObject({
      status: 'high',
      guideline: { ruleId: 'cn-hua-2019/hyperuricemia' },
    });
    expect(byName['谷丙转氨酶']?.status).toBe('normal');
    expect(byName['收缩压']).toMatchObject({
      status: 'high',
      referenceSource: 'catalogue',
      guideline: { cls: 'grade-1' },
    });
    expect(byName['乙肝表面抗原']?.status).toBe('normal');
    expect(r.abnormal.map((i) => i.name)).toEqual([
      '空腹血糖',
      '总胆固醇(TC)',
      '高密度脂蛋白胆固醇',
      '尿酸',
      '收缩压',
      '舒张压',
    ]);
    expect(r.followUps.map((f) => f.id)).toEqual([
      'followup.recheck-fpg-ogtt',
      'followup.lipid-recheck',
      'followup.uric-acid-recheck',
      'followup.home-bp-monitoring',
    ]);
    expect(r.summary['zh-CN']).toContain('空腹血糖 6.5 mmol/L（轻度偏高，参考 3.9-6.1）');
    expect(r.summary.en).toContain('not a diagnosis');
    for (const text of [r.summary['zh-CN'], r.summary.en])
      expect(text).not.toMatch(/您患有|确诊为|you have (diabetes|hypertension)/i);
  });

  it('change since the previous report, judged against the reference range', () => {
    const r = interpretCheckupReport(csv2024, csv2023);
    const fpg = r.items.find((i) => i.indicatorId === 'fpg');
    expect(fpg?.change).toMatchObject({
      previous: 5.9,
      delta: 0.6,
      direction: 'up',
      assessment: 'worse',
      previousDate: null,
    });
    const tc = r.items.find((i) => i.indicatorId === 'tc');
    expect(tc?.change).toMatchObject({ previous: 6.4, direction: 'down', assessment: 'better' });
    expect(r.summary.en).toMatch(/Compared with the previous report/);
  });

  it('critical values raise an urgent follow-up first', () => {
    const r = interpretCheckupReport('项目名称,结果,单位,参考范围\n空腹血糖,18.2,mmol/L,3.9-6.1\n');
    expect(r.followUps[0]).toMatchObject({ id: 'followup.urgent-review', urgent: true });
    expect(r.items[0]?.grade).toBe('marked');
  });

  it('a normal report says so', () => {
    const r = interpretCheckupReport('项目名称,结果,单位,参考范围\n甘油三酯,1.0,mmol/L,<1.7\n');
    expect(r.abnormal).toEqual([]);
    expect(r.followUps).toEqual([]);
    expect(r.summary['zh-CN']).toMatch(/均在参考范围内/);
  });

  it('units are converted before guideline thresholds (glucose 126 mg/dL = 7.0 mmol/L)', () => {
    const r = interpretCheckupReport([
      { name: 'FPG', value: 126, unit: 'mg/dL', reference: '70-99' },
    ]);
    expect(r.items[0]?.canonicalValue).toBeCloseTo(6.99, 2);
    expect(r.items[0]?.status).toBe('high');
  });
});

describe('FHIR DiagnosticReport', () => {
  const obs = (
    id: string,
    loinc: string,
    value: number,
    unit: string,
    low?: number,
    high?: number,
    interp?: string,
  ) => ({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    ...(low !== undefined || high !== undefined
      ? {
          referenceRange: [
            {
              ...(low !== undefined ? { low: { value: low } } : {}),
              ...(high !== undefined ? { high: { value: high } } : {}),
            },
          ],
        }
      : {}),
    ...(interp ? { interpretation: [{ coding: [{ code: interp }] }] } : {}),
  });

  it('contained Observations', () => {
    const report = {
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { text: 'Lipid panel' },
      effectiveDateTime: '2024-05-10T08:00:00+08:00',
      contained: [
        obs('tc', '2093-3', 6.3, 'mmol/L', undefined, 5.2),
        obs('hdl', '2085-9', 1.2, 'mmol/L', 1.0),
      ],
      result: [{ reference: '#tc' }, { reference: '#hdl' }, { reference: '#missing' }],
    };
    const r = interpretCheckupReport(report);
    expect(r.date).toBe('2024-05-10');
    expect(r.items.map((i) => [i.indicatorId, i.status, i.sourceId])).toEqual([
      ['tc', 'high', 'tc'],
      ['hdl', 'normal', 'hdl'],
    ]);
    expect(r.issues).toEqual([
      {
        path: 'result[2]',
        message: "reference '#missing' does not resolve to an Observation in the report or bundle",
      },
    ]);
  });

  it('a Bundle with the report and Observations as entries (mg/dL converted)', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:r1',
          resource: {
            resourceType: 'DiagnosticReport',
            status: 'final',
            code: { text: 'Chem' },
            issued: '2024-06-01T00:00:00Z',
            result: [{ reference: 'urn:uuid:o1' }, { reference: 'Observation/o2' }],
          },
        },
        { fullUrl: 'urn:uuid:o1', resource: obs('o1', '2339-0', 200, 'mg/dL', 70, 99, 'H') },
        { fullUrl: 'urn:uuid:o2', resource: obs('o2', '38483-4', 1.0, 'mg/dL', 0.7, 1.3) },
      ],
    };
    const parsed = parseFhirReport(bundle);
    expect(parsed.items.map((i) => i.path)).toEqual(['entry[1].resource', 'entry[2].resource']);
    const r = interpretCheckupReport(bundle);
    expect(r.items[0]).toMatchObject({
      indicatorId: 'glucose',
      status: 'high',
      guideline: { cls: 'diabetes-range' },
    });
    expect(r.items[1]?.canonicalValue).toBeCloseTo(88.4, 1);
    expect(parseFhirReport({ resourceType: 'Patient' }).issues[0]?.path).toBe('resourceType');
  });
});
