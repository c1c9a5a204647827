// How the app says what is happening: notices, the spinner, loading and failed-to-load states.
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { describeError } from '../errors';
import { useI18n, type MessageKey } from '../i18n';

export function Notice({ kind, children }: { kind: 'error' | 'success' | 'info'; children: ReactNode }) {
  return (
    <p className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

export const Spinner = () => <span className="spinner" aria-hidden="true" />;

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      <Spinner />
      {t('loading')}
    </p>
  );
}

/** A query that failed: the reason in plain words and a way to try again. */
export function LoadFailed({ error, retry }: { error: CombinedError; retry: () => void }) {
  const i18n = useI18n();
  return (
    <div className="load-failed">
      <Notice kind="error">{describeError(error, i18n)}</Notice>
      <button type="button" className="button" onClick={retry}>
        {i18n.t('retry')}
      </button>
    </div>
  );
}

/** A query's data once it is there; until then the spinner, or the failure with a way to retry. */
export function Loaded<T>({
  value,
  error,
  retry,
  children,
}: {
  value: T | null | undefined;
  error: CombinedError | undefined;
  retry: () => void;
  children: (value: T) => ReactNode;
}) {
  if (value != null) return children(value);
  return error ? <LoadFailed error={error} retry={retry} /> : <Loading />;
}

/** A lookup by id (offer(id), community(id)…): loading, failed, not found (null), or found. */
export function Found<Data, T>({
  data,
  pick,
  error,
  retry,
  missing = 'error.NOT_FOUND',
  children,
}: {
  data: Data | undefined;
  pick: (data: Data) => T | null | undefined;
  /** What to say when the answer holds nothing. */
  missing?: MessageKey;
  error: CombinedError | undefined;
  retry: () => void;
  children: (value: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (data === undefined) return error ? <LoadFailed error={error} retry={retry} /> : <Loading />;
  const value = pick(data);
  return value == null ? <Notice kind={missing === 'error.NOT_FOUND' ? 'error' : 'info'}>{t(missing)}</Notice> : children(value);
}
