import { describe, expect, it } from 'vitest';
import { runKillTest } from '../../../../scripts/killTest.ts';
import { testPostgresUrl } from '../testing/testDb.ts';

/**
 * The short kill test (issue 4 acceptance; the full one is `npx tsx scripts/killTest.ts`, 100k
 * timers): 4 worker processes over 3,000 due timers on the real PostgreSQL server, a random worker
 * SIGKILLed and restarted every second. Each probe effect takes 10 ms so batches stay open and kills
 * land mid-transaction. PostgreSQL only: PGlite serves one process.
 */
describe('scheduler kill test (PostgreSQL, worker processes)', () => {
  it('fires every timer exactly once while workers are killed and restarted', async () => {
    const lines: string[] = [];
    const result = await runKillTest({
      timers: 3000,
      workers: 4,
      killEveryMs: 1000,
      maxSeconds: 150,
      batch: 50,
      effectMs: 10,
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
