import { encodeGlobalID } from '@pothos/plugin-relay';
import { findAccountLogin, findMerchantLogin } from '../db/commands/accounts.js';
import { loadViewerRow } from '../db/queries/accounts.js';
import { rowsByColumn } from '../db/queries/rows.js';
import { badInput, unauthenticated } from '../db/errors.js';
import { emailLoginKey, phoneLoginKey, sendSignUpCode, type CodeSent } from '../services/auth/codes.js';
import * as sessions from '../services/auth/sessions.js';
import { adoptViewer, type Context, type Viewer } from '../services/context.js';
import { AllianceRef } from './alliance.js';
import { builder } from './builder.js';
import { rowById } from './loaders.js';
import { MerchantRef } from './merchant.js';
import { accessOf } from './policies/access.js';
import { email, name, oneTimeCode, password, passwordAttempt, phoneOrNull, text } from './validators.js';

export const RoleEnum = builder.enumType('Role', {
  values: ['MERCHANT_OWNER', 'MERCHANT_STAFF', 'CUSTOMER', 'ALLIANCE_ADMIN'] as const,
});

export const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  // The signed-in account itself, or a staff account its merchant's owner manages (addStaff).
  rule: (v, ctx) =>
    (!!ctx.viewer && v.accountId === ctx.viewer.accountId) || (ctx.viewer?.staffRole === 'OWNER' && !!v.merchantId && v.merchantId === ctx.viewer.merchantId),
  fields: (t) => ({
    id: t.id({ resolve: (v) => encodeGlobalID('Account', v.accountId) }),
    displayName: t.exposeString('displayName'),
    roles: t.field({
      type: [RoleEnum],
      resolve: async (v, _args, ctx) => {
        if (v.kind === 'CUSTOMER') return ['CUSTOMER'] as const;
        const staff = v.staffRole === 'OWNER' ? 'MERCHANT_OWNER' : 'MERCHANT_STAFF';
        return (await accessOf(ctx, v)).adminAllianceIds.size > 0 ? ([staff, 'ALLIANCE_ADMIN'] as const) : ([staff] as const);
      },
    }),
    canViewContacts: t.exposeBoolean('canViewContacts', {
      description: 'Whether this account may read its merchant\'s customers\' contact details.',
    }),
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: 'The merchant this account works for (owner or staff).',
      resolve: (v, _args, ctx) => rowById(ctx, 'merchants', v.merchantId),
    }),
    adminOf: t.field({
      type: [AllianceRef],
      description: "Alliances in which this account's merchant is OWNER or ADMIN.",
      resolve: async (v, _args, ctx) => {
        const adminOf = (await accessOf(ctx, v)).adminAllianceIds;
        return adminOf.size ? rowsByColumn(ctx.deps.db, 'alliances', 'id', [...adminOf], { orderBy: [['name', 'asc'], ['id', 'asc']] }) : [];
      },
    }),
  }),
});

interface SessionShape {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  viewer: Viewer;
}

export const SessionRef = builder.objectRef<SessionShape>('Session').implement({
  // Issued to the account the request now acts as (toSession adopts it).
  rule: (s, ctx) => !!ctx.viewer && s.viewer.accountId === ctx.viewer.accountId,
  fields: (t) => ({
    accessToken: t.exposeString('accessToken'),
    refreshToken: t.exposeString('refreshToken'),
    accessTokenExpiresAt: t.expose('accessTokenExpiresAt', { type: 'DateTime' }),
    viewer: t.field({ type: ViewerRef, resolve: (s) => s.viewer }),
  }),
});

export const PhoneCodeSentRef = builder.objectRef<CodeSent>('PhoneCodeSent').implement({
  description: 'Answered the same whether or not the invite or phone is known.',
  // Tells nothing about anyone: answered alike to everyone.
  rule: () => true,
  fields: (t) => ({
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    resendAfter: t.exposeInt('resendAfter', { description: 'Seconds before another code may be sent.' }),
  }),
});

export async function toSession(ctx: Context, issued: sessions.IssuedSession): Promise<SessionShape> {
  const row = await loadViewerRow(ctx.deps.db, issued.accountId, issued.sessionId);
  if (!row) throw unauthenticated();
  const viewer = { ...row, sessionId: issued.sessionId };
  await adoptViewer(ctx, viewer);
  return { ...issued, viewer };
}

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerRef,
    nullable: true,
    description: 'Null for an anonymous request.',
    resolve: (_root, _args, ctx) => ctx.viewer,
  }),
}));

const SignUpMerchantInput = builder.inputType('SignUpMerchantInput', {
  fields: (t) => ({
    email: t.string({ required: true, validate: email }),
    password: t.string({ required: true, validate: password }),
    displayName: t.string({ required: true, validate: name }),
    merchantName: t.string({ required: true, validate: name }),
    emailCode: t.string({
      description: 'Required: the code sent to the email (sendSignUpCode). An address that already has an account gets a sign-in link instead.',
      validate: oneTimeCode.optional(),
    }),
    category: t.string({ required: true, validate: text(40) }),
    city: t.string({ required: true, validate: text(60) }),
  }),
});

const SignInInput = builder.inputType('SignInInput', {
  fields: (t) => ({
    login: t.string({
      required: true,
      description: 'Email for merchant staff, or phone (E.164 or Chinese mobile) for customers.',
      validate: text(254),
    }),
    password: t.string({ required: true, validate: passwordAttempt }),
  }),
});

const AddStaffInput = builder.inputType('AddStaffInput', {
  fields: (t) => ({
    email: t.string({ required: true, validate: email }),
    password: t.string({ required: true, validate: password }),
    displayName: t.string({ required: true, validate: name }),
    canViewContacts: t.boolean({
      required: true,
      description: "Whether this staff member may read the merchant's customers' contact details.",
    }),
  }),
});

builder.mutationFields((t) => ({
  signUpMerchant: t.field({
    type: SessionRef,
    args: { input: t.arg({ type: SignUpMerchantInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { emailCode, ...rest } = input;
      if (!emailCode) throw badInput('emailCode', 'Enter the code sent to your email (ask for one first).');
      return toSession(ctx, await sessions.signUpMerchant(ctx.deps, { ...rest, emailCode }));
    },
  }),
  sendSignUpCode: t.field({
    type: PhoneCodeSentRef,
    description: 'Sends a sign-up code to the email. Answered the same whether or not the address has an account (that one gets a sign-in link).',
    args: { email: t.arg.string({ required: true, validate: email }) },
    resolve: (_root, args, ctx) => sendSignUpCode(ctx.deps, ctx.ip, args.email),
  }),
  signIn: t.field({
    type: SessionRef,
    args: { input: t.arg({ type: SignInInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      // Customers sign in with their phone (found through the vault's blind index), staff with email.
      const phoneLogin = phoneOrNull(input.login);
      const emailLogin = input.login.trim().toLowerCase();
      const loginKey = phoneLogin ? phoneLoginKey(ctx.deps.vault.phoneIndex(phoneLogin)) : emailLoginKey(emailLogin);
      const find = phoneLogin
        ? async () => findAccountLogin(ctx.deps.db, await ctx.deps.vault.accountForPhone(phoneLogin))
        : async () => findMerchantLogin(ctx.deps.db, emailLogin);
      return toSession(ctx, await sessions.signIn(ctx.deps, { loginKey, ip: ctx.ip, password: input.password }, find));
    },
  }),
  refreshSession: t.field({
    type: SessionRef,
    args: { refreshToken: t.arg.string({ required: true, validate: text(200) }) },
    resolve: async (_root, args, ctx) => toSession(ctx, await sessions.refreshSession(ctx.deps, args.refreshToken)),
  }),
  signOut: t.boolean({
    args: { refreshToken: t.arg.string({ required: true, validate: text(200) }) },
    resolve: async (_root, args, ctx) => {
      await sessions.signOut(ctx.deps, args.refreshToken);
      return true;
    },
  }),
  addStaff: t.field({
    type: ViewerRef,
    authScopes: { merchantOwner: true },
    args: { input: t.arg({ type: AddStaffInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { accountId } = await sessions.addStaff(ctx.deps, ctx.viewer!.accountId, input);
      const staff: Viewer = {
        accountId,
        sessionId: '',
        kind: 'MERCHANT',
        displayName: input.displayName,
        tokenVersion: 0,
        merchantId: ctx.viewer!.merchantId,
        staffRole: 'STAFF',
        canViewContacts: input.canViewContacts,
      };
      return staff;
    },
  }),
}));
