import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from './testing/testApp.ts';
import { bpPanel, bundle, patient } from './testing/fixtures.ts';

/** Least privilege on every read of a member's health data, and an audit row for each attempt. */
describe('authorization and audit', () => {
  let t: TestApp;
  let admin: string;
  let a: string; // member A's id
  let b: string; // member B's id
  let memberA: string;
  let managerA: string;
  let otherManager: string;
  let operator: string;

  beforeAll(async () => {
    t = await openTestApp();
    admin = (await t.user('admin', ['admin'])).token;
    const r = await t.call(
      admin,
      'POST',
      '/fhir',
      bundle('transaction', [
        patient('pa', 'Member A'),
        patient('pb', 'Member B', 'female'),
        bpPanel('a1', 'pa', '2026-03-09T08:00:00+08:00', 128, 82),
        bpPanel('b1', 'pb', '2026-03-09T08:00:00+08:00', 118, 76),
      ]),
    );
    expect(r.statusCode).toBe(200);
    const ids = await t.db.query<{ id: string; external_ref: string }>(
      `SELECT id::text AS id, external_ref FROM members ORDER BY external_ref`,
    );
    a = ids.rows.find((x) => x.external_ref === 'pa')!.id;
    b = ids.rows.find((x) => x.external_ref === 'pb')!.id;
    memberA = (await t.user('member-a', ['member'], a)).token;
    const mgr = await t.user('manager-a', ['manager']);
    managerA = mgr.token;
    otherManager = (await t.user('manager-x', ['manager'])).token;
    operator = (await t.user('operator', ['operator'])).token;
    await t.db.query(
      `INSERT INTO care_assignments (member_id, user_id, role) VALUES ($1, $2, 'manager')`,
      [a, mgr.id],
    );
  });
  afterAll(async () => t?.close());

  const audit = async (memberId: string) =>
    (
      await t.db.query<{ action: string; outcome: string; reason: string }>(
        `SELECT action, outcome, reason FROM audit_log WHERE member_id = $1 ORDER BY id`,
        [memberId],
      )
    ).rows;

  it('lets a member read their own readings, and audits it', async () => {
    const r = await t.call(memberA, 'GET', `/members/${a}/observations`);
    expect(r.statusCode).toBe(200);
    expect((r.json() as { observations: unknown[] }).observations).toHaveLength(2);
    expect(await audit(a)).toContainEqual({
      action: 'read:observations',
      outcome: 'permitted',
      reason: 'own record',
    });
  });

  it('refuses member A reading member B (403 problem+json) and audits the refusal', async () => {
    for (const path of ['observations', 'profile', 'inbox', 'tasks']) {
      const r = await t.call(memberA, 'GET', `/members/${b}/${path}`);
      expect(r.statusCode).toBe(403);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const fhir = await t.call(memberA, 'GET', `/fhir/Observation?subject=Patient/pb`);
    expect(fhir.statusCode).toBe(403);
    const rows = await audit(b);
    expect(rows.filter((x) => x.outcome === 'denied')).toHaveLength(5);
    expect(rows.every((x) => x.outcome === 'denied')).toBe(true);
  });

  it('lets a manager read only assigned members', async () => {
    expect((await t.call(managerA, 'GET', `/members/${a}/profile`)).statusCode).toBe(200);
    expect((await t.call(managerA, 'GET', `/members/${b}/profile`)).statusCode).toBe(403);
    expect((await t.call(otherManager, 'GET', `/members/${a}/profile`)).statusCode).toBe(403);
    const list = (await t.call(managerA, 'GET', '/members')).json() as {
      members: { id: string }[];
    };
    expect(list.members.map((m) => m.id)).toEqual([a]);
    expect(
      ((await t.call(otherManager, 'GET', '/members')).json() as { members: unknown[] }).members,
    ).toHaveLength(0);
    const rows = await audit(a);
    expect(rows).toContainEqual({
      action: 'read:profile',
      outcome: 'permitted',
      reason: 'assigned care team',
    });
    expect(rows).toContainEqual({
      action: 'read:profile',
      outcome: 'denied',
      reason: 'not assigned to this member',
    });
    expect(rows).toContainEqual({ action: 'list:members', outcome: 'permitted', reason: 'listed' });
  });

  it('withdrawn consent to share with the care team closes the record to the manager', async () => {
    await t.db.query(
      `UPDATE members SET consents = jsonb_set(consents, '{shareWithCareTeam}', 'false') WHERE id = $1`,
      [a],
    );
    expect((await t.call(managerA, 'GET', `/members/${a}/profile`)).statusCode).toBe(403);
    expect((await t.call(memberA, 'GET', `/members/${a}/profile`)).statusCode).toBe(200);
    await t.db.query(
      `UPDATE members SET consents = jsonb_set(consents, '{shareWithCareTeam}', 'true') WHERE id = $1`,
      [a],
    );
  });

  it('keeps operators to aggregates', async () => {
    expect((await t.call(operator, 'GET', `/members/${a}`)).statusCode).toBe(403);
    expect((await t.call(operator, 'GET', '/metrics/engagement')).statusCode).toBe(200);
  });

  it('answers 401 without credentials and with a revoked or unknown token', async () => {
    const r = await t.call(null, 'GET', `/members/${a}/profile`);
    expect(r.statusCode).toBe(401);
    expect((await t.call('clt_not-a-token', 'GET', `/members/${a}/profile`)).statusCode).toBe(401);
    const rows = await audit(a);
    expect(rows.filter((x) => x.reason === 'not authenticated').length).toBeGreaterThanOrEqual(2);
  });

  it('rejects a wrong password with the same answer as an unknown user', async () => {
    const wrong = await t.call(null, 'POST', '/auth/login', {
      username: 'member-a',
      password: 'nope',
    });
    const unknown = await t.call(null, 'POST', '/auth/login', {
      username: 'nobody',
      password: 'nope',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('stores passwords as argon2id hashes, never in clear', async () => {
    const { rows } = await t.db.query<{ password_hash: string }>(`SELECT password_hash FROM users`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.password_hash.startsWith('$argon2id$'))).toBe(true);
  });

  it('only admins create users and assign care teams', async () => {
    const r = await t.call(managerA, 'POST', '/users', {
      username: 'x-user',
      password: 'long-enough-password',
      displayName: 'x',
      roles: ['admin'],
    });
    expect(r.statusCode).toBe(403);
  });
});
