// Who may see an object is one rule per type (`rule` on the type), checked where objects are
// produced: every field whose type is a ruled object type (a root field, a relation, a connection's
// edge, a mutation's answer, a subscription's event) has its answer checked against the rule before
// anything of it is resolved. node(id) checks the rule of the type its ID names (schema/builder.ts).
// The check is in the resolvers, not in isTypeOf, so compiled execution (graphql-jit) keeps it.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type PothosOutputFieldType, type PothosTypeConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';

export type Rule<Shape, Context> = (row: Shape, ctx: Context) => boolean | Promise<boolean>;

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      rowRules: RowRulesPlugin<Types>;
    }
    export interface SchemaBuilderOptions<Types extends SchemaTypes> {
      rowRules?: {
        /** The error for an object the viewer may not see (the same one scope-auth answers). */
        unauthorizedError: (ctx: Types['Context'], info: GraphQLResolveInfo) => Error;
      };
    }
    export interface ObjectTypeOptions<Types extends SchemaTypes, Shape> {
      /** Whether the viewer may see this object: checked on every object a field answers with this type. */
      rule?: Rule<Shape, Types['Context']>;
    }
  }
}

const rules = new WeakMap<object, Map<string, Rule<unknown, unknown>>>();
const checkedFields = new WeakMap<object, Set<string>>();

/** The fields (`Type.field`) whose answers are checked against their type's rule: the guardrail test's evidence. */
export function fieldsCheckingRules(builder: object): ReadonlySet<string> {
  return checkedFields.get(builder) ?? new Set();
}

/** The rule of a type by name, for node(id), whose field type is the Node interface. */
export function ruleOf(builder: object, typename: string): Rule<unknown, unknown> | undefined {
  return rules.get(builder)?.get(typename);
}

const isPromise = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/** Checks one produced value (an object, or a list of them, possibly promised) against a rule. */
export function checkRule<Context>(rule: Rule<unknown, Context>, value: unknown, ctx: Context, fail: () => Error): unknown {
  if (isPromise(value)) return Promise.resolve(value).then((v) => checkRule(rule, v, ctx, fail));
  if (value == null) return value;
  if (Array.isArray(value)) {
    const checks = value.map((item) => checkRule(rule, item, ctx, fail));
    return checks.some(isPromise) ? Promise.all(checks) : checks;
  }
  const allowed = rule(value, ctx);
  if (isPromise(allowed)) {
    return Promise.resolve(allowed).then((ok) => {
      if (!ok) throw fail();
      return value;
    });
  }
  if (!allowed) throw fail();
  return value;
}

function namedRef<Types extends SchemaTypes>(type: PothosOutputFieldType<Types>): { kind: string; ref: unknown } {
  return type.kind === 'List' ? (type.type as { kind: string; ref: unknown }) : (type as { kind: string; ref: unknown });
}

export class RowRulesPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onTypeConfig(typeConfig: PothosTypeConfig): PothosTypeConfig {
    const rule = (typeConfig.pothosOptions as { rule?: Rule<unknown, unknown> }).rule;
    if (rule) {
      let byName = rules.get(this.builder);
      if (!byName) rules.set(this.builder, (byName = new Map()));
      byName.set(typeConfig.name, rule);
    }
    return typeConfig;
  }

  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const named = namedRef(fieldConfig.type);
    if (named.kind !== 'Object') return resolver;
    const typeConfig = this.buildCache.getTypeConfig(named.ref as never);
    const rule = (typeConfig.pothosOptions as { rule?: Rule<unknown, Types['Context']> }).rule;
    if (!rule) return resolver;
    const unauthorized = this.builder.options.rowRules?.unauthorizedError;
    if (!unauthorized) throw new Error('rowRules.unauthorizedError is not configured');
    let checked = checkedFields.get(this.builder);
    if (!checked) checkedFields.set(this.builder, (checked = new Set()));
    checked.add(`${fieldConfig.parentType}.${fieldConfig.name}`);
    return (parent, args, ctx, info) => checkRule(rule, resolver(parent, args, ctx, info), ctx, () => unauthorized(ctx, info));
  }
}

SchemaBuilder.registerPlugin('rowRules', RowRulesPlugin);
