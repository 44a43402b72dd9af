import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from './testing/testApp.ts';
import { bundle, patient } from './testing/fixtures.ts';

// A checkup centre's export as it arrives: Chinese item names, values, units, the centre's ranges.
const csv2025 = `项目名称,结果,单位,参考范围
空腹血糖,6.4,mmol/L,3.9-6.1
总胆固醇,5.6,mmol/L,<5.2
甘油三酯,1.5,mmol/L,<1.7
收缩压,128,mmHg,90-139
`;
const csv2026 = `项目名称,结果,单位,参考范围
空腹血糖,6.8,mmol/L,3.9-6.1
总胆固醇,6.4,mmol/L,<5.2
甘油三酯,1.6,mmol/L,<1.7
收缩压,134,mmHg,90-139
`;

describe('checkup reports over HTTP', () => {
  let t: TestApp;
  let admin: string;
  let memberId: string;
  beforeAll(async () => {
    t = await openTestApp();
    admin = (await t.user('admin', ['admin'])).token;
    await t.call(
      admin,
      'POST',
      '/fhir',
      bundle('transaction', [patient('p-r', '陈静', 'female', '1970-02-01')]),
    );
    memberId = (await t.db.query<{ id: string }>(`SELECT id::text AS id FROM members`)).rows[0]!.id;
  });
  afterAll(async () => t?.close());

  it('interprets a report: abnormal items, a summary that never diagnoses, follow-ups, results added to the record', async () => {
    const r = await t.call(admin, 'POST', `/members/${memberId}/reports`, {
      clientId: 'rep-2025',
      report: csv2025,
      date: '2025-03-01',
    });
    expect(r.statusCode).toBe(200);
    const b = r.json() as {
      interpretation: {
        abnormal: { name: string; status: string }[];
        summary: { 'zh-CN': string; en: string };
        followUps: { id: string }[];
      };
      ingest: { accepted: { observations: number } };
    };
    expect(b.interpretation.abnormal.map((i) => [i.name, i.status])).toEqual(
      expect.arrayContaining([
        ['空腹血糖', 'high'],
        ['总胆固醇', 'high'],
      ]),
    );
    expect(b.interpretation.abnormal.map((i) => i.name)).not.toContain('甘油三酯');
    expect(b.interpretation.summary.en).not.toMatch(/you have|diagnos(is|ed) with/i);
    expect(b.interpretation.followUps.length).toBeGreaterThan(0);
    expect(b.ingest.accepted.observations).toBe(4);
    const obs = await t.call(admin, 'GET', `/members/${memberId}/observations?indicator=fpg`);
    expect(
      (obs.json() as { observations: { value: number; sourceKind: string }[] }).observations[0],
    ).toMatchObject({ value: 6.4, sourceKind: 'checkup' });
  });

  it('compares with the previous report and is idempotent per clientId', async () => {
    const r = await t.call(admin, 'POST', `/members/${memberId}/reports`, {
      clientId: 'rep-2026',
      report: csv2026,
      date: '2026-03-01',
    });
    const b = r.json() as {
      interpretation: { items: { name: string; change?: { previous: number; delta: number } }[] };
    };
    const fpg = b.interpretation.items.find((i) => i.name === '空腹血糖');
    expect(fpg?.change?.previous).toBe(6.4);
    expect(fpg?.change?.delta).toBeCloseTo(0.4, 5);
    const again = await t.call(admin, 'POST', `/members/${memberId}/reports`, {
      clientId: 'rep-2026',
      report: csv2026,
      date: '2026-03-01',
    });
    expect((again.json() as { duplicate: boolean }).duplicate).toBe(true);
    const list = (await t.call(admin, 'GET', `/members/${memberId}/reports`)).json() as {
      reports: unknown[];
    };
    expect(list.reports).toHaveLength(2);
  });

  it('refuses a report with no readable rows, naming why', async () => {
    const r = await t.call(admin, 'POST', `/members/${memberId}/reports`, {
      clientId: 'bad',
      report: '项目名称,结果\n',
    });
    expect(r.statusCode).toBe(400);
    expect((r.json() as { errors: { path: string }[] }).errors[0]!.path).toMatch(/^body\.report/);
  });
});
