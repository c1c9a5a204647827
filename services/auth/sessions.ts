// Sign-up, sign-in, refresh and sign-out: passwords and tokens around the account commands.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import * as accounts from '../../db/commands/accounts.js';
import { checkCode, signUpCodeTarget } from '../../db/commands/codes.js';
import * as customers from '../../db/commands/customers.js';
import { AppError, badInput, unauthenticated } from '../../db/errors.js';
import type { AppDeps } from '../context.js';
import { assertNotBlocked, consume } from '../rate-limits.js';
import { phoneLoginKey } from './codes.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { hashRefreshToken, newRefreshToken } from './tokens.js';

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  accountId: string;
  sessionId: string;
}

function tokenMaterial(deps: AppDeps): accounts.TokenMaterial {
  const refreshToken = newRefreshToken();
  const expires = new Date(Date.now() + deps.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  return { refreshToken, refreshTokenHash: hashRefreshToken(refreshToken), refreshExpiresAt: expires.toISOString() };
}

export async function issueSession(deps: AppDeps, make: (t: accounts.TokenMaterial) => Promise<accounts.SessionGrant>): Promise<IssuedSession> {
  const material = tokenMaterial(deps);
  const grant = await make(material);
  const access = await deps.tokens.signAccess(grant);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: material.refreshToken,
    accountId: grant.accountId,
    sessionId: grant.sessionId,
  };
}

/** A merchant signs up with a code sent to its email (which proves the address, and never goes to a registered one). */
export async function signUpMerchant(
  deps: AppDeps,
  input: Omit<accounts.SignUpMerchantData, 'passwordHash'> & { password: string; emailCode: string },
): Promise<IssuedSession> {
  const { password, emailCode, ...rest } = input;
  const codeId = await checkCode(deps.db, deps.vault, signUpCodeTarget(deps.vault, rest.email), emailCode);
  if (!codeId) throw badInput('emailCode', accounts.WRONG_CODE);
  const passwordHash = await hashPassword(password);
  return issueSession(deps, (t) => accounts.signUpMerchant(deps.db, { ...rest, passwordHash }, codeId, t));
}

/** Counts a failure against every limit given (failures past the limit are RATE_LIMITED later, not now). */
const countFailure = (limits: [RateLimiterAbstract, string][]) => Promise.all(limits.map(([limiter, key]) => consume(limiter, key).catch(() => undefined)));

/**
 * One answer for every failure, with the same argon2 work whether or not the login exists, so
 * sign-in never tells whether an account exists. `loginKey` names the person for the lock-out
 * (see phoneLoginKey/emailLoginKey), which invite claims share.
 */
export async function signIn(
  deps: AppDeps,
  attempt: { loginKey: string; ip: string; password: string },
  findLogin: () => Promise<{ accountId: string; passwordHash: string } | null>,
) {
  const { signInFailuresPerLogin: perLogin, signInFailuresPerIp: perIp } = deps.limits;
  await assertNotBlocked(perLogin, attempt.loginKey);
  await assertNotBlocked(perIp, attempt.ip);
  const login = await findLogin();
  const ok = await verifyPassword(login?.passwordHash ?? null, attempt.password);
  if (!login || !ok) {
    await countFailure([[perLogin, attempt.loginKey], [perIp, attempt.ip]]);
    throw unauthenticated('Wrong login or password.');
  }
  await perLogin.delete(attempt.loginKey);
  return issueSession(deps, (t) => accounts.startSession(deps.db, login.accountId, t));
}

const CLAIM_REFUSED = 'The invite, the SMS code or the password is not right. Check them, or ask for a new code.';

/**
 * A customer claims the record a merchant keeps, proving with a code sent to the phone on it that
 * they are that person. A phone that already has an account needs that account's password too,
 * and the claim shares sign-in's lock-out, so a locked account cannot get in this way.
 */
export async function claimCustomerInvite(deps: AppDeps, input: { code: string; phoneCode: string; password: string; ip: string }) {
  const { inviteClaimsPerIp: perIp, signInFailuresPerLogin: perLogin } = deps.limits;
  await assertNotBlocked(perIp, input.ip);
  let target: customers.ClaimTarget;
  try {
    target = await customers.findClaimTarget(deps.db, deps.vault, input.code.trim().toUpperCase());
  } catch (err) {
    if (err instanceof AppError) {
      await countFailure([[perIp, input.ip]]);
      throw unauthenticated(CLAIM_REFUSED);
    }
    throw err;
  }
  const loginKey = phoneLoginKey(target.phoneIndex);
  await assertNotBlocked(perLogin, loginKey);
  const codeId = await checkCode(deps.db, deps.vault, customers.claimCode(target), input.phoneCode);
  // Only the phone's holder gets past the code, so from here on an answer may say more.
  const passwordOk = codeId !== null && (!target.existing || (await verifyPassword(target.existing.passwordHash, input.password)));
  if (!codeId || !passwordOk) {
    await countFailure([[perIp, input.ip], [perLogin, loginKey]]);
    throw codeId
      ? new AppError('UNAUTHENTICATED', 'You already have an account with this phone: enter its password to add this shop.', { field: 'password' })
      : unauthenticated(CLAIM_REFUSED);
  }
  const passwordHash = target.existing ? target.existing.passwordHash : await hashPassword(input.password);
  const session = await issueSession(deps, (t) => customers.claimInvite(deps.db, target, codeId, passwordHash, t));
  await perLogin.delete(loginKey);
  return session;
}

export function refreshSession(deps: AppDeps, refreshToken: string): Promise<IssuedSession> {
  return issueSession(deps, (t) => accounts.rotateRefreshToken(deps.db, hashRefreshToken(refreshToken), t));
}

export function signOut(deps: AppDeps, refreshToken: string): Promise<void> {
  return accounts.signOut(deps.db, hashRefreshToken(refreshToken));
}

export async function addStaff(deps: AppDeps, ownerAccountId: string, input: Omit<accounts.AddStaffData, 'passwordHash'> & { password: string }) {
  const { password, ...rest } = input;
  return accounts.addStaff(deps.db, ownerAccountId, { ...rest, passwordHash: await hashPassword(password) });
}
