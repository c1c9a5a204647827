// The baselines the GraphQL stack is measured against, in a process of their own:
// - an express route answering the feed scenario's data with one hand-written prepared statement
//   and JSON.stringify (no authentication, no authorization: the raw limit of express + the
//   database), on the same engine as the server: the SQLite file, or PostgreSQL at a postgres:// URL;
// - a node:http hello world (the limit of the HTTP stack and the load generator).
// Usage: tsx bench/raw-server.ts <database file or postgres:// URL> <express port> <hello port>
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import express from 'express';
import pg from 'pg';

const [database, expressPort, helloPort] = process.argv.slice(2);
if (!database || !expressPort || !helloPort) throw new Error('usage: raw-server.ts <database file or postgres:// URL> <express port> <hello port>');

interface FeedRow {
  id: string;
  title: string;
  category: string;
  endsAt: string;
  /** JSON text, parsed here on both engines. */
  merchant: string;
  communities: string;
  campaign: string | null;
  postedAt: string;
  placementId: string;
}

/** One community's first 21 feed rows, newest first: the same statement on both engines. */
function feedQuery(): (communityId: string, now: string) => Promise<FeedRow[]> {
  if (/^postgres(ql)?:\/\//.test(database!)) {
    // As many connections as the server's pool (DATABASE_POOL_SIZE's default); a named statement is
    // parsed and planned once per connection, as a prepared statement is.
    const pool = new pg.Pool({ connectionString: database, max: 10 });
    const text = `
      select o.id, o.title, o.category, o.ends_at as "endsAt",
             json_build_object('id', m.id, 'name', m.name)::text as merchant,
             (select coalesce(json_agg(json_build_object('id', c.id, 'name', c.name)), '[]')
                from offer_placements op join communities c on c.id = op.community_id
               where op.offer_id = o.id)::text as communities,
             case when k.id is null then null else json_build_object('id', k.id, 'title', k.title)::text end as campaign,
             p.posted_at as "postedAt", p.id as "placementId"
        from offer_placements p
        join offers o on o.id = p.offer_id
        join alliance_members am on am.alliance_id = p.alliance_id and am.merchant_id = p.merchant_id and am.status = 'APPROVED'
        join merchants m on m.id = o.merchant_id
        left join campaigns k on k.id = o.campaign_id
       where p.community_id = $1 and o.status = 'PUBLISHED' and o.ends_at > $2
       order by p.posted_at desc, p.id desc
       limit 21`;
    return async (communityId, now) => (await pool.query<FeedRow>({ name: 'feed', text, values: [communityId, now] })).rows;
  }
  const db = new Database(database!, { readonly: true });
  const feed = db.prepare(`
    select o.id, o.title, o.category, o.ends_at as endsAt,
           json_object('id', m.id, 'name', m.name) as merchant,
           (select json_group_array(json_object('id', c.id, 'name', c.name))
              from offer_placements op join communities c on c.id = op.community_id
             where op.offer_id = o.id) as communities,
           case when k.id is null then null else json_object('id', k.id, 'title', k.title) end as campaign,
           p.posted_at as postedAt, p.id as placementId
      from offer_placements p
      join offers o on o.id = p.offer_id
      join alliance_members am on am.alliance_id = p.alliance_id and am.merchant_id = p.merchant_id and am.status = 'APPROVED'
      join merchants m on m.id = o.merchant_id
      left join campaigns k on k.id = o.campaign_id
     where p.community_id = ? and o.status = 'PUBLISHED' and o.ends_at > ?
     order by p.posted_at desc, p.id desc
     limit 21`);
  return async (communityId, now) => feed.all(communityId, now) as FeedRow[];
}

const feed = feedQuery();
const app = express();
app.disable('x-powered-by');
app.get('/feed/:communityId', async (req, res) => {
  const rows = await feed(req.params.communityId, new Date().toISOString());
  const page = rows.slice(0, 20).map((r) => ({
    cursor: `${r.postedAt}:${r.placementId}`,
    node: {
      id: r.id,
      title: r.title,
      category: r.category,
      endsAt: r.endsAt,
      merchant: JSON.parse(r.merchant),
      communities: JSON.parse(r.communities),
      campaign: r.campaign ? JSON.parse(r.campaign) : null,
    },
  }));
  res.type('application/json').send(JSON.stringify({ edges: page, pageInfo: { hasNextPage: rows.length > 20, endCursor: page.at(-1)?.cursor ?? null } }));
});
app.listen(Number(expressPort), '127.0.0.1');

createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('hello world');
}).listen(Number(helloPort), '127.0.0.1');
