import { resolve } from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  /** PostgreSQL server; absent = embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  /** Where PGlite keeps its data and the demo logins are written (./.careloop). */
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seed the demo population into an empty database. */
  seedDemo: boolean;
  demoMembers: number;
  /** How often the scheduler and dispatcher look for due work; 0 disables the workers. */
  workerIntervalMs: number;
  sessionTtlHours: number;
  /** Set the Secure flag on the session cookie (behind HTTPS). */
  secureCookies: boolean;
  programsDir: string;
  webDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the environment once at start; every problem is named with its variable. */
export function loadConfig(
  env: Record<string, string | undefined>,
  cwd: string,
  repoRoot: string,
): ServerConfig {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name}=${JSON.stringify(raw)}: expected true or false`);
    return def;
  };
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL: expected a postgres:// or postgresql:// connection string');
  }
  const logLevel = (env.LOG_LEVEL || 'info') as ServerConfig['logLevel'];
  if (!levels.includes(logLevel))
    problems.push(
      `LOG_LEVEL=${JSON.stringify(env.LOG_LEVEL)}: expected one of ${levels.join(', ')}`,
    );
  const config: ServerConfig = {
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || 'localhost',
    databaseUrl,
    dataDir: resolve(cwd, env.CARELOOP_DATA_DIR || '.careloop'),
    logLevel,
    seedDemo: bool('CARELOOP_SEED_DEMO', true),
    demoMembers: int('CARELOOP_DEMO_MEMBERS', 240, 0, 100_000),
    workerIntervalMs: int('CARELOOP_WORKER_INTERVAL_MS', 5000, 0, 3_600_000),
    sessionTtlHours: int('CARELOOP_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    secureCookies: bool('CARELOOP_SECURE_COOKIES', false),
    programsDir: resolve(repoRoot, env.CARELOOP_PROGRAMS_DIR || 'programs'),
    webDir: resolve(repoRoot, 'packages/web/dist'),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
