// Random, time-ordered keys (UUIDv7): an ID reveals no count and cannot be guessed, and keyset
// pagination on the key follows creation order.
import { v7 as uuidv7 } from 'uuid';

export const newId = (): string => uuidv7();

/** Timestamps are stored as fixed-width UTC ISO-8601 text, so they sort as they compare. */
export const nowIso = (): string => new Date().toISOString();

/**
 * The lowest UUIDv7 a key created at `ms` (Unix milliseconds) or later can have: a bound on the
 * key that lets an index on (…, id) find the rows created since a time without a time index.
 */
export const firstIdAt = (ms: number): string => {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-0000-0000-000000000000`;
};
