// The request's loaders (schema/loaders.ts) remember the rows they read. A mutation changes rows,
// so each root mutation field starts with none remembered: what it answers, and every mutation after
// it in the same document, reads the database as it now is.
import SchemaBuilder, { BasePlugin, createContextCache, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type DataLoader from 'dataloader';
import type { GraphQLFieldResolver } from 'graphql';

export const loadersOf = createContextCache((_ctx: object) => new Map<string, DataLoader<unknown, unknown>>());

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      freshLoaders: FreshLoadersPlugin<Types>;
    }
  }
}

export class FreshLoadersPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (fieldConfig.kind !== 'Mutation') return resolver;
    return (parent, args, ctx, info) => {
      loadersOf(ctx).clear();
      return resolver(parent, args, ctx, info);
    };
  }
}

SchemaBuilder.registerPlugin('freshLoaders', FreshLoadersPlugin);
