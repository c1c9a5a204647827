// The baselines the GraphQL stack is measured against, in a process of their own:
// - an express route answering the feed scenario's data with one hand-written prepared statement
//   and JSON.stringify (no authentication, no authorization: the raw limit of express + SQLite);
// - a node:http hello world (the limit of the HTTP stack and the load generator).
// Usage: tsx bench/raw-server.ts <database> <express port> <hello port>
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import express from 'express';

const [dbPath, expressPort, helloPort] = process.argv.slice(2);
if (!dbPath || !expressPort || !helloPort) throw new Error('usage: raw-server.ts <database> <express port> <hello port>');

const db = new Database(dbPath, { readonly: true });
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

const app = express();
app.disable('x-powered-by');
app.get('/feed/:communityId', (req, res) => {
  const rows = feed.all(req.params.communityId, new Date().toISOString()) as Record<string, string>[];
  const page = rows.slice(0, 20).map((r) => ({
    cursor: `${r.postedAt}:${r.placementId}`,
    node: {
      id: r.id,
      title: r.title,
      category: r.category,
      endsAt: r.endsAt,
      merchant: JSON.parse(r.merchant!),
      communities: JSON.parse(r.communities!),
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
