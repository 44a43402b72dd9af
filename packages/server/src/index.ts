// The server package: storage, HTTP API, workers. It wires packages/core to the world.
export type { Db, Queryable } from './db/Db.ts';
export { PgliteDb } from './db/pgliteDb.ts';
export { PostgresDb } from './db/postgresDb.ts';
export { openDb } from './db/openDb.ts';
export { migrate, migrations } from './db/migrate.ts';
export { systemClock, ManualClock, type Clock } from './clock.ts';
export { loadConfig, ConfigError, type ServerConfig } from './config.ts';
export { buildApp, type AppDeps } from './http/app.ts';
export { startServer, type RunningServer } from './startServer.ts';
export { CareEngine } from './care/careEngine.ts';
export { ProgramRegistry } from './care/programRegistry.ts';
export {
  ingestItems,
  ingestItemGroup,
  emptyReport,
  mergeReports,
  type IngestContext,
  type IngestReport,
} from './ingest/ingestItems.ts';
export { ingestStream } from './ingest/ingestStream.ts';
export { seedDemo, DEMO_SEED } from './seed/seedDemo.ts';
export { hashPassword } from './auth/passwords.ts';
export { rebuildMember, writeProfiles, loadFacts } from './storage/profileStore.ts';
export { ingestBatches, type IngestBatch } from './ingest/ingestBatches.ts';
export * from './workers/index.ts';
export { openScratchSchema } from './db/scratchSchema.ts';
