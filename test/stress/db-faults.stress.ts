// PostgreSQL drops the platform's connections under a write load, as a restart or a failover does:
// three server processes (the built bundle) on a PostgreSQL of this test's own, no Redis, while
// shops add customers with Idempotency-Keys; every 200-600 ms every connection of the platform's
// database is ended with pg_terminate_backend. No process may exit, every acknowledged customer
// must be in the database afterwards, and every failure is SERVICE_UNAVAILABLE (503, Retry-After)
// with no driver text. Then the database is stopped: /readyz says 503 on each process until it
// is started again, and the processes serve writes again without a restart.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localId } from '../../schema/policies/global-id.js';
import { generateSecrets } from '../../services/auth/keys.js';
import { signUpMerchant, type MerchantSession } from '../factories.js';
import { startPostgres, type OwnPostgres } from '../services.js';
import { nextPhone } from '../story.js';
import { apiOf, buildServerBundle, gqlAt, pick, sleep, startServer, type ServerProcess } from './processes.js';

const SECONDS = Number(process.env.STRESS_SECONDS ?? 20);
const CLIENTS = 8;
const ADD_CUSTOMER = `mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id } }`;
/** What a client must never read: the database's address, its driver's and its server's words, our SQL. */
const DATABASE_TEXT = /ECONNREFUSED|ECONNRESET|127\.0\.0\.1|select |insert |terminat|database system|postgres|connection/i;

let postgres: OwnPostgres;
let admin: pg.Client;
let servers: ServerProcess[] = [];
let shops: MerchantSession[] = [];

beforeAll(async () => {
  buildServerBundle();
  postgres = await startPostgres('db-faults-stress');
  admin = new pg.Client({ connectionString: `${postgres.url}/postgres` });
  admin.on('error', () => {});
  await admin.connect();
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: `${postgres.url}/test`,
    DATABASE_POOL_SIZE: '4',
    ...(await generateSecrets()),
    CODES_PER_IP_PER_HOUR: '1000000',
    CUSTOMERS_ADDED_PER_DAY: '1000000',
  };
  servers = await Promise.all(['A', 'B', 'C'].map((name) => startServer({ name, entry: 'bundle', env, readyTimeoutMs: 60_000 })));
  shops = await Promise.all(servers.map((server, i) => signUpMerchant(apiOf(server), { merchantName: `断线商店${i}` })));
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  await admin?.end().catch(() => {});
  await postgres?.stop();
});

describe('PostgreSQL ends the platform connections under a write load', () => {
  it('no process exits, every acknowledged write is kept, and every failure is SERVICE_UNAVAILABLE without driver text', async () => {
    const acknowledged: { shop: MerchantSession; id: string }[] = [];
    const failures: { status: number; code: unknown; retryAfter: string | null; text: string }[] = [];
    let terminated = 0;
    let keys = 0;
    const until = Date.now() + SECONDS * 1000;

    const killer = (async () => {
      while (Date.now() < until) {
        await sleep(200 + Math.random() * 400);
        const { rowCount } = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = 'test' and pid <> pg_backend_pid()`);
        terminated += rowCount ?? 0;
      }
    })();

    const client = async (n: number) => {
      while (Date.now() < until) {
        const server = pick(servers);
        const shop = shops[n % shops.length]!;
        const res = await fetch(`${server.base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${shop.accessToken}`, 'idempotency-key': `stress-${n}-${++keys}` },
          body: JSON.stringify({ query: ADD_CUSTOMER, variables: { i: { name: '断线客户', phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true } } }),
        });
        const text = await res.text();
        const body = JSON.parse(text) as { data?: { addCustomer?: { id: string } }; errors?: { extensions?: { code?: string } }[] };
        if (body.data?.addCustomer) acknowledged.push({ shop, id: body.data.addCustomer.id });
        else failures.push({ status: res.status, code: body.errors?.[0]?.extensions?.code, retryAfter: res.headers.get('retry-after'), text });
      }
    };
    await Promise.all([killer, ...Array.from({ length: CLIENTS }, (_, n) => client(n))]);

    console.log(
      `db faults: ${terminated} connections ended over ${SECONDS} s; ${acknowledged.length} customers added, ${failures.length} requests answered SERVICE_UNAVAILABLE`,
    );
    expect(servers.filter((s) => !s.alive()).map((s) => `${s.name}: ${s.errors}`)).toEqual([]);
    expect(terminated).toBeGreaterThan(SECONDS);
    expect(acknowledged.length).toBeGreaterThan(SECONDS);
    for (const failure of failures) {
      expect(failure, failure.text).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfter: '5' });
      expect(failure.text).not.toMatch(DATABASE_TEXT);
    }
    const ids = acknowledged.map((a) => localId('Customer', a.id));
    // On the platform's own database (the admin connection is on `postgres`).
    const platform = new pg.Client({ connectionString: `${postgres.url}/test` });
    await platform.connect();
    const { rows } = await platform.query<{ n: number }>(`select count(*)::int as n from customers where id = any($1)`, [ids]).finally(() => platform.end());
    expect(rows[0]!.n).toBe(ids.length);
  });

  it('/readyz says 503 on every process while PostgreSQL is stopped and 200 once it is back; writes work again without a restart', async () => {
    await postgres.halt();
    try {
      for (const server of servers) expect((await fetch(`${server.base}/readyz`)).status).toBe(503);
    } finally {
      await postgres.resume();
    }
    for (const server of servers) expect((await fetch(`${server.base}/readyz`)).status).toBe(200);
    for (const [i, server] of servers.entries()) {
      const r = await gqlAt(server, ADD_CUSTOMER, { i: { name: '恢复客户', phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true } }, shops[i]!.accessToken);
      expect(r.errors).toBeUndefined();
    }
    expect(servers.every((s) => s.alive())).toBe(true);
  });
});
