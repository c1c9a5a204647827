import { hash, verify } from '@node-rs/argon2';

// argon2id (the library's Algorithm.Argon2id, a const enum) at OWASP's minimum: 19 MiB, 2 iterations, 1 lane.
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, options);

// Verified against when no account matches, so an unknown login costs as much as a wrong password.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    dummyHash ??= hashPassword('not-a-real-password-for-timing');
    await verify(await dummyHash, password);
    return false;
  }
  return verify(passwordHash, password);
}
