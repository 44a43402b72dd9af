import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from './testing/testApp.ts';
import { bpPanel, bundle, glucoseMgDl, patient } from './testing/fixtures.ts';

describe('FHIR API and ingest validation', () => {
  let t: TestApp;
  let admin: string;
  const count = async (table: string) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  beforeAll(async () => {
    t = await openTestApp();
    admin = (await t.user('admin', ['admin'])).token;
  });
  afterAll(async () => t?.close());

  const good = () =>
    bundle('transaction', [
      patient('p1', '张伟'),
      bpPanel('o1', 'p1', '2026-03-01T08:00:00+08:00', 132, 84),
      bpPanel('o2', 'p1', '2026-03-02T08:00:00+08:00', 136, 86),
      // 99 mg/dL glucose = 99 × 10 / 180.16 = 5.495 mmol/L
      glucoseMgDl('g1', 'p1', '2026-03-02T07:00:00+08:00', 99),
    ]);

  it('rejects a whole transaction when one entry is impossible, naming the entry, indicator, value and range', async () => {
    const b = good();
    b.entry.push(bpPanel('bad', 'p1', '2026-03-03T08:00:00+08:00', 900, 80));
    const r = await t.call(admin, 'POST', '/fhir', b, { 'content-type': 'application/fhir+json' });
    expect(r.statusCode).toBe(400);
    const oo = r.json() as {
      resourceType: string;
      issue: { expression?: string[]; diagnostics?: string }[];
    };
    expect(oo.resourceType).toBe('OperationOutcome');
    const issue = oo.issue.find((i) => i.diagnostics?.includes('900'));
    expect(issue?.expression?.[0]).toMatch(/^entry\[4\]/);
    expect(issue?.diagnostics).toMatch(
      /Systolic blood pressure 900 .*outside the plausible range 40–300/,
    );
    expect(await count('observations')).toBe(0);
    expect(await count('members')).toBe(0);
  });

  it('stores a batch per entry: good entries kept, the bad one answered 400', async () => {
    const b = { ...good(), type: 'batch' };
    b.entry.push(bpPanel('bad', 'p1', '2026-03-03T08:00:00+08:00', 900, 80));
    const r = await t.call(admin, 'POST', '/fhir', b, { 'content-type': 'application/fhir+json' });
    expect(r.statusCode).toBe(200);
    const res = r.json() as { type: string; entry: { response: { status: string } }[] };
    expect(res.type).toBe('batch-response');
    expect(res.entry.map((e) => e.response.status)).toEqual([
      '201 Created',
      '201 Created',
      '201 Created',
      '201 Created',
      '400 Bad Request',
    ]);
    expect(await count('observations')).toBe(5); // two panels → 4 halves, plus glucose
    const g = await t.db.query<{
      value: number;
      unit: string;
      original_value: number;
      original_unit: string;
    }>(
      `SELECT value, unit, original_value, original_unit FROM observations WHERE indicator = 'glucose'`,
    );
    expect(g.rows[0]).toMatchObject({ unit: 'mmol/L', original_value: 99, original_unit: 'mg/dL' });
    expect(g.rows[0]!.value).toBeCloseTo(5.495, 2);
  });

  it('adds nothing when the same data is sent again', async () => {
    const r = await t.call(admin, 'POST', '/fhir', good(), {
      'content-type': 'application/fhir+json',
    });
    expect(r.statusCode).toBe(200);
    const res = r.json() as { entry: { response: { status: string } }[] };
    expect(res.entry.every((e) => e.response.status === '200 OK')).toBe(true);
    expect(await count('observations')).toBe(5);
  });

  it('searches Observations by subject, code and date with paging', async () => {
    const page1 = await t.call(
      admin,
      'GET',
      '/fhir/Observation?subject=Patient/p1&code=http://loinc.org|8480-6&_count=1',
    );
    expect(page1.statusCode).toBe(200);
    const b1 = page1.json() as {
      type: string;
      total: number;
      entry: { resource: { valueQuantity: { value: number; code: string } } }[];
      link: { relation: string; url: string }[];
    };
    expect(b1.type).toBe('searchset');
    expect(b1.total).toBe(2);
    expect(b1.entry[0]!.resource.valueQuantity).toMatchObject({ value: 132, code: 'mm[Hg]' });
    const next = b1.link.find((l) => l.relation === 'next')!.url;
    const page2 = await t.call(admin, 'GET', next.replace(/^https?:\/\/[^/]+/, ''));
    expect((page2.json() as typeof b1).entry[0]!.resource.valueQuantity.value).toBe(136);
    const dated = await t.call(
      admin,
      'GET',
      '/fhir/Observation?subject=p1&code=8480-6&date=ge2026-03-02',
    );
    expect((dated.json() as typeof b1).total).toBe(1);
    const bad = await t.call(admin, 'GET', '/fhir/Observation?subject=p1&date=yesterday');
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  it('answers a non-Bundle with an OperationOutcome', async () => {
    const r = await t.call(
      admin,
      'POST',
      '/fhir',
      { resourceType: 'Patient' },
      { 'content-type': 'application/fhir+json' },
    );
    expect(r.statusCode).toBe(400);
    expect((r.json() as { resourceType: string }).resourceType).toBe('OperationOutcome');
    const broken = await t.call(admin, 'POST', '/fhir', '{"resourceType": "Bundle",', {
      'content-type': 'application/fhir+json',
    });
    expect(broken.statusCode).toBe(400);
  });

  it('answers malformed API input with problem+json naming the field', async () => {
    const { rows } = await t.db.query<{ id: string }>(`SELECT id::text AS id FROM members LIMIT 1`);
    const id = rows[0]!.id;
    const r = await t.call(admin, 'POST', `/members/${id}/observations`, {
      readings: [
        { indicator: 'sbp', value: 120, effectiveAt: '2026-03-01T00:00:00Z', clientId: 'x' },
      ],
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    const p = r.json() as { status: number; errors: { path: string; message: string }[] };
    expect(p.errors.map((e) => e.path)).toContain('body.readings[0].unit');
    // A well-formed but implausible reading is rejected per item; the others are kept.
    const mixed = await t.call(admin, 'POST', `/members/${id}/observations`, {
      readings: [
        {
          indicator: 'heart_rate',
          value: 72,
          unit: '/min',
          effectiveAt: '2026-03-01T00:00:00Z',
          clientId: 'hr-1',
        },
        {
          indicator: 'heart_rate',
          value: 720,
          unit: '/min',
          effectiveAt: '2026-03-01T00:01:00Z',
          clientId: 'hr-2',
        },
        {
          indicator: 'glucose',
          value: 5,
          unit: 'furlongs',
          effectiveAt: '2026-03-01T00:01:00Z',
          clientId: 'g-2',
        },
      ],
    });
    expect(mixed.statusCode).toBe(200);
    const rep = mixed.json() as {
      accepted: { observations: number };
      rejected: { ref: string; issues: { path: string }[] }[];
    };
    expect(rep.accepted.observations).toBe(1);
    expect(rep.rejected.map((x) => x.issues[0]!.path)).toEqual([
      'readings[1].value',
      'readings[2].unit',
    ]);
  });

  it('publishes OpenAPI and health endpoints', async () => {
    const spec = (await t.call(null, 'GET', '/openapi.json')).json() as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/fhir', '/members/{id}/inbox', '/metrics/engagement']),
    );
    expect((await t.call(null, 'GET', '/healthz')).statusCode).toBe(200);
    expect(((await t.call(null, 'GET', '/readyz')).json() as { status: string }).status).toBe(
      'ready',
    );
  });
});
