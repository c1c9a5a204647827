// Forms: values with the server's validation rules, one mutation per form, and the progress and
// outcome every action shows (disabled button with spinner text, then success or plain-words error).
import { useId, useState, type ChangeEvent, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { useMutation, type AnyVariables, type CombinedError, type DocumentInput } from 'urql';
import { describeError, type ErrorWording } from '../errors';
import { useI18n } from '../i18n';
import { check, optional, text, type Problem, type Rule } from '../validate';
import { Notice, Spinner } from './feedback';

export function useFormValues<K extends string>(initial: Record<K, string>, rules: Partial<Record<K, Rule>>) {
  const [values, setValues] = useState(initial);
  // A field's problem shows once the user tried to submit it, then follows every keystroke.
  const [shown, setShown] = useState<ReadonlySet<K>>(() => new Set());
  const all = check(values, rules);
  return {
    values,
    reset: () => {
      setValues(initial);
      setShown(new Set());
    },
    field: (key: K) => ({
      value: values[key],
      problem: shown.has(key) ? all[key] : undefined,
      onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
        const { value } = event.target;
        setValues((previous) => ({ ...previous, [key]: value }));
      },
    }),
    /**
     * True when the rules of the given fields (all by default) pass; otherwise shows their problems.
     * A step of a form checks its own fields (the email before a code is sent to it).
     */
    validate: (...keys: K[]) => {
      const checked = keys.length ? keys : (Object.keys(rules) as K[]);
      setShown((previous) => new Set([...previous, ...checked]));
      return checked.every((key) => !all[key]);
    },
  };
}

type Outcome<Data> = { error: CombinedError } | { data: Data };

/** An action's progress and last outcome, as buttons and forms show them. */
export interface ActionState<Data> {
  pending: boolean;
  outcome: Outcome<Data> | null;
}

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
  action: ActionState<Data>;
  onSubmit: () => void;
  /** The success message for the mutation's answer; none when the page moves on instead. */
  success?: (data: Data) => string;
  wording?: ErrorWording;
  children: ReactNode;
  // Without labels the form has no submit button of its own: a step whose action is another
  // button in it (sending a code), which Enter in a field also runs.
} & ({ submitLabel: string; pendingLabel: string } | { submitLabel?: undefined; pendingLabel?: undefined })) {
  const { outcome, pending } = action;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!pending) onSubmit();
  };
  return (
    <form className="form" noValidate onSubmit={submit} aria-busy={pending}>
      {children}
      <ActionOutcome outcome={outcome} success={success} wording={wording} />
      {submitLabel !== undefined && (
        <button type="submit" className="button primary" disabled={pending}>
          <Progress pending={pending} label={submitLabel} pendingLabel={pendingLabel} />
        </button>
      )}
    </form>
  );
}

/** A button's text, or the spinner and the pending text while its action runs. */
export function Progress({ pending, label, pendingLabel }: { pending: boolean; label: string; pendingLabel: string }) {
  return pending ? (
    <>
      <Spinner />
      {pendingLabel}
    </>
  ) : (
    <>{label}</>
  );
}

/** What the last run of an action came to: the success message or the error in plain words. */
export function ActionOutcome<Data>({ outcome, success, wording }: { outcome: Outcome<Data> | null; success?: (data: Data) => string; wording?: ErrorWording }) {
  const i18n = useI18n();
  if (!outcome) return null;
  if ('error' in outcome) return <Notice kind="error">{describeError(outcome.error, i18n, wording)}</Notice>;
  return success ? <Notice kind="success">{success(outcome.data)}</Notice> : null;
}

/** One action on one button (join, withdraw, revoke...), with its progress and outcome beside it. */
export function ActionButton<Data>({
  action,
  onClick,
  label,
  pendingLabel,
  success,
  wording,
  kind,
}: {
  action: ActionState<Data>;
  onClick: () => void;
  label: string;
  pendingLabel: string;
  success?: (data: Data) => string;
  wording?: ErrorWording;
  kind?: 'primary' | 'danger';
}) {
  return (
    <div className="action">
      <button type="button" className={`button${kind ? ` ${kind}` : ''}`} disabled={action.pending} onClick={onClick}>
        <Progress pending={action.pending} label={label} pendingLabel={pendingLabel} />
      </button>
      <ActionOutcome outcome={action.outcome} success={success} wording={wording} />
    </div>
  );
}

/**
 * An action that asks before it runs: the first button opens the confirmation, which may ask for
 * a reason (moderation, archiving: the reason lands in a log), then runs on the second button.
 */
export function ConfirmAction<Data>({
  action,
  label,
  question,
  confirmLabel,
  pendingLabel,
  reasonLabel,
  reasonOptional = false,
  onConfirm,
  success,
  wording,
  kind = 'danger',
}: {
  action: ActionState<Data>;
  label: string;
  question: string;
  confirmLabel: string;
  pendingLabel: string;
  reasonLabel?: string;
  /** A reason is asked for but may stay empty (an application's message). */
  reasonOptional?: boolean;
  onConfirm: (reason: string) => Promise<unknown>;
  success?: (data: Data) => string;
  wording?: ErrorWording;
  kind?: 'primary' | 'danger';
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const form = useFormValues({ reason: '' }, reasonLabel ? { reason: reasonOptional ? optional(text(500)) : text(500) } : {});
  const confirm = async () => {
    if (!form.validate()) return;
    const data = await onConfirm(form.values.reason.trim());
    if (data) {
      setOpen(false);
      form.reset();
    }
  };
  if (!open) {
    return (
      <div className="action">
        <button type="button" className="button" onClick={() => setOpen(true)}>
          {label}
        </button>
        <ActionOutcome outcome={action.outcome} success={success} wording={wording} />
      </div>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={label}>
      <p>{question}</p>
      {reasonLabel && <Field label={reasonLabel} multiline rows={2} {...form.field('reason')} />}
      <div className="button-row">
        <button type="button" className={`button ${kind}`} disabled={action.pending} onClick={confirm}>
          <Progress pending={action.pending} label={confirmLabel} pendingLabel={pendingLabel} />
        </button>
        <button type="button" className="button" disabled={action.pending} onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
      <ActionOutcome outcome={action.outcome} wording={wording} />
    </div>
  );
}

export function Select<V extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: V;
  options: { value: V; label: string }[];
  onChange: (value: V) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as V)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A set of choices (contact fields, channels, communities), each a checkbox. */
export function Checkboxes<V extends string>({
  legend,
  options,
  selected,
  onChange,
  problem,
}: {
  legend: string;
  options: { value: V; label: string }[];
  selected: readonly V[];
  onChange: (selected: V[]) => void;
  problem?: string;
}) {
  const toggle = (value: V, on: boolean) => onChange(options.map((o) => o.value).filter((v) => (v === value ? on : selected.includes(v))));
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {options.map((o) => (
        <Checkbox key={o.value} label={o.label} checked={selected.includes(o.value)} onChange={(on) => toggle(o.value, on)} />
      ))}
      {problem && <p className="problem">{problem}</p>}
    </fieldset>
  );
}

type FieldProps = {
  label: string;
  problem?: Problem;
  hint?: string;
  /** A button beside the input that belongs to it (sending a code to type in). */
  action?: ReactNode;
} & (({ multiline?: false } & InputHTMLAttributes<HTMLInputElement>) | ({ multiline: true; rows?: number } & Omit<InputHTMLAttributes<HTMLTextAreaElement>, 'type'>));

export function Field({ label, problem, hint, action, multiline, ...control }: FieldProps) {
  const { t } = useI18n();
  const id = useId();
  const describedBy = [problem && `${id}-problem`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  const shared = { id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': describedBy };
  const input = <input {...(control as InputHTMLAttributes<HTMLInputElement>)} {...shared} />;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...(control as InputHTMLAttributes<HTMLTextAreaElement>)} {...shared} />
      ) : action ? (
        <div className="field-row">
          {input}
          {action}
        </div>
      ) : (
        input
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

/** A search box that reports the trimmed term when submitted (lists search on submit, not per keystroke). */
export function SearchForm({ label, onSearch }: { label: string; onSearch: (term: string) => void }) {
  const { t } = useI18n();
  const form = useFormValues({ search: '' }, {});
  return (
    <form
      className="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(form.values.search.trim());
      }}
    >
      <Field label={label} type="search" {...form.field('search')} />
      <button type="submit" className="button">
        {t('search')}
      </button>
    </form>
  );
}
