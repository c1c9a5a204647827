// Sending one-time codes: to the phone on a customer record (claiming an invite), to a new phone
// (changing it), or to an email address (signing up). Every answer is the same whether or not the
// invite, phone or email is known, and sending is throttled per target and per address.
import { createHash } from 'node:crypto';
import * as codes from '../../db/commands/codes.js';
import * as customers from '../../db/commands/customers.js';
import { findMerchantLogin } from '../../db/commands/accounts.js';
import { AppError } from '../../db/errors.js';
import { newId } from '../../db/ids.js';
import type { AppDeps } from '../context.js';
import type { CodeMessage } from '../notify/codes.js';
import { consume } from '../rate-limits.js';

export interface CodeSent {
  expiresAt: Date;
  /** Seconds before another code may be sent to the same target. */
  resendAfter: number;
}

/** The key of the per-login limits, shared by sign-in and invite claims: one lock-out per person. */
export const phoneLoginKey = (phoneIndex: string) => `phone:${phoneIndex}`;
export const emailLoginKey = (email: string) => `email:${email}`;

type Delivery = { target: codes.CodeTarget; channel: 'SMS' | 'EMAIL'; to: string } | { notice: CodeMessage };

/**
 * Throttles, then delivers (or, for an unknown target, does nothing) and answers the same either
 * way. The keys name the request (`resendKey`: one code a minute) and where it goes (`targetKey`:
 * a few an hour, however many invites share a phone) whether or not they exist, so an unknown
 * target is throttled alike.
 */
async function send(deps: AppDeps, ip: string, keys: { resendKey: string; targetKey: string }, delivery: Delivery | null): Promise<CodeSent> {
  const { codesPerIp, codeResendPerTarget, codesPerTarget } = deps.limits;
  await consume(codesPerIp, ip);
  await consume(codeResendPerTarget, keys.resendKey);
  await consume(codesPerTarget, keys.targetKey);
  const now = new Date();
  let message: CodeMessage | null = null;
  if (delivery && 'notice' in delivery) message = delivery.notice;
  else if (delivery) {
    const issued = await codes.issueCode(deps.db, deps.vault, delivery.target, now);
    message = { id: issued.id, channel: delivery.channel, to: delivery.to, kind: 'CODE', purpose: delivery.target.purpose, code: issued.code, expiresAt: issued.expiresAt };
  }
  // Not awaited: a slow or failing gateway must not make a known target answer differently.
  if (message) deps.codes.send(message).catch((err: Error) => deps.logger.warn({ channel: message.channel, err: err.message }, 'one-time code not delivered'));
  return { expiresAt: new Date(now.getTime() + codes.CODE_TTL_MS), resendAfter: deps.config.CODE_RESEND_SECONDS };
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/** A code to the phone on the record the invite is for; the claimant reads it on that phone. */
export async function sendClaimCode(deps: AppDeps, ip: string, inviteCode: string): Promise<CodeSent> {
  const code = inviteCode.trim().toUpperCase();
  let target: customers.ClaimTarget | null = null;
  try {
    target = await customers.findClaimTarget(deps.db, deps.vault, code);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
  }
  const phone = target ? await deps.vault.phoneToVerify(target.customerId) : null;
  const unknown = `invite:${sha256(code)}`;
  if (!target || !phone) return send(deps, ip, { resendKey: unknown, targetKey: unknown }, null);
  return send(deps, ip, { resendKey: unknown, targetKey: phoneLoginKey(phone.phoneIndex) }, { target: customers.claimCode(target), channel: 'SMS', to: phone.phone });
}

/** A code to the new phone of a signed-in customer: the change needs proof they hold it. */
export function sendChangePhoneCode(deps: AppDeps, ip: string, accountId: string, phone: string): Promise<CodeSent> {
  const target = codes.changePhoneCodeTarget(deps.vault, accountId, phone);
  const targetKey = phoneLoginKey(target.targetIndex);
  return send(deps, ip, { resendKey: `${accountId}:${targetKey}`, targetKey }, { target, channel: 'SMS', to: phone });
}

/**
 * A sign-up code to the email address; an address that already has an account gets a sign-in
 * link instead, so the answer never tells whether an email is registered.
 */
export async function sendSignUpCode(deps: AppDeps, ip: string, email: string): Promise<CodeSent> {
  const registered = (await findMerchantLogin(deps.db, email)) !== null;
  const link = new URL('/signin', deps.config.PUBLIC_URL).toString();
  const key = emailLoginKey(email);
  return send(
    deps,
    ip,
    { resendKey: key, targetKey: key },
    registered
      ? { notice: { id: newId(), channel: 'EMAIL', to: email, kind: 'ACCOUNT_EXISTS', link } }
      : { target: codes.signUpCodeTarget(deps.vault, email), channel: 'EMAIL', to: email },
  );
}
