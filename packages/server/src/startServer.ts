import type { FastifyInstance } from 'fastify';
import { migrate } from './db/migrate.ts';
import { openDb } from './db/openDb.ts';
import type { Db } from './db/Db.ts';
import { systemClock, type Clock } from './clock.ts';
import type { ServerConfig } from './config.ts';
import { CareEngine } from './care/careEngine.ts';
import { ProgramRegistry, describeIssues } from './care/programRegistry.ts';
import { buildApp } from './http/app.ts';
import { seedDemo, type SeedResult } from './seed/seedDemo.ts';

export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  care: CareEngine;
  url: string;
  seeded: SeedResult | null;
  close(): Promise<void>;
}

/**
 * Opens (and migrates) the database, loads the care programs, seeds the demo population into an
 * empty database, starts the HTTP API and the scheduler/dispatcher loop.
 */
export async function startServer(
  config: ServerConfig,
  opts: { clock?: Clock; db?: Db; say?: (line: string) => void } = {},
): Promise<RunningServer> {
  const clock = opts.clock ?? systemClock;
  const say = opts.say ?? (() => undefined);
  const db =
    opts.db ??
    (await openDb({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pgdata` }));
  const applied = await migrate(db);
  if (applied.length > 0) say(`database migrated to version ${Math.max(...applied)}`);

  const registry = new ProgramRegistry();
  const loaded = registry.loadDirectory(config.programsDir);
  if (loaded.issues.length > 0)
    say(`some care programs were not loaded:\n${describeIssues(loaded.issues)}`);
  const care = new CareEngine({ registry });

  let seeded: SeedResult | null = null;
  if (config.seedDemo) {
    let last = -1;
    seeded = await seedDemo(
      { db, clock, care },
      {
        members: config.demoMembers,
        dataDir: config.dataDir,
        onProgress: (done, total) => {
          const pct = Math.floor((done / total) * 10);
          if (pct !== last) say(`seeding demo population: ${done}/${total} members`);
          last = pct;
        },
      },
    );
  }

  const app = await buildApp({
    db,
    clock,
    care,
    sessionTtlHours: config.sessionTtlHours,
    secureCookies: config.secureCookies,
    webDir: config.webDir,
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
  });
  const address = await app.listen({ port: config.port, host: config.host });

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  if (config.workerIntervalMs > 0) {
    const tick = () => {
      if (running) return; // never overlap ticks
      const now = clock.now();
      running = care
        .runDueTimers(db, now)
        .then(() => care.dispatchDue(db, now))
        .catch((err: unknown) => app.log.error({ err }, 'worker tick failed'))
        .finally(() => (running = null));
    };
    tick();
    timer = setInterval(tick, config.workerIntervalMs);
  }

  return {
    app,
    db,
    care,
    url: address.replace('127.0.0.1', 'localhost').replace('[::1]', 'localhost'),
    seeded,
    async close() {
      if (timer) clearInterval(timer);
      await running;
      await app.close();
      if (!opts.db) await db.close();
    },
  };
}
