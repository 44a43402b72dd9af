import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { CliCommand } from '../io.ts';
import { repoRoot } from '../repoRoot.ts';

/** `careloop bench [name…]`: runs bench/run.ts (all benchmarks, or the named ones). */
export const run: CliCommand = async (argv, io) => {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', resolve(repoRoot, 'bench/run.ts'), ...argv],
    { stdio: 'inherit', env: io.env as NodeJS.ProcessEnv },
  );
  return r.status ?? 1;
};
