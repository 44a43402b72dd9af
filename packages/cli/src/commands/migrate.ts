import { migrate, openDb } from '@careloop/server';
import { resolve } from 'node:path';
import type { CliCommand } from '../io.ts';

/** `careloop migrate`: applies pending migrations to DATABASE_URL or the embedded database. */
export const run: CliCommand = async (argv, io) => {
  if (argv.length > 0 && argv[0] !== '--help') {
    io.stderr(`careloop migrate: unexpected argument '${argv[0]}'\n`);
    return 2;
  }
  if (argv[0] === '--help') {
    io.stdout(
      'careloop migrate\n  Applies pending database migrations (DATABASE_URL, or ./.careloop/pgdata).\n',
    );
    return 0;
  }
  const db = await openDb({
    databaseUrl: io.env.DATABASE_URL,
    dataDir: resolve(io.cwd, io.env.CARELOOP_DATA_DIR || '.careloop', 'pgdata'),
  });
  try {
    const applied = await migrate(db);
    io.stdout(
      applied.length > 0
        ? `applied migrations: ${applied.join(', ')}\n`
        : 'database is up to date\n',
    );
    return 0;
  } finally {
    await db.close();
  }
};
