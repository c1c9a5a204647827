// Customer self-service rights: export, correction, erasure.
import { correctCustomerData, eraseCustomerData, exportCustomerData } from '../db/commands/rights.js';
import { WRONG_CODE } from '../db/commands/accounts.js';
import { changePhoneCodeTarget, checkCode } from '../db/commands/codes.js';
import { badInput } from '../db/errors.js';
import { builder } from './builder.js';
import { CustomerSelfRef } from './customer.js';
import { rowOf } from './loaders.js';
import { localId } from './policies/global-id.js';
import { name, oneTimeCode, phone, text } from './validators.js';

const CorrectMyDataInput = builder.inputType('CorrectMyDataInput', {
  fields: (t) => ({
    name: t.string({ validate: name.optional() }),
    phone: t.string({ validate: phone.optional() }),
    phoneCode: t.string({
      description: 'Required when phone changes: the code sent to the new phone (sendPhoneCode with CHANGE_PHONE).',
      validate: oneTimeCode.optional(),
    }),
    address: t.string({ validate: text(200).optional() }),
    wechat: t.string({ validate: text(60).optional() }),
  }),
});

builder.mutationFields((t) => ({
  exportMyData: t.string({
    description: 'A JSON document of everything the platform holds about the viewer (PIPL access & copy right).',
    authScopes: { customer: true },
    resolve: async (_root, _args, ctx) => JSON.stringify(await exportCustomerData(ctx.deps.db, ctx.deps.vault, ctx.viewer!), null, 2),
  }),
  correctMyData: t.field({
    type: CustomerSelfRef,
    authScopes: { customer: true },
    args: { input: t.arg({ type: CorrectMyDataInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const accountId = ctx.viewer!.accountId;
      let phoneChange: { phone: string; codeId: string } | undefined;
      if (input.phone != null) {
        // A new phone is where sign-in and future records go: only its holder may set it.
        if (!input.phoneCode) throw badInput('phoneCode', 'Enter the code sent to the new phone (ask for one first).');
        const codeId = await checkCode(ctx.deps.db, ctx.deps.vault, changePhoneCodeTarget(ctx.deps.vault, accountId, input.phone), input.phoneCode);
        if (!codeId) throw badInput('phoneCode', WRONG_CODE);
        phoneChange = { phone: input.phone, codeId };
      }
      await correctCustomerData(ctx.deps.db, ctx.deps.vault, accountId, {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.address !== undefined ? { address: input.address } : {}),
        ...(input.wechat !== undefined ? { wechat: input.wechat } : {}),
      }, phoneChange);
      return rowOf(ctx, 'accounts', accountId);
    },
  }),
  eraseMyData: t.field({
    type: CustomerSelfRef,
    description: "Erases the viewer's personal information at one merchant, or at all when merchantId is null; revokes grants.",
    authScopes: { customer: true },
    args: { merchantId: t.arg.id() },
    resolve: async (_root, args, ctx) => {
      await eraseCustomerData(ctx.deps.db, ctx.deps.vault, ctx.viewer!.accountId, args.merchantId ? localId('Merchant', args.merchantId) : null);
      return rowOf(ctx, 'accounts', ctx.viewer!.accountId);
    },
  }),
}));
