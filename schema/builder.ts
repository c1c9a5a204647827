// The one SchemaBuilder: plugins, scope definitions and shared scalars. No domain types here.
import SchemaBuilder from '@pothos/core';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLError, isObjectType, type GraphQLResolveInfo } from 'graphql';
import { notFound } from '../db/errors.js';
import type { Context } from '../services/context.js';
import { viewerAccess } from './policies/access.js';
import './request-loaders.js';
import { checkRule, ruleOf } from './rules.js';

export interface AuthScopes {
  /** Anyone, signed in or not: used to say explicitly that a type is public. */
  public: boolean;
  authenticated: boolean;
  /** Owner or staff of a merchant. */
  merchantStaff: boolean;
  merchantOwner: boolean;
  customer: boolean;
  /** The viewer's merchant is an APPROVED or SUSPENDED member of the alliance (by alliance id). */
  allianceMember: string;
  /** The viewer is the OWNER account of a merchant that is an APPROVED OWNER or ADMIN of the alliance (staff never are). */
  allianceAdmin: string;
  /** The viewer (its merchant, or the customer account) is currently in the community. */
  communityMember: string;
  /** The viewer's merchant organises or accepted to take part in the campaign. */
  campaignParticipant: string;
}

export interface PothosTypes {
  Context: Context;
  AuthScopes: AuthScopes;
  Scalars: {
    DateTime: { Input: string; Output: string | Date };
    ID: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}

/** Connection pages: the size of a page asked for without `first`/`last`, and the most one page holds. */
export const PAGE_SIZE = { default: 20, max: 100 } as const;

// node(id) answers one way for every ID it cannot show: malformed, of a type that is not a node,
// of no row, or of a row the viewer may not see. A different answer for "not yours" would tell
// an outsider which IDs exist.
const nodeLookup = (info: GraphQLResolveInfo) => info.parentType.name === 'Query' && info.fieldName === 'node';
const isNodeType = (info: GraphQLResolveInfo, typename: string) => {
  const type = info.schema.getType(typename);
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');
};

const unauthorized = (ctx: Context, info: GraphQLResolveInfo) => {
  if (nodeLookup(info)) return notFound();
  return ctx.viewer
    ? new GraphQLError('You may not see or do this.', { extensions: { code: 'FORBIDDEN' } })
    : new GraphQLError('Sign in first.', { extensions: { code: 'UNAUTHENTICATED' } });
};

export const builder = new SchemaBuilder<PothosTypes>({
  plugins: [ScopeAuthPlugin, RelayPlugin, ValidationPlugin, 'rowRules', 'freshLoaders'],
  rowRules: { unauthorizedError: unauthorized },
  defaultFieldNullability: false,
  scopeAuth: {
    // Subscriptions are authorized when they start, not only when each event resolves.
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      public: true,
      authenticated: !!ctx.viewer,
      merchantStaff: !!ctx.viewer?.merchantId,
      merchantOwner: ctx.viewer?.staffRole === 'OWNER',
      customer: ctx.viewer?.kind === 'CUSTOMER',
      allianceMember: (allianceId) => viewerAccess(ctx).memberAllianceIds.has(allianceId),
      allianceAdmin: (allianceId) => viewerAccess(ctx).adminAllianceIds.has(allianceId),
      communityMember: (communityId) => viewerAccess(ctx).communityIds.has(communityId),
      campaignParticipant: (campaignId) => viewerAccess(ctx).campaignIds.has(campaignId),
    }),
    unauthorizedError: (_parent, ctx, info) => unauthorized(ctx, info),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    decodeGlobalID: (globalId) => {
      try {
        return decodeGlobalID(globalId);
      } catch {
        throw notFound();
      }
    },
    nodeQueryOptions: {
      nullable: true,
      resolve: async (_root, { id }, ctx, info, resolveNode) => {
        if (!isNodeType(info, id.typename)) throw notFound();
        const node = await resolveNode(id);
        if (node == null) throw notFound();
        // The rule of the type the ID names, as every other field answering that type checks it.
        const rule = ruleOf(builder, id.typename);
        return rule ? checkRule(rule, node, ctx, notFound) : node;
      },
    },
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
  },
  validation: {
    validationError: (result) => {
      const issue = result.issues[0];
      const field = issue?.path?.map((p) => (typeof p === 'object' ? p.key : p)).filter((p) => typeof p === 'string').at(-1);
      return new GraphQLError(issue?.message ?? 'Invalid input.', {
        extensions: { code: 'BAD_USER_INPUT', ...(field ? { field: String(field) } : {}) },
      });
    },
  },
});

/** UTC ISO-8601 timestamps; inputs with an offset are normalised to UTC. */
builder.scalarType('DateTime', {
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: (value) => {
    const iso = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
    const date = iso ? new Date(value as string) : null;
    if (!date || Number.isNaN(date.getTime())) {
      throw new GraphQLError('DateTime must be an ISO-8601 timestamp with a time zone, e.g. 2026-11-22T09:00:00Z.', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return date.toISOString();
  },
});

builder.queryType({});
builder.mutationType({});
