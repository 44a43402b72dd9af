import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding the root package.json with workspaces). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Path to a file or folder in `../shared/data` beside the repository. The external suite must fail
 * loudly when the data is missing, never skip: this throws with the path it looked for.
 */
export function sharedData(...parts: string[]): string {
  const path = join(repoRoot, '..', 'shared', 'data', ...parts);
  if (!existsSync(path)) {
    throw new Error(
      `external test data missing: ${path} (the external suite needs ../shared/data beside the repository)`,
    );
  }
  return path;
}
