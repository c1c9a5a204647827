// Connection cursors as clients see them: opaque, and signed for the list that made them.
//
// A list is a connection field's coordinate (`Merchant.customers`) with the arguments that choose
// and order its rows (a feed's category), paging arguments aside. Every cursor a connection answers
// (`edges[].cursor`, `pageInfo.startCursor` and `endCursor`) goes out as
// base64url(HMAC(key, list, cursor) ‖ cursor), and every `after` and `before` of a connection in a
// document (a literal or a variable) is checked against its own list before anything executes: a
// cursor from another list, from the same list under other arguments, or made up is BAD_USER_INPUT
// naming the argument, and no resolver runs. A cursor that verifies reaches the resolvers as the one the list wrote.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Plugin } from '@envelop/core';
import {
  defaultFieldResolver,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isObjectType,
  Kind,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';

type Variables = Record<string, unknown>;

const CURSOR_ARGUMENTS = new Set(['after', 'before']);
const PAGING_ARGUMENTS = new Set(['first', 'last', 'after', 'before']);
const MAC_BYTES = 16;
const FOREIGN = 'This cursor does not come from this list. Start again from the first page.';

/** A field that pages: it takes `after` and answers a type with `pageInfo`. */
function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(field.type);
  return field.args.some((a) => a.name === 'after') && isObjectType(type) && 'pageInfo' in type.getFields();
}

/** The list a connection field's cursors belong to: its coordinate and the arguments other than paging ones. */
function listOf(parentType: string, field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Variables): string {
  const args = Object.entries(getArgumentValues(field, node, variables)).filter(([name, value]) => !PAGING_ARGUMENTS.has(name) && value != null);
  return `${parentType}.${field.name}\u0000${JSON.stringify(args)}`;
}

const macOf = (key: Buffer, list: string, cursor: string) => createHmac('sha256', key).update(list).update('\u0000').update(cursor).digest().subarray(0, MAC_BYTES);

export function sealCursor(key: Buffer, list: string, cursor: string): string {
  return Buffer.concat([macOf(key, list, cursor), Buffer.from(cursor, 'utf8')]).toString('base64url');
}

/** The cursor inside a sealed one, or null when it was not sealed for this list with this key. */
export function openCursor(key: Buffer, list: string, sealed: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(sealed)) return null;
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length <= MAC_BYTES) return null;
  const cursor = bytes.subarray(MAC_BYTES).toString('utf8');
  return timingSafeEqual(macOf(key, list, cursor), bytes.subarray(0, MAC_BYTES)) ? cursor : null;
}

/**
 * The document with every connection's `after` and `before` opened to the cursor its list wrote
 * (as a literal), or the error for the first one that does not open. Only the operation that runs
 * and the fragments are read.
 */
function openedDocument(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, rawVariables: Variables, key: Buffer): DocumentNode | GraphQLError {
  const operation = getOperationAST(document, operationName);
  // No operation to run: execution answers that itself.
  if (!operation) return document;
  const { coerced: variables } = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  // Variables that do not coerce fail execution anyway.
  if (!variables) return document;
  const typeInfo = new TypeInfo(schema);
  let error: GraphQLError | undefined;
  const opened = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition: (node) => (node === operation ? undefined : false),
      Field(node) {
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (error || !field || !parent || !isConnection(field) || !node.arguments?.some((a) => CURSOR_ARGUMENTS.has(a.name.value))) return undefined;
        let list: string;
        try {
          list = listOf(parent.name, field, node, variables);
        } catch {
          // Arguments that do not coerce (in a fragment this operation does not use): execution decides.
          return undefined;
        }
        const args = node.arguments.map((argument) => {
          if (error || !CURSOR_ARGUMENTS.has(argument.name.value)) return argument;
          const value = valueFromASTUntyped(argument.value, variables);
          if (value == null) return argument;
          const cursor = typeof value === 'string' ? openCursor(key, list, value) : null;
          if (cursor === null) {
            error = new GraphQLError(FOREIGN, { extensions: { code: 'BAD_USER_INPUT', field: argument.name.value } });
            return argument;
          }
          return { ...argument, value: { kind: Kind.STRING, value: cursor } as const };
        });
        return { ...node, arguments: args };
      },
    }),
  );
  return error ?? opened;
}

/** The key each execution seals with, by its context (set by the plugin, read by the connections' resolvers). */
const sealingKeys = new WeakMap<object, Buffer>();
const SEALS = Symbol('seals cursors');

const then = <T, R>(value: T | Promise<T>, map: (value: T) => R): R | Promise<R> => (value instanceof Promise ? value.then(map) : map(value));

type Edge = { cursor?: string | null } | null | undefined;
type Page = { edges?: Edge[] | Promise<Edge[]> | null; pageInfo?: { startCursor?: string | null; endCursor?: string | null } | null } | null | undefined;

/** A connection's answer with its cursors sealed (copies: the rows a parent loaded stay as they were). */
function sealedPage(page: Page, seal: (cursor: string) => string): Page {
  if (page == null || typeof page !== 'object') return page;
  const sealOrKeep = (cursor: string | null | undefined) => (typeof cursor === 'string' ? seal(cursor) : cursor);
  const edges = page.edges == null ? page.edges : then(page.edges, (list) => list?.map((edge) => then(edge, (e) => (e == null ? e : { ...e, cursor: sealOrKeep(e.cursor) }))) as Edge[]);
  const pageInfo = page.pageInfo == null ? page.pageInfo : { ...page.pageInfo, startCursor: sealOrKeep(page.pageInfo.startCursor), endCursor: sealOrKeep(page.pageInfo.endCursor) };
  return { ...page, edges, pageInfo } as Page;
}

/**
 * Wraps every connection field's resolver once (the schema is shared by the servers of one process):
 * when the plugin has given the execution a key, the answer's cursors are sealed for its list.
 */
function sealConnections(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, object> & { [SEALS]?: true };
      if (!isConnection(field) || resolve[SEALS]) continue;
      const sealing: typeof resolve = (source, args, context, info) => {
        const answer = resolve(source, args, context, info) as Page | Promise<Page>;
        const key = sealingKeys.get(context);
        if (!key) return answer;
        const list = listOf(info.parentType.name, field, info.fieldNodes[0]!, info.variableValues);
        return then(answer, (page) => sealedPage(page, (cursor) => sealCursor(key, list, cursor)));
      };
      sealing[SEALS] = true;
      field.resolve = sealing;
    }
  }
}

/** The cursor key, derived from the PII key as the vault's keys are (a purpose of its own). */
export const cursorKeyOf = (piiKey: Buffer): Buffer => Buffer.from(hkdfSync('sha256', piiKey, Buffer.alloc(0), 'connection-cursor-v1', 32));

export function connectionCursors(piiKey: Buffer): Plugin {
  const key = cursorKeyOf(piiKey);
  // Checked when the hook runs, so a refused cursor stops before later plugins (an idempotency key's
  // claim) act; opened again on the document that finally executes (a replay rewrites it).
  const refused = (args: ExecutionArgs, stop: (result: ExecutionResult) => void) => {
    const opened = openedDocument(args.schema, args.document, args.operationName, (args.variableValues ?? {}) as Variables, key);
    if (opened instanceof GraphQLError) stop({ errors: [opened] });
    return opened instanceof GraphQLError;
  };
  const run = <R>(fn: (args: ExecutionArgs) => R) => (args: ExecutionArgs): R | ExecutionResult => {
    const opened = openedDocument(args.schema, args.document, args.operationName, (args.variableValues ?? {}) as Variables, key);
    if (opened instanceof GraphQLError) return { errors: [opened] };
    if (args.contextValue && typeof args.contextValue === 'object') sealingKeys.set(args.contextValue, key);
    return fn({ ...args, document: opened });
  };
  return {
    onSchemaChange: ({ schema }) => sealConnections(schema),
    onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      if (refused(args as ExecutionArgs, setResultAndStopExecution)) return;
      setExecuteFn(run(executeFn as (args: ExecutionArgs) => unknown) as typeof executeFn);
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn, setResultAndStopExecution }) {
      if (refused(args as ExecutionArgs, setResultAndStopExecution)) return;
      setSubscribeFn(run(subscribeFn as (args: ExecutionArgs) => unknown) as typeof subscribeFn);
    },
  };
}
