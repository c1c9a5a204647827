// Forms: values with the server's validation rules, one mutation per form, and the progress and
// outcome every action shows (disabled button with spinner text, then success or plain-words error).
import { useId, useState, type ChangeEvent, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { useMutation, type AnyVariables, type CombinedError, type DocumentInput } from 'urql';
import { describeError, type ErrorWording } from '../errors';
import { useI18n } from '../i18n';
import { check, type Problem, type Rule } from '../validate';
import { Notice, Spinner } from './feedback';

export function useFormValues<K extends string>(initial: Record<K, string>, rules: Partial<Record<K, Rule>>) {
  const [values, setValues] = useState(initial);
  // Problems show once the user tried to submit, then follow every keystroke.
  const [showProblems, setShowProblems] = useState(false);
  const problems: Partial<Record<K, Problem>> = showProblems ? check(values, rules) : {};
  return {
    values,
    reset: () => {
      setValues(initial);
      setShowProblems(false);
    },
    field: (key: K) => ({
      value: values[key],
      problem: problems[key],
      onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
        const { value } = event.target;
        setValues((previous) => ({ ...previous, [key]: value }));
      },
    }),
    /** True when every rule passes; otherwise shows the problems. */
    validate: () => {
      setShowProblems(true);
      return Object.keys(check(values, rules)).length === 0;
    },
  };
}

type Outcome<Data> = { error: CombinedError } | { data: Data };

/** A mutation with its outcome kept for display (rendered in the current locale, not the one of the moment). */
export function useAction<Data, Variables extends AnyVariables>(document: DocumentInput<Data, Variables>) {
  const [{ fetching }, execute] = useMutation<Data, Variables>(document);
  const [outcome, setOutcome] = useState<Outcome<Data> | null>(null);
  const run = async (variables: Variables): Promise<Data | null> => {
    setOutcome(null);
    const result = await execute(variables);
    if (result.error || !result.data) {
      if (result.error) setOutcome({ error: result.error });
      return null;
    }
    setOutcome({ data: result.data });
    return result.data;
  };
  return { run, pending: fetching, outcome };
}

export function Form<Data>({
  action,
  onSubmit,
  submitLabel,
  pendingLabel,
  success,
  wording,
  children,
}: {
  action: { pending: boolean; outcome: Outcome<Data> | null };
  onSubmit: () => void;
  submitLabel: string;
  pendingLabel: string;
  /** The success message for the mutation's answer; none when the page moves on instead. */
  success?: (data: Data) => string;
  wording?: ErrorWording;
  children: ReactNode;
}) {
  const i18n = useI18n();
  const { outcome, pending } = action;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!pending) onSubmit();
  };
  return (
    <form className="form" noValidate onSubmit={submit} aria-busy={pending}>
      {children}
      {outcome && 'error' in outcome && <Notice kind="error">{describeError(outcome.error, i18n, wording)}</Notice>}
      {outcome && 'data' in outcome && success && <Notice kind="success">{success(outcome.data)}</Notice>}
      <button type="submit" className="button primary" disabled={pending}>
        {pending ? (
          <>
            <Spinner />
            {pendingLabel}
          </>
        ) : (
          submitLabel
        )}
      </button>
    </form>
  );
}

type FieldProps = {
  label: string;
  problem?: Problem;
  hint?: string;
} & (({ multiline?: false } & InputHTMLAttributes<HTMLInputElement>) | ({ multiline: true; rows?: number } & Omit<InputHTMLAttributes<HTMLTextAreaElement>, 'type'>));

export function Field({ label, problem, hint, multiline, ...control }: FieldProps) {
  const { t } = useI18n();
  const id = useId();
  const describedBy = [problem && `${id}-problem`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  const shared = { id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': describedBy };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...(control as InputHTMLAttributes<HTMLTextAreaElement>)} {...shared} />
      ) : (
        <input {...(control as InputHTMLAttributes<HTMLInputElement>)} {...shared} />
      )}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {problem && (
        <p className="problem" id={`${id}-problem`}>
          {t(problem.key, problem.params)}
        </p>
      )}
    </div>
  );
}

export function Checkbox({ label, hint, checked, onChange }: { label: string; hint?: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div className="field checkbox">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint && `${id}-hint`} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
