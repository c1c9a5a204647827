// Sign-up, sign-in, refresh and sign-out: passwords and tokens around the account commands.
import * as accounts from '../../db/commands/accounts.js';
import { unauthenticated } from '../../db/errors.js';
import type { AppDeps } from '../context.js';
import { assertNotBlocked, consume } from '../rate-limits.js';
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

export async function issueSession(deps: AppDeps, make: (t: accounts.TokenMaterial) => accounts.SessionGrant): Promise<IssuedSession> {
  const material = tokenMaterial(deps);
  const grant = make(material);
  const access = await deps.tokens.signAccess(grant);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: material.refreshToken,
    accountId: grant.accountId,
    sessionId: grant.sessionId,
  };
}

export async function signUpMerchant(
  deps: AppDeps,
  input: Omit<accounts.SignUpMerchantData, 'passwordHash'> & { password: string },
): Promise<IssuedSession> {
  const { password, ...rest } = input;
  const passwordHash = await hashPassword(password);
  return issueSession(deps, (t) => accounts.signUpMerchant(deps.db, { ...rest, passwordHash }, t));
}

/**
 * One answer for every failure, with the same argon2 work whether or not the login exists, so
 * sign-in never tells whether an account exists.
 */
export async function signIn(
  deps: AppDeps,
  attempt: { login: string; ip: string; password: string },
  findLogin: () => { accountId: string; passwordHash: string } | null,
) {
  const { signInFailuresPerLogin: perLogin, signInFailuresPerIp: perIp } = deps.limits;
  await assertNotBlocked(perLogin, attempt.login);
  await assertNotBlocked(perIp, attempt.ip);
  const login = findLogin();
  const ok = await verifyPassword(login?.passwordHash ?? null, attempt.password);
  if (!login || !ok) {
    await Promise.all([consume(perLogin, attempt.login).catch(() => undefined), consume(perIp, attempt.ip).catch(() => undefined)]);
    throw unauthenticated('Wrong login or password.');
  }
  await perLogin.delete(attempt.login);
  return issueSession(deps, (t) => accounts.startSession(deps.db, login.accountId, t));
}

export function refreshSession(deps: AppDeps, refreshToken: string): Promise<IssuedSession> {
  return issueSession(deps, (t) => accounts.rotateRefreshToken(deps.db, hashRefreshToken(refreshToken), t));
}

export function signOut(deps: AppDeps, refreshToken: string): void {
  accounts.signOut(deps.db, hashRefreshToken(refreshToken));
}

export async function addStaff(deps: AppDeps, ownerAccountId: string, input: Omit<accounts.AddStaffData, 'passwordHash'> & { password: string }) {
  const { password, ...rest } = input;
  return accounts.addStaff(deps.db, ownerAccountId, { ...rest, passwordHash: await hashPassword(password) });
}
