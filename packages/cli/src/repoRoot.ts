import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: programs/ and the built web app are found relative to it. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
