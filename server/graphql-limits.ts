// Limits on what one GraphQL document may ask for. A rejected document runs no resolver: the
// size limits fail parsing or validation, the page rules and the cost limit stop before execution,
// and messages never echo the limits (an attacker learns nothing to tune against).
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { Plugin } from '@envelop/core';
import {
  BREAK,
  GraphQLError,
  Kind,
  Lexer,
  NoSchemaIntrospectionCustomRule,
  Source,
  TokenKind,
  TypeInfo,
  getNamedType,
  getVariableValues,
  visit,
  visitWithTypeInfo,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type ExecutionArgs,
  type ExecutionResult,
  type OperationDefinitionNode,
  type SelectionSetNode,
  isCompositeType,
  valueFromASTUntyped,
} from 'graphql';
import { PAGE_SIZE } from '../schema/builder.js';
import type { Config } from './config.js';

type Variables = Record<string, unknown>;

/** An argument's value, from the document or its variables; undefined when not given. */
function argumentValue(field: FieldNode, name: string, variables: Variables): unknown {
  const argument = field.arguments?.find((a) => a.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, variables) : undefined;
}

/**
 * The rows a connection really fetches: the page asked for with `first` or `last` (the larger
 * when both are sent), the default page when neither is or both are null, never more than the
 * largest page.
 */
function pageSize(field: FieldNode, variables: Variables): number {
  const asked = ['first', 'last'].map((name) => argumentValue(field, name, variables)).filter((n): n is number => typeof n === 'number' && Number.isFinite(n));
  return Math.min(Math.max(1, asked.length ? Math.max(...asked) : PAGE_SIZE.default), PAGE_SIZE.max);
}

/**
 * The cost of a selection: every field costs 1, and a connection (a field that takes `first`)
 * multiplies the cost of what it selects by its page size, so nested pages multiply. Other list
 * fields are bounded by the schema and count once.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Variables,
): number {
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return 0;
  const visiting = new Set<string>();
  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        if (!fragment || visiting.has(fragment.name.value)) continue;
        visiting.add(fragment.name.value);
        const on = schema.getType(fragment.typeCondition.name.value);
        if (on && isCompositeType(on)) total += costOf(fragment.selectionSet, on);
        visiting.delete(fragment.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (on && isCompositeType(on)) total += costOf(selection.selectionSet, on);
      } else {
        total += fieldCost(selection, parent);
      }
    }
    return total;
  };
  const fieldCost = (field: FieldNode, parent: GraphQLCompositeType): number => {
    if (!('getFields' in parent)) return 1;
    const definition = parent.getFields()[field.name.value];
    if (!definition || !field.selectionSet) return 1;
    const named = getNamedType(definition.type);
    const child = isCompositeType(named) ? costOf(field.selectionSet, named) : 0;
    const isConnection = definition.args.some((a) => a.name === 'first');
    return 1 + (isConnection ? pageSize(field, variables) : 1) * child;
  };
  return costOf(operation.selectionSet, rootType);
}

const pageArgumentError = (field: string, message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });

/** The first connection argument of the operation that no page can be fetched for. */
function pageArgumentsError(schema: GraphQLSchema, definitions: (OperationDefinitionNode | FragmentDefinitionNode)[], variables: Variables): GraphQLError | undefined {
  const typeInfo = new TypeInfo(schema);
  let error: GraphQLError | undefined;
  const check = (field: FieldNode): GraphQLError | undefined => {
    const [first, last] = ['first', 'last'].map((name) => argumentValue(field, name, variables));
    for (const [name, size] of [['first', first], ['last', last]] as const) {
      if (typeof size === 'number' && size < 0) return pageArgumentError(name, `${name} must not be negative.`);
    }
    if (first != null && last != null) return pageArgumentError('last', 'Ask for a page with first or with last, not both.');
    return undefined;
  };
  for (const definition of definitions) {
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field(field) {
          if (!typeInfo.getFieldDef()?.args.some((a) => a.name === 'first')) return undefined;
          error ??= check(field);
          return error ? BREAK : undefined;
        },
      }),
    );
  }
  return error;
}

const limitError = () => new GraphQLError('This request asks for too much at once. Ask for fewer items or fewer fields.', { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/** Page sizes (cursors are checked where they are made: server/cursors.ts), then the cost. */
function pageRules(maxCost: number): Plugin {
  // Queries and mutations are checked before execution, subscriptions before the stream starts.
  const check = ({ args, setResultAndStopExecution }: { args: ExecutionArgs; setResultAndStopExecution: (r: ExecutionResult) => void }) => {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    let operation: OperationDefinitionNode | undefined;
    for (const definition of args.document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
      if (definition.kind === Kind.OPERATION_DEFINITION && (!args.operationName || definition.name?.value === args.operationName)) operation ??= definition;
    }
    if (!operation) return;
    // As execution will see them, defaults included; variables that do not coerce fail execution anyway.
    const { coerced: variables } = getVariableValues(args.schema, operation.variableDefinitions ?? [], (args.variableValues ?? {}) as Variables);
    if (!variables) return;
    const error =
      pageArgumentsError(args.schema, [operation, ...Object.values(fragments)], variables) ??
      (operationCost(args.schema, operation, fragments, variables) > maxCost ? limitError() : undefined);
    if (error) setResultAndStopExecution({ errors: [error] });
  };
  return {
    onExecute: (payload) => check(payload as never),
    onSubscribe: (payload) => check(payload as never),
  };
}

/**
 * The parser descends once per nested bracket, so a few thousand `[` overflow its stack before
 * the token limit is reached. The lexer does not recurse: brackets are counted before parsing.
 * Legitimate documents nest far less (the depth limit applies after parsing).
 */
const MAX_NESTING = 32;

function nestingLimit(maxTokens: number): Plugin {
  const opening = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
  const closing = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);
  const check = (source: string | Source) => {
    const lexer = new Lexer(typeof source === 'string' ? new Source(source) : source);
    let depth = 0;
    // Past the token limit the parser refuses the document itself, before it nests any deeper.
    for (let tokens = 0, token = lexer.advance(); token.kind !== TokenKind.EOF && tokens <= maxTokens; token = lexer.advance(), tokens++) {
      if (opening.has(token.kind) && ++depth > MAX_NESTING) throw limitError();
      if (closing.has(token.kind)) depth--;
    }
  };
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        check(source);
        return parseFn(source, options);
      });
    },
  };
}

/** Answers with an error once execution has run longer than the cap (SQLite work is short; this bounds the rest). */
function executionTimeout(ms: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise((resolve) => {
          timer = setTimeout(
            () => resolve({ errors: [new GraphQLError('The request took too long. Please try again.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] }),
            ms,
          );
        });
        return Promise.race([Promise.resolve(executeFn(args)), timeout]).finally(() => clearTimeout(timer)) as ReturnType<typeof executeFn>;
      });
    },
  };
}

/** Introspection is for development tools; in production the schema is not handed out. */
const noIntrospection: Plugin = {
  onValidate({ addValidationRule }) {
    addValidationRule(NoSchemaIntrospectionCustomRule);
  },
};

export function graphqlLimits(config: Config): Plugin[] {
  const armor = new EnvelopArmor({
    // Depth counts fields: a fragment, spread or inline, only names fields, so it adds no level
    // (a typed document's shared fragments, an idempotent replay's `... on Type`), while the fields
    // inside it count as if written out.
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH, flattenFragments: true, exposeLimits: false, errorMessage: limitError().message },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES, exposeLimits: false, errorMessage: limitError().message },
    maxDirectives: { n: config.GRAPHQL_MAX_DIRECTIVES, exposeLimits: false, errorMessage: limitError().message },
    maxTokens: { n: config.GRAPHQL_MAX_TOKENS, exposeLimits: false, errorMessage: limitError().message },
    // Our own cost rule (above) multiplies by page sizes; Armor's cannot.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: config.isProduction },
  });
  return [
    ...(armor.protect().plugins as Plugin[]),
    // After Armor's, so that it wraps Armor's token-counting parser.
    nestingLimit(config.GRAPHQL_MAX_TOKENS),
    pageRules(config.GRAPHQL_MAX_COST),
    executionTimeout(config.GRAPHQL_EXECUTION_TIMEOUT_MS),
    ...(config.isProduction ? [noIntrospection] : []),
  ];
}
