// Profiles one scenario in-process: time per request, the SQL statements it runs, and a CPU
// profile of the measured loop (open it in Chrome DevTools or speedscope).
// Usage: tsx bench/profile.ts [small|medium|large] [feed|pending|viewer] [requests]
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createDeps } from '../server/deps.js';
import { FEED, PENDING, VIEWER, gqlBody } from './documents.js';
import { SIZES, seedBench, type Size } from './seed.js';

const [size = 'small', scenario = 'feed', count = '500'] = process.argv.slice(2);
if (!(size in SIZES)) throw new Error(`unknown size ${size}`);
const n = Number(count);

const dir = mkdtempSync(join(tmpdir(), 'arp-profile-'));
const pair = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const statements = new Map<string, number>();
let counting = false;
const config = loadConfig({
  NODE_ENV: 'production',
  DATABASE_PATH: join(dir, 'profile.db'),
  JWT_PRIVATE_KEY: pair.privateKey,
  JWT_PUBLIC_KEY: pair.publicKey,
  PII_KEY: randomBytes(32).toString('base64'),
  LOG_LEVEL: 'silent',
  NOTIFY_WEBHOOK_URL: 'https://127.0.0.1:9/notify',
  NOTIFY_WEBHOOK_SECRET: randomBytes(32).toString('base64'),
  NOTIFY_WEBHOOK_CHANNELS: '',
  PUBLIC_URL: 'https://bench.example',
});
const deps = await createDeps(config, { onQuery: (sql) => counting && statements.set(sql, (statements.get(sql) ?? 0) + 1) });
const fixture = await seedBench(deps.db, deps.vault, size as Size);
const login = scenario === 'pending' ? fixture.customer : fixture.merchant;
const token = (await deps.tokens.signAccess({ ...login, tokenVersion: 0 })).token;
const bodies: Record<string, string> = {
  feed: gqlBody(FEED, { community: encodeGlobalID('Community', fixture.feedCommunityId) }),
  pending: gqlBody(PENDING),
  viewer: gqlBody(VIEWER),
};
const body = bodies[scenario];
if (!body) throw new Error(`unknown scenario ${scenario}: ${Object.keys(bodies).join(', ')}`);

const server = createApp(deps).listen(0, '127.0.0.1');
await new Promise((ok) => server.once('listening', ok));
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
const send = async () => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body })).text();
console.log((await send()).slice(0, 200));
for (let i = 0; i < 200; i++) await send();

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
counting = true;
const started = performance.now();
for (let i = 0; i < n; i++) await send();
const ms = (performance.now() - started) / n;
counting = false;
const { profile } = await session.post('Profiler.stop');
const out = join(dir, `${scenario}-${size}.cpuprofile`);
writeFileSync(out, JSON.stringify(profile));
console.log(`${scenario} on ${size}: ${ms.toFixed(2)} ms per request (client included), profile ${out}`);
for (const [sql, times] of statements) console.log(`${(times / n).toFixed(2)} x ${sql.slice(0, 160)}`);
server.close();
process.exit(0);
