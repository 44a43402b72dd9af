import { migrate } from '../db/migrate.ts';
import { PostgresDb } from '../db/postgresDb.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { ServerConfig } from '../config.ts';
import { CareEngine } from '../care/careEngine.ts';
import { ProgramRegistry, describeIssues } from '../care/programRegistry.ts';
import { runWorker, type WorkerStats } from './timerWorker.ts';

/**
 * `careloop worker`: a scheduler process beside the API servers. Start as many as the load needs,
 * on one PostgreSQL database (embedded PGlite belongs to the single server process that opened it).
 * Resolves with the worker's totals once `signal` aborts and the batch in flight has finished.
 */
export async function runWorkerProcess(
  config: Pick<ServerConfig, 'databaseUrl' | 'programsDir' | 'workerIntervalMs'>,
  opts: { signal: AbortSignal; clock?: Clock; say?: (line: string) => void },
): Promise<WorkerStats> {
  const say = opts.say ?? (() => undefined);
  if (!config.databaseUrl)
    throw new Error(
      'DATABASE_URL: a worker process needs a PostgreSQL server (embedded PGlite serves one process)',
    );
  const db = PostgresDb.open(config.databaseUrl, { max: 2 });
  try {
    await migrate(db);
    const registry = new ProgramRegistry();
    const loaded = registry.loadDirectory(config.programsDir);
    if (loaded.issues.length > 0)
      say(`some care programs were not loaded:\n${describeIssues(loaded.issues)}`);
    say(`worker ${process.pid}: ${loaded.loaded.length} programs; firing timers`);
    return await runWorker({
      db,
      clock: opts.clock ?? systemClock,
      care: new CareEngine({ registry }),
      stopSignal: opts.signal,
      idleDelayMs: config.workerIntervalMs > 0 ? config.workerIntervalMs : 1000,
      onError: (err) => say(`worker ${process.pid}: batch failed, retrying: ${String(err)}`),
    });
  } finally {
    await db.close();
  }
}
