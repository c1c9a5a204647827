// The benchmark harness: seeds each data set, starts the real server (production, one process)
// and the baselines (bench/raw-server.ts: the raw express + SQL routes and the peer, a plain
// graphql-js + Yoga server), drives them with autocannon on loopback and reports medians of rounds
// as ratios against the raw route (and the feed against the peer) measured in the same run.
// Usage: tsx bench/run.ts [--smoke] [--engine=sqlite|pg] [--sizes=small,medium,large] [--duration=10] [--warmup=3]
//        [--rounds=3] [--connections=10] [--only=feed,viewer] [--profile] [--node-flags="--max-old-space-size=160"]
// --engine=pg runs the server and the raw route on a fresh PostgreSQL database (C collation) on
// 127.0.0.1:5432 as user postgres, dropped at the end, with Redis on 127.0.0.1:6379 (under a key
// prefix of the run's own) as a PostgreSQL deployment has; sqlite (the default) on a temporary file.
// --profile writes a CPU profile of each server process into the temporary directory;
// --node-flags passes flags to the server's node instead of npm start's (to weigh deployment settings).
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeGlobalID } from '@pothos/plugin-relay';
import autocannon, { type Options, type Request } from 'autocannon';
import { Redis } from 'ioredis';
import { closeDb } from '../db/client.js';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createDeps } from '../server/deps.js';
import { freshPgDatabase } from '../test/pg.js';
import { FEED, PENDING, RESPOND, REQUEST, VIEWER, gqlBody } from './documents.js';
import { SIZES, seedBench, type BenchFixture, type Login, type Size } from './seed.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The flags `npm start` gives the server's node (package.json config.serverNodeFlags). */
const startFlags: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).config.serverNodeFlags;

type Engine = 'sqlite' | 'pg';

interface Settings {
  engine: Engine;
  sizes: Size[];
  duration: number;
  warmup: number;
  rounds: number;
  connections: number;
  /** Scenario names to run (raw-feed always runs: it is every ratio's baseline; peer with feed, raw-writes with writes). */
  only: string[] | null;
  profile: boolean;
  nodeFlags: string[];
}

function parseArgs(argv: string[]): Settings {
  const flags = new Map(argv.map((a) => {
    const [name, ...value] = a.replace(/^--/, '').split('=');
    return [name!, value.length ? value.join('=') : undefined] as const;
  }));
  const smoke = flags.has('smoke');
  const num = (name: string, fallback: number) => (flags.get(name) ? Number(flags.get(name)) : fallback);
  const engine = (flags.get('engine') ?? 'sqlite') as Engine;
  if (engine !== 'sqlite' && engine !== 'pg') throw new Error(`unknown engine ${engine}: use sqlite or pg`);
  const sizes = (flags.get('sizes')?.split(',') ?? (smoke ? ['small'] : Object.keys(SIZES))) as Size[];
  for (const s of sizes) if (!(s in SIZES)) throw new Error(`unknown size ${s}: use ${Object.keys(SIZES).join(', ')}`);
  return {
    engine,
    sizes,
    duration: num('duration', smoke ? 1 : 10),
    warmup: num('warmup', smoke ? 1 : 3),
    // Two rounds at least, as the rounds alternate their order: each of a compared pair goes first once.
    rounds: num('rounds', smoke ? 2 : 3),
    connections: num('connections', 10),
    only: flags.get('only')?.split(',') ?? null,
    profile: flags.has('profile'),
    nodeFlags: (flags.get('node-flags') ?? startFlags).split(' ').filter(Boolean),
  };
}

interface Scenario {
  name: string;
  description: string;
  /** What the measured server process is: its RSS is sampled. */
  target: 'server' | 'raw';
  options: (urls: Urls) => Omit<Options, 'duration' | 'connections'>;
  /** One request before measuring: throws when the answer is not what the scenario expects. */
  check?: (urls: Urls) => Promise<void>;
  /**
   * A scenario that uses its data up (each write pair once) takes a share of it when a measurement
   * begins: how many requests it may send (the measurement ends early once they are answered).
   */
  share?: () => number;
  /** The raw route its ratio is against (raw-feed unless named). */
  baseline?: string;
}

interface Urls {
  graphql: string;
  /** The peer GraphQL server (bench/peer.ts) in the raw server's process. */
  peer: string;
  rawFeed: string;
  /** The raw server's origin (the write routes). */
  raw: string;
  hello: string;
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  rssPeakMb: number;
}

interface ScenarioResult extends Measured {
  name: string;
  description: string;
  rounds: Measured[];
  /** The raw route of ratioToRaw. */
  baseline: string;
  ratioToRaw: number | null;
  /** The feed's req/s against the peer's (null for the other scenarios). */
  ratioToPeer: number | null;
}

async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** A node process: `args` starts with a built .mjs file, or a .ts file run through tsx. */
function startChild(args: string[], env: Record<string, string>, nodeFlags: string[] = []): ChildProcess {
  const loader = args[0]?.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...loader, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGTERM');
  await exited;
}

/** A memory figure of a process from /proc (VmRSS now, VmHWM the peak so far), in MB. */
const statusMb = (pid: number, field: 'VmHWM' | 'VmRSS') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Peak resident memory of a process while a callback runs (sampled), in MB. */
async function sampleRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = 0;
  const sample = () => {
    try {
      peak = Math.max(peak, statusMb(pid, 'VmRSS'));
    } catch {
      // The process is gone: keep what was sampled.
    }
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await work();
    sample();
    return { result, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A GraphQL answer's body as sent (uncompressed, as autocannon gets it) and parsed; throws on errors. */
async function graphqlAnswer(url: string, body: string, token?: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': 'identity', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
  const text = await res.text();
  const json = JSON.parse(text) as { data?: unknown; errors?: { message: string }[] };
  if (res.status !== 200 || json.errors) throw new Error(`${url}: ${res.status} ${JSON.stringify(json.errors ?? json).slice(0, 400)}`);
  return { bytes: Buffer.byteLength(text), json: json as { data: Record<string, any> } };
}

/** Every key path of a JSON value (`.data.community.offers.edges[].node.id`): its shape, values aside. */
function keyPaths(value: unknown, path = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keyPaths(item, `${path}[]`, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.add(`${path}.${key}`);
      keyPaths(item, `${path}.${key}`, out);
    }
  }
  return out;
}

/** How the peer's answer to the feed compares with our server's. */
interface PeerCheck {
  ourBytes: number;
  peerBytes: number;
  /** peerBytes / ourBytes - 1. */
  difference: number;
  /** Key paths in one answer and not in the other. */
  onlyOurs: string[];
  onlyPeer: string[];
  /** Whether the two pages hold the same offers in the same order. */
  sameOffers: boolean;
  /** Within 2% in bytes, the same keys and the same offers: the feed-vs-peer ratio compares like with like. */
  ok: boolean;
}

function comparePeer(ours: Awaited<ReturnType<typeof graphqlAnswer>>, peer: Awaited<ReturnType<typeof graphqlAnswer>>): PeerCheck {
  const [ourKeys, peerKeys] = [keyPaths(ours.json), keyPaths(peer.json)];
  const onlyOurs = [...ourKeys].filter((k) => !peerKeys.has(k));
  const onlyPeer = [...peerKeys].filter((k) => !ourKeys.has(k));
  const offers = (answer: typeof ours) => JSON.stringify((answer.json.data.community?.offers?.edges as { node?: { id?: string } }[] | undefined)?.map((e) => e.node?.id) ?? null);
  const difference = peer.bytes / ours.bytes - 1;
  const sameOffers = offers(ours) === offers(peer);
  return { ourBytes: ours.bytes, peerBytes: peer.bytes, difference, onlyOurs, onlyPeer, sameOffers, ok: Math.abs(difference) <= 0.02 && !onlyOurs.length && !onlyPeer.length && sameOffers };
}

function describePeerCheck(c: PeerCheck): string {
  const keys = c.onlyOurs.length || c.onlyPeer.length ? `different keys (only ours: ${c.onlyOurs.join(' ') || '-'}; only the peer's: ${c.onlyPeer.join(' ') || '-'})` : 'the same keys';
  const verdict = c.ok ? 'comparable' : 'NOT COMPARABLE: the feed-vs-peer ratio compares unlike answers';
  return `feed answer: our server ${c.ourBytes} bytes, the peer ${c.peerBytes} bytes (${c.difference >= 0 ? '+' : ''}${(c.difference * 100).toFixed(1)}%, within 2%: ${Math.abs(c.difference) <= 0.02 ? 'yes' : 'NO'}), ${keys}, ${c.sameOffers ? 'the same offers' : 'OTHER offers'}: ${verdict}`;
}

async function postGraphql(url: string, body: string, token?: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
  const json = (await res.json()) as { data?: unknown; errors?: { message: string }[] };
  if (res.status !== 200 || json.errors) throw new Error(`${res.status} ${JSON.stringify(json.errors ?? json).slice(0, 400)}`);
  return json.data as Record<string, any>;
}

interface SizeRun {
  size: Size;
  counts: Record<string, number>;
  seedSeconds: number;
  sqlPerFeedRequest: number;
  /** Resident memory of the server once it answers, before any load. */
  serverStartRssMb: number;
  serverPeakRssMb: number;
  /** The peer's feed answer against our server's, when the peer ran. */
  peerCheck: PeerCheck | null;
  scenarios: ScenarioResult[];
}

const REDIS_URL = 'redis://127.0.0.1:6379';

/** Deletes what a run left in Redis under its key prefix (the viewer cache's generation has no expiry). */
async function dropRedisKeys(prefix: string) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) if ((keys as string[]).length) await redis.del(...(keys as string[]));
  } finally {
    redis.disconnect();
  }
}

/** The keys and environment of one production server: on PostgreSQL when a URL is given, else on the SQLite file. */
function productionEnv(databasePath: string, databaseUrl: string | undefined, port: number): Record<string, string> {
  const pair = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_PATH: databasePath,
    // The keys come from the environment on either engine (PostgreSQL requires it). On PostgreSQL
    // the processes of a deployment share rate limits and the viewer cache's generations in Redis.
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, REDIS_URL: REDIS_URL, REDIS_KEY_PREFIX: `bench:${databaseUrl.split('/').pop()}:` } : {}),
    JWT_PRIVATE_KEY: pair.privateKey,
    JWT_PUBLIC_KEY: pair.publicKey,
    PII_KEY: randomBytes(32).toString('base64'),
    SEED_DEMO: 'never',
    // Tokens minted before the run must outlive it.
    ACCESS_TOKEN_TTL_SECONDS: '7200',
    // Request logging is an operator's choice, not part of the stack being measured.
    LOG_LEVEL: 'warn',
    // The write scenario asks on behalf of a few merchants far more often than a shop would.
    REFERRAL_REQUESTS_PER_DAY: '1000000',
    // Production needs a gateway for one-time codes; the benchmark sends none, and no notification.
    NOTIFY_WEBHOOK_URL: 'https://127.0.0.1:9/notify',
    NOTIFY_WEBHOOK_SECRET: randomBytes(32).toString('base64'),
    NOTIFY_WEBHOOK_CHANNELS: '',
    PUBLIC_URL: 'https://bench.example',
  };
}

/** Seeds, mints tokens and counts the SQL statements of one feed request, in this process. */
async function prepare(env: Record<string, string>, size: Size) {
  let counting = false;
  let statements = 0;
  const deps = await createDeps(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { onQuery: () => counting && statements++ });
  const started = Date.now();
  const fixture = await seedBench(deps.db, deps.vault, size);
  const seedSeconds = (Date.now() - started) / 1000;

  const tokens = new Map<string, string>();
  const tokenOf = async (login: Login) => {
    let token = tokens.get(login.accountId);
    if (!token) {
      token = (await deps.tokens.signAccess({ accountId: login.accountId, sessionId: login.sessionId, tokenVersion: 0 })).token;
      tokens.set(login.accountId, token);
    }
    return token;
  };
  for (const pair of fixture.writePool) {
    await tokenOf(pair.requester);
    await tokenOf(pair.customer);
  }
  await tokenOf(fixture.merchant);
  await tokenOf(fixture.customer);

  const app = createApp(deps);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  const feedBody = gqlBody(FEED, { community: encodeGlobalID('Community', fixture.feedCommunityId) });
  const merchantToken = tokens.get(fixture.merchant.accountId)!;
  await postGraphql(url, feedBody, merchantToken);
  const samples = 20;
  counting = true;
  for (let i = 0; i < samples; i++) await postGraphql(url, feedBody, merchantToken);
  counting = false;
  await new Promise((ok) => server.close(ok));
  await closeDb(deps.db);
  await deps.closeRedis();
  return { fixture, tokens, seedSeconds, sqlPerFeedRequest: statements / samples };
}

function scenarios(
  size: Size,
  fixture: BenchFixture,
  tokens: Map<string, string>,
  full: boolean,
  withHello: boolean,
  settings: Settings,
  peerCheck: { result?: PeerCheck },
): Scenario[] {
  const json = { 'content-type': 'application/json' };
  const bearer = (login: Login) => ({ ...json, authorization: `Bearer ${tokens.get(login.accountId)!}` });
  const feedBody = gqlBody(FEED, { community: encodeGlobalID('Community', fixture.feedCommunityId) });
  const list: Scenario[] = [];
  if (withHello) {
    list.push({ name: 'hello', description: 'node:http hello world (baseline)', target: 'raw', options: (u) => ({ url: u.hello }) });
  }
  list.push(
    { name: 'raw-feed', description: 'express + one prepared statement + JSON.stringify (baseline)', target: 'raw', options: (u) => ({ url: u.rawFeed }) },
    {
      name: 'feed',
      description: '(1) community feed, 20 offers with merchant, communities, campaign; signed-in merchant',
      target: 'server',
      options: (u) => ({ url: u.graphql, method: 'POST', headers: bearer(fixture.merchant), body: feedBody }),
      check: async (u) => {
        const data = await postGraphql(u.graphql, feedBody, tokens.get(fixture.merchant.accountId));
        if (data.community.offers.edges.length !== 20) throw new Error('feed: expected a full page of 20 offers');
      },
    },
    {
      name: 'peer',
      description: 'the feed on graphql-js by hand + Yoga + one flat statement (baseline)',
      target: 'raw',
      // The same document, variables and headers as feed (the peer ignores the token).
      options: (u) => ({ url: u.peer, method: 'POST', headers: bearer(fixture.merchant), body: feedBody }),
      // Once before it is measured: whether the peer answers what our server answers (bytes within 2%,
      // the same keys, the same offers). Reported, never a failure (only a failed request fails a run).
      check: async (u) => {
        const token = tokens.get(fixture.merchant.accountId);
        peerCheck.result = comparePeer(await graphqlAnswer(u.graphql, feedBody, token), await graphqlAnswer(u.peer, feedBody, token));
        console.log(`[${size}] ${describePeerCheck(peerCheck.result)}`);
      },
    },
  );
  if (!full) return list;

  // Each pair is asked once (a second request for the same interest is refused): writes and
  // raw-writes each take half of the pool, and in it the warm-up and each round an equal share, a
  // whole number of pairs per connection (autocannon sends exactly that many requests).
  const pool = fixture.writePool;
  const half = Math.floor(pool.length / 2);
  const pairsPerMeasurement = Math.floor(half / (1 + settings.rounds) / settings.connections) * settings.connections;
  type Pair = (typeof pool)[number];
  /** A request then its answer, on pairs from `from` on; each answer accepts or declines, alternately. */
  const pairs = (from: number, ask: (req: Request, pair: Pair) => Request, idOf: (status: number, body: string) => string | undefined, answer: (req: Request, pair: Pair, referralId: string, accept: boolean) => Request) => {
    let next = from;
    const requests: Request[] = [
      {
        method: 'POST',
        setupRequest: (req, ctx) => {
          if (next >= from + half) throw new Error('the write pool ran out');
          const pair = pool[next++]!;
          ctx.pair = pair;
          ctx.accept = next % 2 === 0;
          return ask(req, pair);
        },
        onResponse: (status, body, ctx) => {
          ctx.referralId = idOf(status, body);
        },
      },
      {
        method: 'POST',
        setupRequest: (req, ctx) => answer(req, ctx.pair as Pair, (ctx.referralId as string | undefined) ?? 'missing', ctx.accept as boolean),
      },
    ];
    return { requests, share: () => 2 * pairsPerMeasurement };
  };
  const purpose = '上门测量并报价';
  const graphqlWrites = pairs(
    0,
    (req, pair) => ({ ...req, headers: bearer(pair.requester), body: gqlBody(REQUEST, { input: { interestId: encodeGlobalID('Interest', pair.interestId), purpose, fields: ['NAME', 'PHONE'], retentionDays: 30 } }) }),
    (_status, body) => (JSON.parse(body) as { data?: { requestReferral?: { id: string } } }).data?.requestReferral?.id,
    (req, pair, referralId, accept) => ({ ...req, headers: bearer(pair.customer), body: gqlBody(RESPOND, { input: { referralId, accept } }) }),
  );
  const rawWrites = pairs(
    half,
    (req, pair) => ({ ...req, path: '/referrals', headers: json, body: JSON.stringify({ interestId: pair.interestId, purpose, fields: ['NAME', 'PHONE'], retentionDays: 30 }) }),
    (status, body) => (status === 200 ? (JSON.parse(body) as { id: string }).id : undefined),
    (req, _pair, referralId, accept) => ({ ...req, path: `/referrals/${referralId}/answer`, headers: json, body: JSON.stringify({ accept }) }),
  );
  const viewerBody = gqlBody(VIEWER);
  list.push(
    {
      name: 'pending',
      description: "(2) a customer's pending referral requests with requester and offer",
      target: 'server',
      options: (u) => ({ url: u.graphql, method: 'POST', headers: bearer(fixture.customer), body: gqlBody(PENDING) }),
      check: async (u) => {
        const data = await postGraphql(u.graphql, gqlBody(PENDING), tokens.get(fixture.customer.accountId));
        if (data.viewer.customer.referralRequests.edges.length === 0) throw new Error('pending: expected pending requests');
      },
    },
    {
      name: 'raw-writes',
      description: "express + hand-written SQL: (3)'s writes, one transaction a request (baseline)",
      target: 'raw',
      baseline: 'raw-writes',
      options: (u) => ({ url: u.raw, requests: rawWrites.requests }),
      share: rawWrites.share,
    },
    {
      name: 'writes',
      description: '(3) requestReferral + respondToReferral (accept or decline), counted per request',
      target: 'server',
      baseline: 'raw-writes',
      options: (u) => ({ url: u.graphql, requests: graphqlWrites.requests }),
      share: graphqlWrites.share,
    },
    {
      name: 'viewer',
      description: '(4) viewer { id displayName } with a token: GraphQL + authentication floor',
      target: 'server',
      options: (u) => ({ url: u.graphql, method: 'POST', headers: bearer(fixture.merchant), body: viewerBody }),
      check: async (u) => {
        const data = await postGraphql(u.graphql, viewerBody, tokens.get(fixture.merchant.accountId));
        if (!data.viewer) throw new Error('viewer: expected the signed-in viewer');
      },
    },
    {
      name: 'viewer-anon',
      description: 'the same query without a token (viewer is null)',
      target: 'server',
      options: (u) => ({ url: u.graphql, method: 'POST', headers: json, body: viewerBody }),
    },
  );
  return list;
}

interface ErrorCounter {
  errors: number;
  /** How many of each error (code: message) the answers carried. */
  kinds: Map<string, number>;
}

/** GraphQL answers errors with status 200: a write scenario counts them from the bodies. */
function countGraphqlErrors(options: Omit<Options, 'duration' | 'connections'>, counter: ErrorCounter) {
  if (!options.requests) return options;
  return {
    ...options,
    requests: options.requests.map((r) => ({
      ...r,
      onResponse: (status: number, body: string, ctx: Record<string, unknown>) => {
        if (body.includes('"errors"')) {
          counter.errors++;
          const error = (JSON.parse(body) as { errors?: { message: string; extensions?: { code?: string } }[] }).errors?.[0];
          const key = `${error?.extensions?.code ?? 'ERROR'}: ${error?.message ?? body.slice(0, 100)}`;
          counter.kinds.set(key, (counter.kinds.get(key) ?? 0) + 1);
        }
        r.onResponse?.(status, body, ctx);
      },
    })),
  };
}

async function runSize(size: Size, settings: Settings, full: boolean, withHello: boolean): Promise<SizeRun> {
  const dir = mkdtempSync(join(tmpdir(), `arp-bench-${size}-`));
  const database = settings.engine === 'pg' ? await freshPgDatabase(`bench_${size}`) : null;
  try {
    const [port, rawPort, helloPort] = [await freePort(), await freePort(), await freePort()];
    const databaseUrl = database?.url;
    const env = productionEnv(join(dir, 'bench.db'), databaseUrl, port);
    console.log(`\n[${size}] seeding on ${settings.engine === 'pg' ? `PostgreSQL (${database!.name})` : 'SQLite'}…`);
    const { fixture, tokens, seedSeconds, sqlPerFeedRequest } = await prepare(env, size);
    console.log(`[${size}] seeded in ${seedSeconds.toFixed(1)} s; ${sqlPerFeedRequest} SQL statements per feed request`);

    // One file per thread (the main one is the largest), kept after the run.
    const profileDir = settings.profile ? mkdtempSync(join(tmpdir(), `arp-bench-profile-${size}-`)) : '';
    const profileFlags = settings.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    // The server runs as `npm start` runs it: the built bundle, without a TypeScript loader.
    const server = startChild(['dist/server.mjs'], env, [...settings.nodeFlags, ...profileFlags]);
    const raw = startChild(['bench/raw-server.ts', databaseUrl ?? env.DATABASE_PATH!, String(rawPort), String(helloPort)], {});
    try {
      const urls: Urls = {
        graphql: `http://127.0.0.1:${port}/graphql`,
        peer: `http://127.0.0.1:${rawPort}/graphql`,
        rawFeed: `http://127.0.0.1:${rawPort}/feed/${fixture.feedCommunityId}`,
        raw: `http://127.0.0.1:${rawPort}`,
        hello: `http://127.0.0.1:${helloPort}/`,
      };
      await waitFor(`http://127.0.0.1:${port}/healthz`, server);
      await waitFor(urls.rawFeed, raw);
      await waitFor(urls.hello, raw);
      const serverStartRssMb = statusMb(server.pid!, 'VmRSS');

      // The baselines run with what is measured against them: raw-feed always, the peer with feed,
      // raw-writes with writes.
      const only = settings.only && [
        ...settings.only,
        'raw-feed',
        ...(settings.only.includes('feed') ? ['peer'] : []),
        ...(settings.only.includes('writes') ? ['raw-writes'] : []),
      ];
      const peerCheck: { result?: PeerCheck } = {};
      const list = scenarios(size, fixture, tokens, full, withHello, settings, peerCheck).filter((s) => !only || only.includes(s.name));
      const rounds = new Map<string, Measured[]>(list.map((s) => [s.name, []]));
      const measure = async (s: Scenario, duration: number): Promise<Measured> => {
        const counter: ErrorCounter = { errors: 0, kinds: new Map() };
        const options = countGraphqlErrors(s.options(urls), counter);
        const pid = (s.target === 'server' ? server : raw).pid!;
        const share = s.share?.();
        // A scenario with a share sends that many requests, or as many as fit in the duration;
        // autocannon notices its end only at its next one-second tick, so its req/s are counted
        // here, over the time until the last answer.
        let answered = 0;
        let lastAnswer = 0;
        const counted = share && options.requests
          ? { ...options, requests: options.requests.map((r) => ({ ...r, onResponse: (status: number, body: string, ctx: Record<string, unknown>) => {
              answered++;
              lastAnswer = performance.now();
              r.onResponse?.(status, body, ctx);
            } })) }
          : options;
        const started = performance.now();
        const { result, peakMb } = await sampleRss(pid, async () => {
          const run = autocannon({ ...counted, connections: settings.connections, ...(share ? { amount: share } : { duration }) });
          const timer = share ? setTimeout(() => run.stop(), duration * 1000) : undefined;
          try {
            return await run;
          } finally {
            clearTimeout(timer);
          }
        });
        for (const [kind, n] of counter.kinds) console.log(`[${size}] ${s.name}: ${n} x ${kind}`);
        if (share && answered >= share) console.log(`[${size}] ${s.name}: its share of the data (${share} requests) ran out after ${((lastAnswer - started) / 1000).toFixed(1)} of ${duration} s`);
        const rps = share ? answered / (Math.max(lastAnswer - started, 1) / 1000) : result.requests.average;
        return { rps, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts + counter.errors, non2xx: result.non2xx, rssPeakMb: peakMb };
      };
      for (const s of list) {
        await s.check?.(urls);
        await measure(s, settings.warmup);
      }
      // Rounds interleave the scenarios, so a noisy moment on the machine hits all of them alike, and
      // alternate their order, so that no scenario always runs just after the heaviest one.
      for (let r = 1; r <= settings.rounds; r++) {
        for (const s of r % 2 ? list : [...list].reverse()) {
          const m = await measure(s, settings.duration);
          rounds.get(s.name)!.push(m);
          console.log(`[${size}] round ${r} ${s.name.padEnd(12)} ${m.rps.toFixed(0).padStart(7)} req/s  p99 ${m.p99} ms  rss ${m.rssPeakMb.toFixed(0)} MB${m.errors + m.non2xx ? `  errors ${m.errors} non2xx ${m.non2xx}` : ''}`);
        }
      }
      const summarised = list.map((s): ScenarioResult => {
        const ms = rounds.get(s.name)!;
        return {
          name: s.name,
          description: s.description,
          rps: median(ms.map((m) => m.rps)),
          p50: median(ms.map((m) => m.p50)),
          p99: median(ms.map((m) => m.p99)),
          errors: ms.reduce((n, m) => n + m.errors, 0),
          non2xx: ms.reduce((n, m) => n + m.non2xx, 0),
          rssPeakMb: Math.max(...ms.map((m) => m.rssPeakMb)),
          rounds: ms,
          baseline: s.baseline ?? 'raw-feed',
          ratioToRaw: null,
          ratioToPeer: null,
        };
      });
      const peer = summarised.find((b) => b.name === 'peer');
      for (const s of summarised) {
        const baseline = summarised.find((b) => b.name === s.baseline);
        s.ratioToRaw = baseline ? s.rps / baseline.rps : null;
        if (s.name === 'feed' && peer) s.ratioToPeer = s.rps / peer.rps;
      }
      return { size, counts: fixture.counts, seedSeconds, sqlPerFeedRequest, serverStartRssMb, serverPeakRssMb: statusMb(server.pid!, 'VmHWM'), peerCheck: peerCheck.result ?? null, scenarios: summarised };
    } finally {
      await Promise.all([stopChild(server), stopChild(raw)]);
      if (settings.profile) console.log(`[${size}] server CPU profiles in ${profileDir}`);
    }
  } finally {
    if (database) {
      await database.drop();
      await dropRedisKeys(`bench:${database.name}:`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The scenarios that measure the raw server's process, not ours. */
const BASELINES = new Set(['hello', 'raw-feed', 'peer', 'raw-writes']);

interface Target {
  name: string;
  value: string;
  pass: boolean;
  /** A target that must hold, or an aim (reported, never required). */
  kind: 'must' | 'aim';
}

/**
 * Issue 26's targets, each a ratio to a baseline of the same run (or a memory figure): what must
 * hold, and what we aim at. --only may leave a scenario out, and its targets are then not measured.
 */
function targets(engine: Engine, runs: SizeRun[]): Target[] {
  const get = (run: SizeRun | undefined, name: string) => run?.scenarios.find((s) => s.name === name);
  const list: Target[] = [];
  for (const run of runs) {
    const ratio = (kind: Target['kind'], name: string, scenario: { rps: number } | undefined, base: { rps: number } | undefined, least: number) => {
      if (scenario && base) list.push({ kind, name: `[${run.size}] ${name} >= ${least.toFixed(1)}x`, value: `${(scenario.rps / base.rps).toFixed(2)}x`, pass: scenario.rps / base.rps >= least });
    };
    const feed = get(run, 'feed');
    const raw = get(run, 'raw-feed');
    const writes = get(run, 'writes');
    const rawWrites = get(run, 'raw-writes');
    ratio('must', 'feed req/s vs raw', feed, raw, 0.4);
    ratio('must', 'feed req/s vs peer', feed, get(run, 'peer'), 1.0);
    if (run.peerCheck && !run.peerCheck.ok && list.at(-1)?.name.includes('vs peer')) list.at(-1)!.value += ' (the answers differ: see the peer check)';
    ratio('must', 'pending req/s vs raw feed', get(run, 'pending'), raw, 0.5);
    ratio('must', 'writes req/s vs raw writes', writes, rawWrites, 0.4);
    ratio('must', 'viewer with token vs without', get(run, 'viewer'), get(run, 'viewer-anon'), 0.9);
    // Measured while the server is under load: on the large set, when a scenario of the server ran.
    if (run.size === 'large' && run.scenarios.some((s) => !BASELINES.has(s.name))) {
      list.push({ kind: 'must', name: `[${run.size}] server peak RSS < 300 MB`, value: `${run.serverPeakRssMb.toFixed(0)} MB`, pass: run.serverPeakRssMb < 300 });
    }
    ratio('aim', engine === 'pg' ? 'feed req/s vs raw (PostgreSQL)' : 'feed req/s vs raw', feed, raw, engine === 'pg' ? 0.7 : 0.5);
    if (feed && raw) list.push({ kind: 'aim', name: `[${run.size}] feed p99 <= 3x raw p99`, value: `${(feed.p99 / raw.p99).toFixed(2)}x`, pass: feed.p99 <= 3 * raw.p99 });
    ratio('aim', 'writes req/s vs raw writes', writes, rawWrites, 0.5);
  }
  return list;
}

function printTable(engine: Engine, runs: SizeRun[], checks: Target[]) {
  console.log(`\nengine: ${engine === 'pg' ? 'PostgreSQL (server and raw route)' : 'SQLite (server and raw route)'}`);
  for (const run of runs) {
    console.log(`\n${run.size}: seeded in ${run.seedSeconds.toFixed(1)} s, ${run.sqlPerFeedRequest} SQL statements per feed request, server RSS ${run.serverStartRssMb.toFixed(0)} MB at start, ${run.serverPeakRssMb.toFixed(0)} MB peak`);
    console.log(`${'scenario'.padEnd(12)} ${'req/s'.padStart(8)} ${'x raw'.padStart(6)} ${'x peer'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'RSS MB'.padStart(7)} ${'errors'.padStart(7)}`);
    for (const s of run.scenarios) {
      console.log(
        `${s.name.padEnd(12)} ${s.rps.toFixed(0).padStart(8)} ${(s.ratioToRaw?.toFixed(2) ?? '-').padStart(6)} ${(s.ratioToPeer?.toFixed(2) ?? '-').padStart(7)} ${String(s.p50).padStart(7)} ${String(s.p99).padStart(7)} ${s.rssPeakMb.toFixed(0).padStart(7)} ${String(s.errors + s.non2xx).padStart(7)}`,
      );
    }
    const feed = run.scenarios.find((s) => s.name === 'feed');
    if (feed) console.log(`feed: ${feed.ratioToRaw?.toFixed(2) ?? '-'}x the raw route, ${feed.ratioToPeer?.toFixed(2) ?? '-'}x the peer`);
    if (run.peerCheck) console.log(describePeerCheck(run.peerCheck));
  }
  console.log('\ntargets that must hold (issue 26)');
  for (const t of checks.filter((c) => c.kind === 'must')) console.log(`${t.pass ? 'PASS' : 'MISS'}   ${t.name.padEnd(48)} ${t.value}`);
  console.log('\naims (reported, not required)');
  for (const t of checks.filter((c) => c.kind === 'aim')) console.log(`${t.pass ? 'MET  ' : 'SHORT'}  ${t.name.padEnd(48)} ${t.value}`);
}

async function main() {
  const settings = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const runs: SizeRun[] = [];
  const largest = settings.sizes.reduce((a, b) => (SIZES[b] > SIZES[a] ? b : a));
  for (const [i, size] of settings.sizes.entries()) runs.push(await runSize(size, settings, size === largest, i === 0));
  const checks = targets(settings.engine, runs);
  printTable(settings.engine, runs, checks);

  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
  const out = join(root, 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-${settings.engine}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ startedAt, settings, machine, runs, targets: checks }, null, 2));
  console.log(`\nwritten ${out} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s)`);
  // Targets, aims and the peer's check are reported, not enforced (timings are noisy); broken
  // requests fail the run.
  const broken = runs.flatMap((r) => r.scenarios.filter((s) => s.errors + s.non2xx > 0).map((s) => `${r.size}/${s.name}`));
  if (broken.length) {
    console.error(`requests failed in: ${broken.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
