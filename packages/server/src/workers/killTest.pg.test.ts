import { describe, expect, it } from 'vitest';
import { runKillTest } from '../../../../scripts/killTest.ts';
import { testPostgresUrl } from '../testing/testDb.ts';

/**
 * The short kill test (issue 4 acceptance; the full one is `npx tsx scripts/killTest.ts`, 100k
 * timers): 4 worker processes over 3,000 due timers on the real PostgreSQL server, a random worker
 * SIGKILLed and restarted after every 400 timers fired (progress, not time: steady on a loaded
 * machine). Each probe effect takes 2 ms so batches stay open and kills land mid-transaction.
 * PostgreSQL only (PGlite serves one process): name it *.pg.test.ts, run by the postgres project.
 */
describe('scheduler kill test (PostgreSQL, worker processes)', () => {
  it('fires every timer exactly once while workers are killed and restarted', async () => {
    const lines: string[] = [];
    const result = await runKillTest({
      timers: 3000,
      workers: 4,
      killEveryMs: 0,
      killEveryFired: 400,
      maxSeconds: 170,
      batch: 50,
      effectMs: 2,
      programEvery: 10,
      members: 100,
      keep: false,
      databaseUrl: testPostgresUrl,
      log: (line) => lines.push(line),
    });
    expect(result.violations, lines.join('\n')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.fired).toBe(3000);
    expect(result.kills).toBeGreaterThanOrEqual(3);
  }, 200_000);
});
