import { hash, verify } from '@node-rs/argon2';

// argon2id (algorithm 2; the package declares it as a const enum, which isolated modules cannot read)
// with OWASP's baseline parameters: 19 MiB memory, 2 iterations, 1 lane. @node-rs/argon2 ships
// prebuilt binaries per platform, so installing needs no compiler.
const ARGON2ID = 2;
const params = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, params as Parameters<typeof hash>[1]);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}
