// The community feed page, the request the platform serves most, answered by statements prepared
// once per database. Building the planned query (a ~5 KB statement with JSON aggregation) and
// compiling it costs several times running it, so when a document asks for a community and its
// feed page and nothing more than the prepared statements load, the resolver runs them instead:
// the page of placements (a relational query filtered by listedPlacementWhere itself), then the
// cards of its offers by id (db/queries/feed.ts). Anything else (another relation, counts, paging
// backwards, fragments) takes the planned query. Both paths apply the same rules: nested
// communities and campaigns pass the predicates their planned filters are written beside, and
// every object still runs its type's scopes when it resolves.
import { decodeBase64, decodeCursorChunk } from '@pothos/core';
import { sql } from 'drizzle-orm';
import { getArgumentValues, getNamedType, isObjectType, Kind, type FieldNode, type GraphQLResolveInfo } from 'graphql';
import type { Db } from '../db/client.js';
import { FEED_CARD_SELECTION, feedCards, type FeedCard } from '../db/queries/feed.js';
import { preparedPer, statementName } from '../db/queries/prepared.js';
import { nowIso } from '../db/ids.js';
import type { Context } from '../server/context.js';
import { viewerAccess, type ViewerAccess } from './policies/access.js';
import { campaignVisibleWhere, canSeeCampaign } from './policies/campaigns.js';
import { canSeeCommunity, communityVisibleWhere } from './policies/communities.js';
import { ownInterestWhere } from './policies/customers.js';
import { listedPlacementWhere } from './policies/offers.js';

const p = sql.placeholder;

/** A feed page's placements for each combination of the optional filters, newest first; their offers load as cards. */
function preparePage(db: Db, category: boolean, after: boolean) {
  const keyset = { OR: [{ postedAt: { lt: p('postedAt') } }, { AND: [{ postedAt: { eq: p('postedAt') } }, { id: { lt: p('id') } }] }] };
  return db.query.offerPlacements
    .findMany({
      where: { AND: [{ communityId: p('community') }, listedPlacementWhere(p('now'), category ? p('category') : null), ...(after ? [keyset] : [])] },
      orderBy: { postedAt: 'desc', id: 'desc' },
      limit: p('limit'),
    })
    .prepare(...statementName(`feed_page${category ? '_category' : ''}${after ? '_after' : ''}`));
}

const statements = preparedPer((db) => ({
  community: db.query.communities.findFirst({ where: { id: p('id') } }).prepare(...statementName('feed_community')),
  pages: [preparePage(db, false, false), preparePage(db, false, true), preparePage(db, true, false), preparePage(db, true, true)],
}));

/**
 * The parts of a relational query config this module compares: what a plan asks for, and what
 * the prepared page loads.
 */
interface Planned {
  columns?: Record<string, unknown>;
  where?: unknown;
  orderBy?: unknown;
  limit?: unknown;
  offset?: unknown;
  extras?: Record<string, unknown>;
  with?: Record<string, Planned | true>;
}
interface Loads {
  columns?: Record<string, unknown>;
  orderBy?: Record<string, string>;
  with?: Record<string, Loads>;
  limit?: number;
  /**
   * The filter the planned query puts on this relation, and the same rule as the predicate the
   * prepared path applies to what it loaded (none where the statement applies it itself).
   */
  filter?: { where: (ctx: Context) => unknown; keep?: (access: ViewerAccess, row: never) => boolean };
}

const cardLoads = FEED_CARD_SELECTION as Loads;
const { communities: communityLoads, campaign: campaignLoads, interests: interestLoads } = cardLoads.with!;
/** The offer's card: communities and campaigns the viewer may see, and the reader's own interest (loaded for them alone). */
const OFFER_LOADS: Loads = {
  ...cardLoads,
  with: {
    ...cardLoads.with,
    communities: { ...communityLoads, filter: { where: (ctx) => communityVisibleWhere(viewerAccess(ctx)), keep: canSeeCommunity } },
    campaign: { ...campaignLoads, filter: { where: (ctx) => campaignVisibleWhere(viewerAccess(ctx)), keep: canSeeCampaign } },
    interests: { ...interestLoads, filter: { where: (ctx) => ownInterestWhere(ctx.viewer) }, limit: 1 },
  },
};
/** A placement of the page, every column: the page itself is filtered, ordered and sized as its statement is. */
const PLACEMENT_LOADS: Loads = { with: { offer: OFFER_LOADS } };

/** Equal as JSON; a value that does not serialise is never equal. */
function sameJson(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  } catch {
    return false;
  }
}

/** Whether the prepared statements load every column, relation and extra `planned` asks for on a row. */
function coversRow(ctx: Context, loads: Loads, planned: Planned): boolean {
  // A plan without columns asks for every column.
  if (planned.columns ? Object.keys(planned.columns).some((c) => !loads.columns?.[c]) : !!loads.columns) return false;
  if (planned.extras && Object.keys(planned.extras).length > 0) return false;
  return Object.entries(planned.with ?? {}).every(([key, nested]) => !!loads.with?.[key] && covers(ctx, loads.with[key]!, nested));
}

/** coversRow for a nested relation, which must also be filtered, ordered and limited exactly as the prepared path does. */
function covers(ctx: Context, loads: Loads, planned: Planned | true): boolean {
  if (planned === true) return !loads.columns && !loads.filter && loads.limit === undefined;
  if (planned.offset !== undefined || planned.limit !== loads.limit) return false;
  if (!sameJson(planned.where, loads.filter?.where(ctx))) return false;
  if (planned.orderBy !== undefined && !sameJson(planned.orderBy, loads.orderBy)) return false;
  return coversRow(ctx, loads, planned);
}

/** The feed arguments the prepared statements apply; any other (paging backwards, one added later) takes the planned query. */
const PREPARED_ARGS = new Set(['first', 'after', 'category']);
type FeedArgs = { first?: number | null; after?: string | null; category?: string | null };

/** The arguments of the one plain `offers` selection beneath the community field, or null when there is none or they are not all PREPARED_ARGS. */
function offersArgs(info: GraphQLResolveInfo): FeedArgs | null {
  const communityType = getNamedType(info.returnType);
  if (!isObjectType(communityType)) return null;
  const nodes: FieldNode[] = [];
  for (const node of info.fieldNodes) {
    for (const selection of node.selectionSet?.selections ?? []) {
      if (selection.kind !== Kind.FIELD) return null;
      if (selection.name.value === 'offers') nodes.push(selection);
    }
  }
  if (nodes.length !== 1 || nodes[0]!.directives?.length) return null;
  const args = getArgumentValues(communityType.getFields().offers!, nodes[0]!, info.variableValues);
  return Object.entries(args).every(([name, value]) => value == null || PREPARED_ARGS.has(name)) ? (args as FeedArgs) : null;
}

/** The position an `after` cursor of this feed encodes (posted at, placement id), or null for any other cursor. */
function afterPosition(cursor: string): { postedAt: string; id: string } | null {
  try {
    const decoded = decodeBase64(cursor);
    if (!decoded.startsWith('DC:')) return null;
    const position = decodeCursorChunk(decoded.slice(3));
    if (!Array.isArray(position) || position.length !== 2 || !position.every((v) => typeof v === 'string')) return null;
    return { postedAt: position[0] as string, id: position[1] as string };
  } catch {
    return null;
  }
}

/** The card with the rows of its filtered relations that the viewer may see, as the planned query filters them in SQL. */
function visibleTo(access: ViewerAccess, card: FeedCard): FeedCard {
  const row = card as unknown as Record<string, unknown>;
  for (const [key, loads] of Object.entries(OFFER_LOADS.with!)) {
    const keep = loads.filter?.keep;
    const value = row[key];
    if (!keep || value == null) continue;
    const visible = (r: unknown) => keep(access, r as never);
    row[key] = Array.isArray(value) ? value.filter(visible) : visible(value) ? value : null;
  }
  return card;
}

/**
 * The community `id` with its feed page loaded as `planned` (the community field's planned query)
 * would load it, or undefined when the planned query asks for more than the prepared statements
 * load (the caller runs it then). Null when the viewer may not see the community.
 */
export async function communityWithFeedPage(ctx: Context, info: GraphQLResolveInfo, id: string, planned: Planned) {
  const page = planned.with?.placements;
  if (!page || page === true || Object.keys(planned.with!).length !== 1 || Object.keys(planned.extras ?? {}).length) return undefined;
  if (!coversRow(ctx, PLACEMENT_LOADS, page)) return undefined;
  if (!sameJson(page.orderBy, { postedAt: 'desc', id: 'desc' }) || typeof page.limit !== 'number' || page.offset !== undefined) return undefined;
  const args = offersArgs(info);
  if (!args) return undefined;
  const after = args.after == null ? null : afterPosition(args.after);
  if (args.after != null && !after) return undefined;

  const prepared = statements(ctx.deps.db);
  const access = viewerAccess(ctx);
  const community = await prepared.community.execute({ id });
  if (!community || !canSeeCommunity(access, community)) return null;
  const statement = prepared.pages[(args.category ? 2 : 0) + (after ? 1 : 0)]!;
  const placements = await statement.execute({ community: id, now: nowIso(), category: args.category, limit: page.limit, ...after });
  // The reader's interests load only when the document asks whether they are interested.
  const offerPlan = page.with?.offer;
  const reader = offerPlan && offerPlan !== true && offerPlan.with?.interests ? (ctx.viewer?.accountId ?? null) : null;
  const cards = await feedCards(ctx.deps.db, placements.map((placement) => placement.offerId), reader);
  // An offer deleted between the two reads has no card: the page leaves it out.
  const listed = placements.filter((placement) => cards.has(placement.offerId));
  return { ...community, placements: listed.map((placement) => ({ ...placement, offer: visibleTo(access, cards.get(placement.offerId)!) })) };
}
