// The web app's GraphQL documents, typed from the schema (schema/schema.graphql) by gql.tada: each
// document's answer and variables are inferred from its text, so no page declares them by hand.
// `npm run codegen` writes the schema's types (src/graphql-env.d.ts); `npm run typecheck:web`
// runs it first. Fragments are declared @_unmask: a page reads their fields directly.
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; ID: string };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';

/** A type of the schema (an enum's values, an input object's fields) by its name. */
export type SchemaType<Name extends string> = ReturnType<typeof graphql.scalar<Name>>;

/** The type of each element of a list (a connection's nodes, a list field). */
export type Item<List> = NonNullable<List> extends readonly (infer T)[] ? T : never;
