// The baselines the GraphQL stack is measured against, in a process of their own:
// - an express route answering the feed scenario's data with one hand-written prepared statement
//   and JSON.stringify (no authentication, no authorization: the raw limit of express + the
//   database), on the same engine as the server: the SQLite file, or PostgreSQL at a postgres:// URL;
// - the write scenario's database writes with hand-written SQL, one transaction a request:
//   POST /referrals asks for a referral on an interest (the request row and its CREATED event),
//   POST /referrals/:id/answer accepts it (status, granted fields, the contact grant, the ACCEPTED
//   event) or declines it (status, the DECLINED event); no authentication, consent caps or
//   partnership checks, no notification;
// - the peer (bench/peer.ts): a graphql-js schema written by hand, served by graphql-yoga at /graphql
//   on the express port, answering the feed document with the raw-feed route's statement (the same
//   prepared statement, and on PostgreSQL the same pool), in the response shape of our server;
// - a node:http hello world (the limit of the HTTP stack and the load generator).
// Usage: tsx bench/raw-server.ts <database file or postgres:// URL> <express port> <hello port>
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import express from 'express';
import pg from 'pg';
import { newId } from '../db/ids.js';
import { peerYoga, type FeedRow, type FeedStatement } from './peer.js';

const [database, expressPort, helloPort] = process.argv.slice(2);
if (!database || !expressPort || !helloPort) throw new Error('usage: raw-server.ts <database file or postgres:// URL> <express port> <hello port>');

/** One community's first 21 feed rows, newest first: the same statement on both engines. */
function feedQuery(): FeedStatement {
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

const REQUEST_TTL_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;

interface Ask {
  interestId: string;
  purpose: string;
  fields: string[];
  retentionDays: number;
}
/** What a write answers: the request's id and new status, or null when there is none to write (no interest, not pending). */
type Written = { id: string; status: string } | null;

interface InterestRow {
  customerId: string;
  originMerchantId: string;
  offerId: string;
  merchantId: string;
  noticeId: string | null;
  noticeVersion: number | null;
}
interface PendingRow {
  status: string;
  requesterMerchantId: string;
  customerId: string;
  requestedFields: string;
  retentionDays: number;
  expiresAt: string;
}

// The same statements on both engines ($n placeholders in order, ? on SQLite): the interest with its offer's
// merchant and that merchant's current privacy notice, the request row, its event, the answer.
const SQL = {
  interest: `select i.customer_id as "customerId", i.origin_merchant_id as "originMerchantId", o.id as "offerId", o.merchant_id as "merchantId",
                    n.id as "noticeId", n.version as "noticeVersion"
               from interests i join offers o on o.id = i.offer_id
               left join privacy_notices n on n.id = (select id from privacy_notices where merchant_id = o.merchant_id order by version desc limit 1)
              where i.id = $1`,
  insertRequest: `insert into referral_requests (id, status, requester_merchant_id, origin_merchant_id, customer_id, initiated_by, interest_id, offer_id, purpose,
                    requested_fields, granted_fields, retention_days, message, requester_notice_id, requester_notice_version, created_at, expires_at)
                  values ($1, 'PENDING', $2, $3, $4, 'REQUESTER', $5, $6, $7, $8, '[]', $9, null, $10, $11, $12, $13)`,
  insertEvent: `insert into referral_events (id, referral_id, kind, created_at) values ($1, $2, $3, $4)`,
  request: `select status, requester_merchant_id as "requesterMerchantId", customer_id as "customerId", requested_fields as "requestedFields",
                   retention_days as "retentionDays", expires_at as "expiresAt"
              from referral_requests where id = $1`,
  accept: `update referral_requests set status = 'ACCEPTED', granted_fields = $1, decided_at = $2, consent_receipt = null where id = $3`,
  decline: `update referral_requests set status = 'DECLINED', decided_at = $1 where id = $2`,
  insertGrant: `insert into contact_grants (id, referral_id, merchant_id, customer_id, fields, granted_at, valid_until) values ($1, $2, $3, $4, $5, $6, $7)`,
};
type Statement = keyof typeof SQL;
/** Runs one statement: its rows (reads) or nothing (writes). */
type Run = <T>(name: Statement, values: unknown[]) => Promise<T[]>;

/** The two writes, given a way to run a function in one transaction with a statement runner. */
function writeCommands(transaction: <T>(work: (run: Run) => Promise<T>) => Promise<T>) {
  return {
    request: (ask: Ask): Promise<Written> =>
      transaction(async (run) => {
        const [interest] = await run<InterestRow>('interest', [ask.interestId]);
        if (!interest) return null;
        const now = new Date();
        const id = newId();
        const at = now.toISOString();
        await run('insertRequest', [
          id, interest.merchantId, interest.originMerchantId, interest.customerId, ask.interestId, interest.offerId, ask.purpose, JSON.stringify(ask.fields),
          ask.retentionDays, interest.noticeId, interest.noticeVersion, at, new Date(now.getTime() + REQUEST_TTL_MS).toISOString(),
        ]);
        await run('insertEvent', [newId(), id, 'CREATED', at]);
        return { id, status: 'PENDING' };
      }),
    answer: (id: string, accept: boolean): Promise<Written> =>
      transaction(async (run) => {
        const [request] = await run<PendingRow>('request', [id]);
        const now = new Date();
        const at = now.toISOString();
        if (!request || request.status !== 'PENDING' || request.expiresAt <= at) return null;
        if (accept) {
          await run('accept', [request.requestedFields, at, id]);
          await run('insertGrant', [newId(), id, request.requesterMerchantId, request.customerId, request.requestedFields, at, new Date(now.getTime() + request.retentionDays * DAY_MS).toISOString()]);
        } else {
          await run('decline', [at, id]);
        }
        await run('insertEvent', [newId(), id, accept ? 'ACCEPTED' : 'DECLINED', at]);
        return { id, status: accept ? 'ACCEPTED' : 'DECLINED' };
      }),
  };
}

function writes() {
  if (/^postgres(ql)?:\/\//.test(database!)) {
    // A pool of its own, as large as the server's; every statement is a named (prepared) one.
    const pool = new pg.Pool({ connectionString: database, max: 10 });
    return writeCommands(async (work) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(async (name, values) => (await client.query({ name, text: SQL[name], values })).rows);
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    });
  }
  // A writer connection of its own; better-sqlite3 is synchronous, so a transaction is never
  // interleaved with another in this process (the server's own writes wait on busy_timeout).
  const db = new Database(database!);
  db.pragma('busy_timeout = 5000');
  const statements = Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, db.prepare(text.replace(/\$\d+/g, '?'))]));
  const [begin, commit, rollback] = ['begin immediate', 'commit', 'rollback'].map((text) => db.prepare(text));
  return writeCommands(async (work) => {
    // The work awaits only the runner below, which settles at once: no I/O callback (another
    // request) runs before the commit, so transactions never interleave on the connection.
    begin!.run();
    try {
      const result = await work(async (name, values) => {
        const statement = statements[name]!;
        return (statement.reader ? statement.all(...values) : (statement.run(...values), [])) as never;
      });
      commit!.run();
      return result;
    } catch (err) {
      if (db.inTransaction) rollback!.run();
      throw err;
    }
  });
}

const feed = feedQuery();
const write = writes();
const app = express();
app.disable('x-powered-by');
app.use(express.json());
app.post('/referrals', async (req, res) => {
  const written = await write.request(req.body as Ask);
  if (!written) res.status(404).end();
  else res.type('application/json').send(JSON.stringify(written));
});
app.post('/referrals/:id/answer', async (req, res) => {
  const written = await write.answer(req.params.id, (req.body as { accept: boolean }).accept === true);
  if (!written) res.status(409).end();
  else res.type('application/json').send(JSON.stringify(written));
});
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
// The peer GraphQL server, after express.json() as our server's Yoga is: it reads the parsed body.
const peer = peerYoga(feed);
app.use(peer.graphqlEndpoint, peer as unknown as express.RequestHandler);
app.listen(Number(expressPort), '127.0.0.1');

createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('hello world');
}).listen(Number(helloPort), '127.0.0.1');
