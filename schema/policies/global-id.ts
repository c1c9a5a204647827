// Incoming global IDs: one of the wrong type, malformed or unknown reads as NOT_FOUND, never as a crash.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { notFound } from '../../db/errors.js';

export function localId(typename: string, globalId: string): string {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw notFound(typename.toLowerCase());
  }
  if (decoded.typename !== typename) throw notFound(typename.toLowerCase());
  return decoded.id;
}

/** For Query.x(id) lookups, which answer null rather than an error for an ID they cannot resolve. */
export function localIdOrNull(typename: string, globalId: string): string | null {
  try {
    return localId(typename, globalId);
  } catch {
    return null;
  }
}
