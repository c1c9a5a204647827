// The contract's error codes (schema.graphql, top of file) in plain words for the user.
import type { CombinedError } from '@urql/core';
import { isMessageKey, type MessageKey, type Translate } from './i18n';

/**
 * Where one screen means something more specific by a code (e.g. UNAUTHENTICATED at sign-in), or
 * by BAD_USER_INPUT on one field (`'BAD_USER_INPUT:phoneCode'`: a wrong code, not a typo).
 */
export type ErrorWording = Partial<Record<string, MessageKey>>;

const byCode: Record<string, MessageKey> = {
  UNAUTHENTICATED: 'error.UNAUTHENTICATED',
  FORBIDDEN: 'error.FORBIDDEN',
  NOT_FOUND: 'error.NOT_FOUND',
  CONFLICT: 'error.CONFLICT',
  CONSENT_REFUSED: 'error.CONSENT_REFUSED',
  INTERNAL_SERVER_ERROR: 'error.INTERNAL_SERVER_ERROR',
  // The document asks for something this server does not serve (yet).
  GRAPHQL_VALIDATION_FAILED: 'error.unavailable',
};

/** Codes whose answer says how long to wait (`retryAfter` seconds): the words say it too. */
const WAITS = { RATE_LIMITED: ['error.RATE_LIMITED', 'error.RATE_LIMITED.later'], SERVICE_UNAVAILABLE: ['error.SERVICE_UNAVAILABLE', 'error.SERVICE_UNAVAILABLE.later'] } as const satisfies Record<
  string,
  readonly [MessageKey, MessageKey]
>;
const waitsFor = (code: string): code is keyof typeof WAITS => code in WAITS;

export function describeError(
  error: CombinedError,
  i18n: { t: Translate; after: (seconds: number) => string },
  wording: ErrorWording = {},
): string {
  const { t, after } = i18n;
  const first = error.graphQLErrors[0];
  if (!first) return t(error.networkError ? 'error.network' : 'error.unknown');
  const code = String(first.extensions?.code ?? '');
  const field = first.extensions?.field;
  const special = (typeof field === 'string' ? wording[`${code}:${field}`] : undefined) ?? wording[code];
  // A screen's own words for a wait still say how long it is ('{when}').
  if (special) return t(special, waitsFor(code) ? { when: after(retryAfterOf(error)) } : undefined);
  if (code === 'BAD_USER_INPUT') {
    if (typeof field !== 'string') return t('error.BAD_USER_INPUT');
    const label = `field.${field}`;
    return t('error.BAD_USER_INPUT.field', { field: isMessageKey(label) ? t(label) : field });
  }
  if (waitsFor(code)) {
    const retryAfter = retryAfterOf(error);
    const [inTime, later] = WAITS[code];
    return retryAfter > 0 ? t(inTime, { when: after(retryAfter) }) : t(later);
  }
  return t(byCode[code] ?? 'error.unknown');
}

/** The seconds a RATE_LIMITED or SERVICE_UNAVAILABLE answer asks to wait (0 for any other error, or when it names none). */
export function retryAfterOf(error: CombinedError): number {
  const first = error.graphQLErrors[0];
  const seconds = waitsFor(String(first?.extensions?.code ?? '')) ? Number(first!.extensions.retryAfter) : 0;
  return seconds > 0 ? seconds : 0;
}
