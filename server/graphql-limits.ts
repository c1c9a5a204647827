// Limits on what one GraphQL document may ask for. A rejected document runs no resolver: the
// size limits fail validation, the cost limit stops before execution, and messages never echo
// the limits (an attacker learns nothing to tune against).
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { Plugin } from '@envelop/core';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  getNamedType,
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
import type { Config } from './config.js';

/** A connection page the client did not size is the default page. */
const DEFAULT_PAGE = 20;

/**
 * The cost of a selection: every field costs 1, and a field that takes `first` multiplies the
 * cost of what it selects by the page size asked for (the default page when not given), so
 * nested pages multiply. Other list fields are bounded by the schema and count once.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
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
    const takesFirst = definition.args.some((a) => a.name === 'first');
    const firstArg = field.arguments?.find((a) => a.name.value === 'first');
    const first = firstArg ? Number(valueFromASTUntyped(firstArg.value, variables)) : DEFAULT_PAGE;
    const multiplier = takesFirst ? Math.max(1, Number.isFinite(first) ? first : DEFAULT_PAGE) : 1;
    return 1 + multiplier * child;
  };
  return costOf(operation.selectionSet, rootType);
}

const limitError = () => new GraphQLError('This request asks for too much at once. Ask for fewer items or fewer fields.', { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

function costLimit(maxCost: number): Plugin {
  // Queries and mutations are checked before execution, subscriptions before the stream starts.
  const check = ({ args, setResultAndStopExecution }: { args: ExecutionArgs; setResultAndStopExecution: (r: ExecutionResult) => void }) => {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    let operation: OperationDefinitionNode | undefined;
    for (const definition of args.document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
      if (definition.kind === Kind.OPERATION_DEFINITION && (!args.operationName || definition.name?.value === args.operationName)) operation ??= definition;
    }
    if (!operation) return;
    const cost = operationCost(args.schema, operation, fragments, (args.variableValues ?? {}) as Record<string, unknown>);
    if (cost > maxCost) setResultAndStopExecution({ errors: [limitError()] });
  };
  return {
    onExecute: (payload) => check(payload as never),
    onSubscribe: (payload) => check(payload as never),
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
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH, exposeLimits: false, errorMessage: limitError().message },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES, exposeLimits: false, errorMessage: limitError().message },
    maxDirectives: { n: config.GRAPHQL_MAX_DIRECTIVES, exposeLimits: false, errorMessage: limitError().message },
    maxTokens: { n: config.GRAPHQL_MAX_TOKENS, exposeLimits: false, errorMessage: limitError().message },
    // Our own cost rule (above) multiplies by page sizes; Armor's cannot.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: config.isProduction },
  });
  return [
    ...(armor.protect().plugins as Plugin[]),
    costLimit(config.GRAPHQL_MAX_COST),
    executionTimeout(config.GRAPHQL_EXECUTION_TIMEOUT_MS),
    ...(config.isProduction ? [noIntrospection] : []),
  ];
}
