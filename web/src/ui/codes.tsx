// One-time codes (by SMS to a phone, or by email): the button that asks for one and then counts
// down until another may be asked for, and the field to type it in once sent. Claiming an invite,
// changing the phone and signing up a merchant all use this one.
import { useEffect, useState, type ChangeEvent } from 'react';
import type { AnyVariables, DocumentInput } from 'urql';
import { graphql, type ResultOf } from '../graphql';
import { retryAfterOf, type ErrorWording } from '../errors';
import { useI18n } from '../i18n';
import type { Problem } from '../validate';
import { Notice } from './feedback';
import { ActionOutcome, Field, Progress, useAction, type ActionState } from './forms';

/** The answer to sendPhoneCode and sendSignUpCode (resendAfter: seconds before another code may be asked for); documents alias the field as `sent`. */
export const CodeSentFields = graphql(`
  fragment CodeSentFields on PhoneCodeSent @_unmask { expiresAt resendAfter }
`);

export type CodeSent = ResultOf<typeof CodeSentFields>;

/** A code request's state, as SendCode shows it. */
export interface CodeRequests {
  action: ActionState<{ sent: CodeSent }>;
  /** What the last request was for (an invite, a phone, an email). */
  asked: string | null;
  /** The last target a code went to, and until when it works. */
  sent: { target: string; expiresAt: string } | null;
  /** Seconds before the last target may be asked again (from resendAfter, or a refusal's retryAfter). */
  secondsLeft: number;
}

export function useCodeRequests<Variables extends AnyVariables>(document: DocumentInput<{ sent: CodeSent }, Variables>) {
  const action = useAction(document);
  const [asked, setAsked] = useState<string | null>(null);
  const [sent, setSent] = useState<CodeRequests['sent']>(null);
  const [clock, setClock] = useState({ until: 0, now: 0 });
  const { outcome } = action;
  // The wait starts when the answer arrives, whether it sent a code or refused as too soon.
  useEffect(() => {
    if (!outcome) return;
    const seconds = 'data' in outcome ? outcome.data.sent.resendAfter : retryAfterOf(outcome.error);
    const now = Date.now();
    setClock({ until: now + seconds * 1000, now });
  }, [outcome]);
  useEffect(() => {
    const { until } = clock;
    if (Date.now() >= until) return;
    const timer = setInterval(() => {
      const now = Date.now();
      setClock((previous) => ({ ...previous, now }));
      if (now >= until) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [clock.until]);
  const send = async (target: string, variables: Variables) => {
    setAsked(target);
    const data = await action.run(variables);
    if (data) setSent({ target, expiresAt: data.sent.expiresAt });
  };
  const requests: CodeRequests = { action, asked, sent, secondsLeft: Math.max(0, Math.ceil((clock.until - clock.now) / 1000)) };
  return { ...requests, send, isSentTo: (target: string) => sent?.target === target };
}

/**
 * Before a code went to `target`: the button that sends one. After: what to look out for, and the
 * code's field with the button beside it to ask again once the wait is over. A code sent to
 * another target (the phone or email was edited since) does not count.
 */
export function SendCode({
  requests,
  target,
  onSend,
  sendLabel,
  sentNotice,
  label,
  field,
  wording,
  primary = false,
}: {
  requests: CodeRequests;
  /** Where a code would go now, normalised as sent. */
  target: string;
  /** Checks the target's field, then sends. */
  onSend: () => void;
  sendLabel: string;
  sentNotice: string;
  /** The code field's label, and its value, problem and change handler from the form. */
  label: string;
  field: { value: string; problem?: Problem; onChange: (event: ChangeEvent<HTMLInputElement>) => void };
  wording?: ErrorWording;
  /** The first code is the step's main action (the claim starts with it). */
  primary?: boolean;
}) {
  const { t, time } = useI18n();
  const { action, asked, sent, secondsLeft } = requests;
  const current = asked === target;
  const wait = current ? secondsLeft : 0;
  const isSent = sent?.target === target;
  const idle =
    wait > 60
      ? t('code.wait.minutes', { m: Math.floor(wait / 60), s: wait % 60 })
      : wait > 0
        ? t('code.wait.seconds', { s: wait })
        : isSent
          ? t('code.resend')
          : sendLabel;
  const button = (
    <button type="button" className={`button${primary && !isSent ? ' primary' : ''}`} disabled={action.pending || wait > 0} onClick={onSend}>
      <Progress pending={action.pending} label={idle} pendingLabel={t('code.sending')} />
    </button>
  );
  const refusal = current && <ActionOutcome outcome={action.outcome} wording={wording} />;
  if (!sent || !isSent) {
    return (
      <div className="send-code">
        {button}
        {field.problem && <p className="problem">{t('code.sendFirst')}</p>}
        {refusal}
      </div>
    );
  }
  return (
    <>
      <Notice kind="info">{sentNotice}</Notice>
      <Field
        label={label}
        autoComplete="one-time-code"
        inputMode="numeric"
        spellCheck={false}
        hint={t('code.hint', { time: time(sent.expiresAt) })}
        action={button}
        {...field}
      />
      {refusal}
    </>
  );
}
