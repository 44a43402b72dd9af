import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, programsDir, type TestApp } from './testing/testApp.ts';
import { bundle, patient } from './testing/fixtures.ts';

describe('operating programs', () => {
  let t: TestApp;
  let dir: string;
  let admin: string;
  let operator: string;
  let memberId: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'careloop-programs-'));
    cpSync(
      join(programsDir, 'hypertension-self-monitoring.yaml'),
      join(dir, 'hypertension-self-monitoring.yaml'),
    );
    cpSync(join(programsDir, 'schema'), join(dir, 'schema'), { recursive: true });
    t = await openTestApp({ programsDir: dir });
    admin = (await t.user('admin', ['admin'])).token;
    operator = (await t.user('ops', ['operator'])).token;
    await t.call(admin, 'POST', '/fhir', bundle('transaction', [patient('p-ops', '周敏')]));
    memberId = (await t.db.query<{ id: string }>(`SELECT id::text AS id FROM members`)).rows[0]!.id;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the last valid version when a program file becomes invalid, and says where', async () => {
    const file = join(dir, 'hypertension-self-monitoring.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('kind: member-task', 'kind: member-chore'));
    const r = await t.call(operator, 'POST', '/programs/reload');
    expect(r.statusCode).toBe(200);
    const b = r.json() as {
      kept: { id: string; version: string }[];
      issues: { file: string; line: number; message: string }[];
    };
    expect(b.kept).toEqual([{ id: 'hypertension-self-monitoring', version: '1', file }]);
    expect(b.issues.length).toBeGreaterThan(0);
    expect(b.issues[0]!.file).toBe(file);
    expect(b.issues[0]!.line).toBeGreaterThan(1);
    const list = (await t.call(operator, 'GET', '/programs')).json() as {
      programs: { id: string }[];
    };
    expect(list.programs.map((p) => p.id)).toContain('hypertension-self-monitoring');
    writeFileSync(file, good.replace('version: 1', 'version: 2'));
    const again = (await t.call(operator, 'POST', '/programs/reload')).json() as {
      loaded: string[];
      issues: unknown[];
    };
    expect(again.loaded).toEqual(['hypertension-self-monitoring@2']);
    expect(again.issues).toEqual([]);
  });

  it('enrols and exits a member by hand; an enrolment keeps the version it started on', async () => {
    const e = await t.call(admin, 'POST', `/members/${memberId}/enrollments`, {
      programId: 'hypertension-self-monitoring',
    });
    expect(e.statusCode).toBe(201);
    expect((e.json() as { version: string }).version).toBe('2');
    const list = (await t.call(admin, 'GET', `/members/${memberId}/enrollments`)).json() as {
      enrollments: { programId: string; status: string }[];
    };
    expect(list.enrollments).toEqual([
      expect.objectContaining({ programId: 'hypertension-self-monitoring', status: 'active' }),
    ]);
    const x = await t.call(
      admin,
      'POST',
      `/members/${memberId}/enrollments/hypertension-self-monitoring/exit`,
      { reason: 'moved to another clinic' },
    );
    expect(x.statusCode).toBe(200);
    const again = await t.call(
      admin,
      'POST',
      `/members/${memberId}/enrollments/hypertension-self-monitoring/exit`,
      { reason: 'again' },
    );
    expect(again.statusCode).toBe(404);
    const bad = await t.call(admin, 'POST', `/members/${memberId}/enrollments`, {
      programId: 'nope',
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { path: string }[] }).errors[0]!.path).toBe('body.programId');
  });

  it('lets operators pause a program but not read a member', async () => {
    expect(
      (await t.call(operator, 'POST', '/programs/hypertension-self-monitoring/pause')).statusCode,
    ).toBe(200);
    expect(
      ((await t.call(operator, 'GET', '/programs')).json() as { programs: { paused: boolean }[] })
        .programs[0]!.paused,
    ).toBe(true);
    expect(
      (
        await t.call(operator, 'POST', `/members/${memberId}/enrollments`, {
          programId: 'hypertension-self-monitoring',
        })
      ).statusCode,
    ).toBe(403);
  });
});
