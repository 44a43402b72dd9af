import { ConfigError, loadConfig, startServer } from '@careloop/server';
import type { CliCommand } from '../io.ts';
import { repoRoot } from '../repoRoot.ts';

/** `careloop serve`: the API, the web app and the workers on http://localhost:3000. */
export const run: CliCommand = async (argv, io) => {
  if (argv.includes('--help')) {
    io.stdout(
      'careloop serve\n  Starts the server. Environment: PORT (3000), HOST (localhost), DATABASE_URL (default: embedded PGlite in ./.careloop),\n  CARELOOP_DATA_DIR, LOG_LEVEL, CARELOOP_SEED_DEMO (true), CARELOOP_DEMO_MEMBERS (240), CARELOOP_WORKER_INTERVAL_MS (5000).\n',
    );
    return 0;
  }
  let config;
  try {
    config = loadConfig(io.env, io.cwd, repoRoot);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`careloop: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const say = (line: string) => io.stdout(`careloop: ${line}\n`);
  say(
    config.databaseUrl
      ? 'database: PostgreSQL (DATABASE_URL)'
      : `database: embedded PGlite in ${config.dataDir}/pgdata`,
  );
  const server = await startServer(
    { ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel },
    { say },
  );
  io.stdout(`\nCareLoop is running at ${server.url}\n`);
  io.stdout(
    `  web app:   ${server.url}/\n  API docs:  ${server.url}/docs\n  health:    ${server.url}/readyz\n`,
  );
  if (server.seeded) {
    io.stdout(
      `\nSeeded ${server.seeded.members} demo members with ${server.seeded.observations} readings. Demo logins (also in ${server.seeded.loginsFile}):\n`,
    );
    for (const l of server.seeded.logins)
      io.stdout(`  ${l.username.padEnd(10)} ${l.password}   ${l.role}: ${l.note}\n`);
  } else if (config.seedDemo) {
    io.stdout(`\nDemo logins: see ${config.dataDir}/demo-logins.json\n`);
  }
  io.stdout('\nPress Ctrl+C to stop.\n');
  await new Promise<void>((resolveStop) => {
    const stop = (signal: string) => {
      io.stdout(`\ncareloop: ${signal}: finishing in-flight work and closing…\n`);
      void server.close().then(() => resolveStop());
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
};
