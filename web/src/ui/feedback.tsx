// How the app says what is happening: notices, the spinner, loading and failed-to-load states.
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { describeError } from '../errors';
import { useI18n } from '../i18n';

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
