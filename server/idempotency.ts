// The Idempotency-Key header on mutations: a client that retries after a lost answer (a phone
// dropping off the network) gets the first result instead of creating the thing twice.
//
// What is kept is a result's identity, never its content: a node by its global id, an id, a
// boolean or an enum (a status) as it was. A replay reads everything else again, as a query of the
// kept nodes through node(id) with the caller's current rights: each type's rule and the vault apply
// (and log) as on any read, so a replay after a revocation, a demotion or an erasure answers what a
// fresh read answers. A result with no identity (a session's tokens, an export, a count) is not
// kept: its replay is a CONFLICT telling the client to read the current state.
import { createHash, randomBytes } from 'node:crypto';
import type { OnExecuteHookResult, Plugin } from '@envelop/core';
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  GraphQLError,
  isEnumType,
  isNonNullType,
  isObjectType,
  Kind,
  OperationTypeNode,
  print,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { claimKey, markKeyCommitted, settleKey } from '../db/commands/idempotency.js';
import { whileCommitting } from '../db/tx.js';
import type { Context } from '../services/context.js';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;

const NOT_KEPT = 'This request was already done, and this part of its answer is not kept. Read the current state instead.';

/** A root field's result as kept: a node by its global id, or a value that is an id, a boolean or an enum. */
type KeptRoot = { node: string } | { value: unknown };
/** What a key keeps: its results by response key (a root field without one returned what is never kept). */
interface Kept {
  roots: Record<string, KeptRoot>;
}

const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;
const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

/** How a root field's result is kept, by its type; null when it is not. */
function keptAs(mutation: GraphQLObjectType, field: FieldNode): 'node' | 'value' | null {
  const definition = mutation.getFields()[field.name.value];
  // __typename: the root type's name.
  if (!definition) return 'value';
  const type = getNullableType(definition.type);
  if (isObjectType(type)) return type.getInterfaces().some((i) => i.name === 'Node') ? 'node' : null;
  const named = getNamedType(type);
  return isEnumType(named) || named.name === 'ID' || named.name === 'Boolean' ? 'value' : null;
}

/**
 * The operation as `operation`, each root field replaced by `map`: fragments at the root become
 * inline fragments (directives kept), so @skip and @include choose the same fields as before.
 */
function mapRootFields(args: ExecutionArgs, op: OperationDefinitionNode, operation: OperationTypeNode, map: (field: FieldNode) => FieldNode): ExecutionArgs['document'] {
  const fragments = new Map(args.document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const mapSet = (set: SelectionSetNode): SelectionSetNode => ({
    kind: Kind.SELECTION_SET,
    selections: set.selections.map((s) =>
      s.kind === Kind.FIELD
        ? map(s)
        : { kind: Kind.INLINE_FRAGMENT, directives: s.directives, selectionSet: mapSet(s.kind === Kind.INLINE_FRAGMENT ? s.selectionSet : fragments.get(s.name.value)!) },
    ),
  });
  return {
    kind: Kind.DOCUMENT,
    definitions: [{ ...op, operation, selectionSet: mapSet(op.selectionSet) }, ...args.document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)],
  };
}

type ExecuteFn = (args: ExecutionArgs) => unknown;

/**
 * The first execution, with each node result's global id selected under a key of its own (the
 * client may not have asked for the id); the answer comes back without it, and the key keeps the
 * identities.
 */
function identifying(args: ExecutionArgs, op: OperationDefinitionNode) {
  const mutation = args.schema.getMutationType()!;
  const idKey = `_${randomBytes(8).toString('hex')}`;
  const fields = new Map<string, FieldNode>();
  const document = mapRootFields(args, op, OperationTypeNode.MUTATION, (field) => {
    fields.set(responseKey(field), field);
    if (keptAs(mutation, field) !== 'node') return field;
    const id: FieldNode = { kind: Kind.FIELD, alias: name(idKey), name: name('id') };
    return { ...field, selectionSet: { kind: Kind.SELECTION_SET, selections: [...field.selectionSet!.selections, id] } };
  });
  const split = (data: Record<string, unknown>) => {
    const kept: Kept = { roots: {} };
    const answer = Object.fromEntries(
      Object.entries(data).map(([key, value]) => {
        const as = keptAs(mutation, fields.get(key)!);
        if (as === 'node' && value !== null) {
          const { [idKey]: id, ...rest } = value as Record<string, unknown>;
          kept.roots[key] = { node: id as string };
          return [key, rest];
        }
        if (as) kept.roots[key] = { value };
        return [key, value];
      }),
    );
    return { answer, kept };
  };
  return { document, split };
}

/**
 * A replay: the operation as a query in which each kept node is `node(id)` with the field's own
 * selections, read with the caller's current rights; a kept value is answered as it was, and
 * anything not kept is null with a CONFLICT.
 */
async function replayed(execute: ExecuteFn, args: ExecutionArgs, op: OperationDefinitionNode, kept: Kept): Promise<ExecutionResult> {
  const mutation = args.schema.getMutationType()!;
  const fields = new Map<string, FieldNode>();
  const document = mapRootFields(args, op, OperationTypeNode.QUERY, (field) => {
    const key = responseKey(field);
    fields.set(key, field);
    const root = kept.roots[key];
    // A stand-in that @skip and @include treat as the field: its answer is set below.
    if (!root || !('node' in root)) return { kind: Kind.FIELD, alias: name(key), name: name('__typename'), directives: field.directives };
    const type = getNamedType(mutation.getFields()[field.name.value]!.type);
    return {
      kind: Kind.FIELD,
      alias: name(key),
      name: name('node'),
      arguments: [{ kind: Kind.ARGUMENT, name: name('id'), value: { kind: Kind.STRING, value: root.node } }],
      directives: field.directives,
      selectionSet: { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.INLINE_FRAGMENT, typeCondition: { kind: Kind.NAMED_TYPE, name: name(type.name) }, selectionSet: field.selectionSet! }] },
    };
  });
  const fresh = (await execute({ ...args, document })) as ExecutionResult;
  const errors = [...(fresh.errors ?? [])];
  let whole = true;
  const data = Object.fromEntries(
    Object.entries(fresh.data ?? {}).map(([key, value]) => {
      const root = kept.roots[key];
      if (!root) errors.push(new GraphQLError(NOT_KEPT, { path: [key], extensions: { code: 'CONFLICT' } }));
      const answer = !root ? null : 'node' in root ? value : root.value;
      // A null where the schema promises a value takes the whole answer with it, as in GraphQL.
      const type = mutation.getFields()[fields.get(key)!.name.value]?.type;
      if (answer === null && type && isNonNullType(type)) whole = false;
      return [key, answer];
    }),
  );
  return { data: whole ? data : null, ...(errors.length ? { errors } : {}) };
}

type ExecuteHook = NonNullable<Plugin<Context & { request?: Request }>['onExecute']>;
type ExecuteEvent = Parameters<ExecuteHook>[0];

/** `mask` is Yoga's error mask (server/http-errors.ts): what this plugin answers itself goes through it too. */
export function idempotencyPlugin(mask: (error: unknown) => GraphQLError): Plugin<Context & { request?: Request }> {
  return {
    // Synchronous until a mutation carries a key: an async hook would put every request on the
    // executor's promise path.
    onExecute(event) {
      const ctx = event.args.contextValue;
      const key = ctx.request?.headers.get('idempotency-key');
      if (!key) return;
      // The operation that runs: none (an ambiguous document) fails in execution, unkeyed.
      const op = getOperationAST(event.args.document, event.args.operationName);
      if (op?.operation !== OperationTypeNode.MUTATION) return;
      return keyedExecution(event, ctx, key, op, mask);
    },
  };
}

async function keyedExecution(
  { args, executeFn, setExecuteFn, setResultAndStopExecution }: ExecuteEvent,
  ctx: Context,
  key: string,
  op: OperationDefinitionNode,
  mask: (error: unknown) => GraphQLError,
): Promise<OnExecuteHookResult<Context & { request?: Request }> | void> {
  if (!KEY.test(key)) {
    setResultAndStopExecution({ errors: [new GraphQLError('Idempotency-Key must be 8-128 letters, digits or ._:-', { extensions: { code: 'BAD_USER_INPUT' } })] });
    return;
  }
  const accountId = ctx.viewer?.accountId ?? '';
  const requestHash = createHash('sha256')
    .update(print(args.document))
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
    // Stopping here skips the hooks after this one, Yoga's masking among them: mask it ourselves.
    setResultAndStopExecution({ errors: [mask(err)] });
    return;
  }
  // Sealed all the same: the ids kept still tell what the caller did.
  const aad = `idempotency:${accountId}:${key}`;
  if (claim.kind === 'replay') {
    // A result kept before only identities were (within the 24 hours after an upgrade) is not replayed.
    const kept: Kept = { roots: {}, ...(JSON.parse(ctx.deps.vault.openSecret(claim.response, aad)) as Partial<Kept>) };
    // Executed as a read, so that the hooks after this one (error masking, the time limit) see it as any other.
    setExecuteFn((executeArgs) => replayed(executeFn as ExecuteFn, executeArgs as ExecutionArgs, op, kept));
    return;
  }
  const first = identifying(args as ExecutionArgs, op);
  // The mutation's transaction records that it committed, so a retry after a crash knows whether
  // the work was done even when the answer was lost.
  setExecuteFn((executeArgs) => whileCommitting((tx) => markKeyCommitted(tx, accountId, key), () => executeFn({ ...executeArgs, document: first.document })));
  return {
    async onExecuteDone({ result, setResult }) {
      const single = result as ExecutionResult;
      const split = single.data ? first.split(single.data) : null;
      if (split) setResult({ ...single, data: split.answer });
      const kept = single.errors?.length || !split ? null : split.kept;
      await settleKey(ctx.deps.db, accountId, key, kept && ctx.deps.vault.sealSecret(JSON.stringify(kept), aad));
    },
  };
}
