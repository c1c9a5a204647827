// The Idempotency-Key header on mutations: a client that retries after a lost answer (a phone
// dropping off the network) gets the first result instead of creating the thing twice.
import { createHash } from 'node:crypto';
import type { OnExecuteHookResult, Plugin } from '@envelop/core';
import {
  getOperationAST,
  GraphQLError,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  print,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { claimKey, markKeyCommitted, settleKey } from '../db/commands/idempotency.js';
import { whileCommitting } from '../db/tx.js';
import { AppError } from '../db/errors.js';
import type { Context } from './context.js';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * A field whose value is personal information read through the vault (marked PERSONAL where it is
 * defined). A kept result never holds one: a replay would hand it out unlogged, after a revocation
 * or an erasure. The client reads it again (through the vault, which logs and checks the right).
 */
const isPersonal = (field: { extensions?: Readonly<Record<string, unknown>> | null }) => field.extensions?.personal === true;

/** A null in a non-null position: the nearest nullable parent becomes null (GraphQL's null bubbling). */
const GONE = Symbol('null in a non-null position');

/** What a replay answers: the first result's data without personal information; `incomplete` when a non-null parent went with it. */
interface Kept {
  data: Record<string, unknown> | null;
  incomplete?: true;
}

function withoutPersonal(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, data: Record<string, unknown>): Kept {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  let bubbled = false;
  const keep = (type: GraphQLOutputType, value: unknown, selections: SelectionSetNode | undefined): unknown => {
    if (isNonNullType(type)) {
      const inner = keep(type.ofType, value, selections);
      return inner === null || inner === GONE ? GONE : inner;
    }
    if (value == null) return null;
    const kept = isListType(type)
      ? (value as unknown[]).map((item) => keep(type.ofType, item, selections))
      : isObjectType(type) && selections
        ? keepFields(type, value as Record<string, unknown>, selections)
        : value;
    if (kept !== GONE && !(Array.isArray(kept) && kept.includes(GONE))) return kept;
    bubbled = true;
    return null;
  };
  const keepFields = (type: GraphQLObjectType, value: Record<string, unknown>, selections: SelectionSetNode): Record<string, unknown> | typeof GONE => {
    const out = { ...value };
    const walk = (set: SelectionSetNode): boolean =>
      set.selections.every((s) => {
        if (s.kind !== Kind.FIELD) return walk(s.kind === Kind.INLINE_FRAGMENT ? s.selectionSet : fragments.get(s.name.value)!);
        const key = s.alias?.value ?? s.name.value;
        const field = type.getFields()[s.name.value];
        // __typename, or a field that @skip left out.
        if (!field || !(key in out)) return true;
        const kept = keep(field.type, isPersonal(field) ? null : out[key], s.selectionSet);
        out[key] = kept;
        return kept !== GONE;
      });
    return walk(selections) ? out : GONE;
  };
  const kept = keepFields(schema.getMutationType()!, data, getOperationAST(document, operationName)!.selectionSet);
  return kept === GONE ? { data: null, incomplete: true } : bubbled ? { data: kept, incomplete: true } : { data: kept };
}

function replay(kept: Kept): ExecutionResult {
  // A null where the schema promises a value comes with an error, as GraphQL's own would.
  const errors = kept.incomplete ? [new GraphQLError('This request was already done; the personal information it returned is not kept. Read it again.', { extensions: { code: 'CONFLICT' } })] : undefined;
  return { data: kept.data, ...(errors ? { errors } : {}) };
}

type ExecuteHook = NonNullable<Plugin<Context & { request?: Request }>['onExecute']>;
type ExecuteEvent = Parameters<ExecuteHook>[0];

export function idempotencyPlugin(): Plugin<Context & { request?: Request }> {
  return {
    // Synchronous until a mutation carries a key: an async hook would put every request on the
    // executor's promise path.
    onExecute(event) {
      const ctx = event.args.contextValue;
      const key = ctx.request?.headers.get('idempotency-key');
      const isMutation = (event.args.document as DocumentNode).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation');
      if (!key || !isMutation) return;
      return keyedExecution(event, ctx, key);
    },
  };
}

async function keyedExecution({ args, executeFn, setExecuteFn, setResultAndStopExecution }: ExecuteEvent, ctx: Context, key: string): Promise<OnExecuteHookResult<Context & { request?: Request }> | void> {
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
    // A claim outlives the longest execution before another process may take it over.
    claim = await claimKey(ctx.deps.db, accountId, key, requestHash, Math.max(60_000, 3 * ctx.deps.config.GRAPHQL_EXECUTION_TIMEOUT_MS));
  } catch (err) {
    const e = err as AppError;
    setResultAndStopExecution({ errors: [new GraphQLError(e.message, { extensions: { code: e.code } })] });
    return;
  }
  // Sealed all the same: a kept result still tells what the caller did.
  const aad = `idempotency:${accountId}:${key}`;
  if (claim.kind === 'replay') {
    setResultAndStopExecution(replay(JSON.parse(ctx.deps.vault.openSecret(claim.response, aad)) as Kept));
    return;
  }
  // The mutation's transaction records that it committed, so a retry after a crash knows whether
  // the work was done even when the answer was lost.
  setExecuteFn((executeArgs) => whileCommitting((tx) => markKeyCommitted(tx, accountId, key), () => executeFn(executeArgs)));
  return {
    async onExecuteDone({ result }) {
      const single = result as ExecutionResult;
      const kept = single.errors?.length || !single.data ? null : withoutPersonal(args.schema, args.document as DocumentNode, args.operationName, single.data);
      await settleKey(ctx.deps.db, accountId, key, kept && ctx.deps.vault.sealSecret(JSON.stringify(kept), aad));
    },
  };
}
