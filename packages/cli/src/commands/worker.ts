import { ConfigError, loadConfig, runWorkerProcess } from '@careloop/server';
import type { CliCommand } from '../io.ts';
import { repoRoot } from '../repoRoot.ts';

/**
 * `careloop worker`: one scheduler/dispatcher process on a PostgreSQL server (DATABASE_URL). Run
 * as many as needed; each timer fires once (decision 0006). `serve` runs the same loop in-process.
 */
export const run: CliCommand = async (argv, io) => {
  if (argv.includes('--help')) {
    io.stdout(
      'careloop worker\n  Fires due timers and dispatches due messages until SIGINT/SIGTERM. Needs DATABASE_URL (PostgreSQL).\n',
    );
    return 0;
  }
  let config;
  try {
    config = loadConfig({ ...io.env, CARELOOP_SEED_DEMO: 'false' }, io.cwd, repoRoot);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`careloop worker: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (!config.databaseUrl) {
    io.stderr(
      'careloop worker: DATABASE_URL is required (the embedded database serves one process: use careloop serve)\n',
    );
    return 2;
  }
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const stats = await runWorkerProcess(config, {
    signal: stop.signal,
    say: (l) => io.stdout(`careloop worker: ${l}\n`),
  });
  io.stdout(`careloop worker: stopped (${JSON.stringify(stats)})\n`);
  return 0;
};
