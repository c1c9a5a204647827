import { hash, verify } from '@node-rs/argon2';

// argon2id (the library's Algorithm.Argon2id, a const enum) at OWASP's minimum: 19 MiB, 2 iterations, 1 lane.
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// One rule wherever a password is set or checked: the same characters typed on another device
// (composed or decomposed accents, full-width forms are left alone) are the same password.
// Nothing is trimmed: a space is part of a passphrase.
const normalised = (password: string) => password.normalize('NFC');

export const hashPassword = (password: string): Promise<string> => hash(normalised(password), options);

// Verified against when no account matches, so an unknown login costs as much as a wrong password.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    dummyHash ??= hashPassword('not-a-real-password-for-timing');
    await verify(await dummyHash, normalised(password));
    return false;
  }
  return verify(passwordHash, normalised(password));
}
