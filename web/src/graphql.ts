// The web app's GraphQL documents, typed from the schema (schema/schema.graphql) by gql.tada: each
// document's answer and variables are inferred from its text, so no page declares them by hand.
// `npm run codegen` writes the schema's types (src/graphql-env.d.ts); `npm run typecheck:web`
// runs it first and checks every document against the schema (gql.tada check). Fragments are
// declared @_unmask: a page reads their fields directly. The server counts a fragment spread as one
// level of its query depth limit (graphql-armor), so the lists nested deepest (a connection's nodes
// inside viewer or community) select their fields inline and take their types from the answer.
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; ID: string };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';

/** A type of the schema (an enum's values, an input object's fields) by its name. */
export type SchemaType<Name extends string> = ReturnType<typeof graphql.scalar<Name>>;

/** The type of each element of a list field. */
export type Item<List> = NonNullable<List> extends readonly (infer T)[] ? T : never;

/** The type of a connection's nodes. */
export type NodeOf<Connection> = Item<NonNullable<Connection> extends { edges: infer Edges } ? Edges : never> extends { node: infer Node } ? Node : never;
