// Random, time-ordered keys (UUIDv7): an ID reveals no count and cannot be guessed, and keyset
// pagination on the key follows creation order.
import { v7 as uuidv7 } from 'uuid';

export const newId = (): string => uuidv7();

/** Timestamps are stored as fixed-width UTC ISO-8601 text, so they sort as they compare. */
export const nowIso = (): string => new Date().toISOString();
