// The Idempotency-Key header on mutations: a client that retries after a lost answer (a phone
// dropping off the network) gets the first result instead of creating the thing twice.
import { createHash } from 'node:crypto';
import type { Plugin } from '@envelop/core';
import { GraphQLError, Kind, print, type DocumentNode, type ExecutionResult } from 'graphql';
import { claimKey, settleKey } from '../db/commands/idempotency.js';
import { AppError } from '../db/errors.js';
import type { Context } from './context.js';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export function idempotencyPlugin(): Plugin<Context & { request?: Request }> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue;
      const key = ctx.request?.headers.get('idempotency-key');
      const isMutation = (args.document as DocumentNode).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation');
      if (!key || !isMutation) return;
      if (!KEY.test(key)) {
        setResultAndStopExecution({ errors: [new GraphQLError('Idempotency-Key must be 8-128 letters, digits or ._:-', { extensions: { code: 'BAD_USER_INPUT' } })] });
        return;
      }
      const accountId = ctx.viewer?.accountId ?? '';
      const requestHash = createHash('sha256')
        .update(print(args.document as DocumentNode))
        .update('\u0000')
        .update(JSON.stringify(args.variableValues ?? {}))
        .update('\u0000')
        .update(args.operationName ?? '')
        .digest('hex');
      let claim;
      try {
        claim = claimKey(ctx.deps.db, accountId, key, requestHash);
      } catch (err) {
        const e = err as AppError;
        setResultAndStopExecution({ errors: [new GraphQLError(e.message, { extensions: { code: e.code } })] });
        return;
      }
      // Stored results may hold personal information (an added customer's phone): sealed like it.
      const aad = `idempotency:${accountId}:${key}`;
      if (claim.kind === 'replay') {
        setResultAndStopExecution(JSON.parse(ctx.deps.vault.openSecret(claim.response, aad)) as ExecutionResult);
        return;
      }
      return {
        onExecuteDone({ result }) {
          const single = result as ExecutionResult;
          settleKey(ctx.deps.db, accountId, key, single.errors?.length ? null : ctx.deps.vault.sealSecret(JSON.stringify({ data: single.data }), aad));
        },
      };
    },
  };
}
