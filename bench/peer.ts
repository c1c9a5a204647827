// The peer baseline: what a plain GraphQL server gets for the feed scenario, to weigh our stack against
// a GraphQL server rather than against a REST route alone. A graphql-js schema written by hand
// (GraphQLObjectType and friends: no Pothos, no drizzle) served by graphql-yoga, with no
// authentication, authorization, limits or plugins. It answers the feed document
// (bench/documents.ts FEED) with ONE flat SQL statement per request: the raw-feed route's own
// prepared statement (bench/raw-server.ts passes it in), on the same engine. Its answer has the
// shape and size of our server's:
// - global IDs as Pothos' relay plugin encodes them: base64 of `Typename:id`;
// - `status` as Offer.status computes it (a PUBLISHED offer past endsAt reads EXPIRED; the statement
//   returns published, unexpired offers only);
// - `endsAt` through a DateTime scalar that serializes as ours does (an ISO string);
// - cursors as server/cursors.ts seals them: base64url(16-byte HMAC ‖ inner cursor), the inner cursor
//   being the row's ordering values as a JSON array (["<postedAt>","<placement id>"]), the HMAC over the
//   list (`Community.offers` and its non-paging arguments) and the cursor, with a fixed key here.
// It takes no `after` (paging on would need the statement to change) and at most 20 offers a page
// (the statement reads 21 rows: a page and whether there is another).
// `community(id)` runs no statement of its own: it answers its id and offers (not its name), and a
// community that does not exist has an empty feed.
import { createHash, createHmac } from 'node:crypto';
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLError,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  type GraphQLNullableType,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';

/** One feed row as the raw-feed statement returns it (merchant, communities and campaign as JSON text). */
export interface FeedRow {
  id: string;
  title: string;
  category: string;
  endsAt: string;
  merchant: string;
  communities: string;
  campaign: string | null;
  postedAt: string;
  placementId: string;
}
/** The raw-feed statement: one community's first 21 feed rows, newest first. */
export type FeedStatement = (communityId: string, now: string) => Promise<FeedRow[]>;

const PAGE = 20;
const MAC_BYTES = 16;
const CURSOR_KEY = createHash('sha256').update('bench peer cursors').digest();
/** The list the feed's cursors belong to, as server/cursors.ts names it (no arguments besides paging ones). */
const FEED_LIST = `Community.offers\u0000${JSON.stringify([])}`;

const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64');
function localId(typename: string, globalID: string): string | null {
  const decoded = Buffer.from(globalID, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && decoded.slice(0, colon) === typename ? decoded.slice(colon + 1) : null;
}
function sealCursor(cursor: string): string {
  const mac = createHmac('sha256', CURSOR_KEY).update(FEED_LIST).update('\u0000').update(cursor).digest().subarray(0, MAC_BYTES);
  return Buffer.concat([mac, Buffer.from(cursor, 'utf8')]).toString('base64url');
}

interface Named {
  id: string;
  name: string;
}
interface Titled {
  id: string;
  title: string;
}
/** An offer of the page: the row's JSON parsed once, and the time the page was read (for `status`). */
interface OfferNode {
  id: string;
  title: string;
  category: string;
  endsAt: string;
  merchant: Named;
  communities: Named[];
  campaign: Titled | null;
  readAt: string;
}
interface Context {
  feed: FeedStatement;
}

const nonNull = <T extends GraphQLNullableType>(type: T) => new GraphQLNonNull(type);
const idOf = (typename: string) => ({ type: nonNull(GraphQLID), resolve: (o: { id: string }) => globalId(typename, o.id) });

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value as string).toISOString()),
});
const OfferStatus = new GraphQLEnumType({
  name: 'OfferStatus',
  values: { DRAFT: {}, PUBLISHED: {}, HIDDEN: {}, WITHDRAWN: {}, EXPIRED: {} },
});
const Merchant = new GraphQLObjectType<Named>({ name: 'Merchant', fields: { id: idOf('Merchant'), name: { type: nonNull(GraphQLString) } } });
const Campaign = new GraphQLObjectType<Titled>({ name: 'Campaign', fields: { id: idOf('Campaign'), title: { type: nonNull(GraphQLString) } } });
const Offer: GraphQLObjectType<OfferNode> = new GraphQLObjectType<OfferNode>({
  name: 'Offer',
  fields: () => ({
    id: idOf('Offer'),
    title: { type: nonNull(GraphQLString) },
    category: { type: nonNull(GraphQLString) },
    endsAt: { type: nonNull(DateTime) },
    // The statement reads PUBLISHED offers only: past endsAt (read after the statement) one reads EXPIRED.
    status: { type: nonNull(OfferStatus), resolve: (o) => (o.endsAt <= o.readAt ? 'EXPIRED' : 'PUBLISHED') },
    merchant: { type: nonNull(Merchant) },
    communities: { type: nonNull(new GraphQLList(nonNull(Community))) },
    campaign: { type: Campaign },
  }),
});
const OfferEdge = new GraphQLObjectType({ name: 'OfferEdge', fields: { cursor: { type: nonNull(GraphQLString) }, node: { type: nonNull(Offer) } } });
const PageInfo = new GraphQLObjectType({
  name: 'PageInfo',
  fields: {
    hasNextPage: { type: nonNull(GraphQLBoolean) },
    hasPreviousPage: { type: nonNull(GraphQLBoolean) },
    startCursor: { type: GraphQLString },
    endCursor: { type: GraphQLString },
  },
});
const OfferConnection = new GraphQLObjectType({
  name: 'OfferConnection',
  fields: { edges: { type: nonNull(new GraphQLList(nonNull(OfferEdge))) }, pageInfo: { type: nonNull(PageInfo) } },
});
const Community: GraphQLObjectType<Named | { id: string }, Context> = new GraphQLObjectType<Named | { id: string }, Context>({
  name: 'Community',
  fields: () => ({
    id: idOf('Community'),
    name: { type: nonNull(GraphQLString) },
    offers: {
      type: nonNull(OfferConnection),
      description: 'Published, unexpired offers, newest first: one statement.',
      args: { first: { type: GraphQLInt } },
      resolve: async (community, args: { first?: number | null }, ctx) => {
        const first = args.first ?? PAGE;
        if (first < 0 || first > PAGE) throw new GraphQLError(`first must be between 0 and ${PAGE}.`, { extensions: { code: 'BAD_USER_INPUT' } });
        const readAt = new Date().toISOString();
        const rows = await ctx.feed(community.id, readAt);
        const edges = rows.slice(0, first).map((r) => ({
          cursor: sealCursor(JSON.stringify([r.postedAt, r.placementId])),
          node: {
            id: r.id,
            title: r.title,
            category: r.category,
            endsAt: r.endsAt,
            merchant: JSON.parse(r.merchant) as Named,
            communities: JSON.parse(r.communities) as Named[],
            campaign: r.campaign ? (JSON.parse(r.campaign) as Titled) : null,
            readAt,
          } satisfies OfferNode,
        }));
        return {
          edges,
          pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        };
      },
    },
  }),
});

export const peerSchema = new GraphQLSchema({
  query: new GraphQLObjectType<unknown, Context>({
    name: 'Query',
    fields: {
      community: {
        type: Community,
        args: { id: { type: nonNull(GraphQLID) } },
        resolve: (_root, args: { id: string }) => {
          const id = localId('Community', args.id);
          return id === null ? null : { id };
        },
      },
    },
  }),
});

/** The peer's Yoga server at /graphql, answering the feed with `feed` (mount it after express.json(), as our server does). */
export function peerYoga(feed: FeedStatement): YogaServerInstance<object, Context> {
  return createYoga<object, Context>({
    schema: peerSchema,
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    batching: false,
    logging: false,
    context: () => ({ feed }),
  });
}
