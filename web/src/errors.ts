// The contract's error codes (schema.graphql, top of file) in plain words for the user.
import type { CombinedError } from '@urql/core';
import { isMessageKey, type MessageKey, type Translate } from './i18n';

/** Where one screen means something more specific by a code (e.g. UNAUTHENTICATED at sign-in). */
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

export function describeError(
  error: CombinedError,
  i18n: { t: Translate; after: (seconds: number) => string },
  wording: ErrorWording = {},
): string {
  const { t, after } = i18n;
  const first = error.graphQLErrors[0];
  if (!first) return t(error.networkError ? 'error.network' : 'error.unknown');
  const code = String(first.extensions?.code ?? '');
  const special = wording[code];
  if (special) return t(special);
  if (code === 'BAD_USER_INPUT') {
    const field = first.extensions?.field;
    if (typeof field !== 'string') return t('error.BAD_USER_INPUT');
    const label = `field.${field}`;
    return t('error.BAD_USER_INPUT.field', { field: isMessageKey(label) ? t(label) : field });
  }
  if (code === 'RATE_LIMITED') {
    const retryAfter = Number(first.extensions?.retryAfter);
    return retryAfter > 0 ? t('error.RATE_LIMITED', { when: after(retryAfter) }) : t('error.RATE_LIMITED.later');
  }
  return t(byCode[code] ?? 'error.unknown');
}
