// The database goes away (a restart, a failover): clients are told SERVICE_UNAVAILABLE (HTTP 503,
// Retry-After) and nothing about the database: no host, port, SQL or driver text, whichever path
// answers (a keyed mutation, whose idempotency plugin answers before execution; a plain query; a
// REST route). /readyz says 503 meanwhile, and everything works again once the database is back.
// A connection the server drops inside a transaction fails that transaction, not the process.
//
// On a PostgreSQL of this file's own, which it stops and starts: never the shared one.
import pg from 'pg';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { isConnectionError } from '../../db/errors.js';
import { merchants } from '../../db/tables/index.js';
import { inTransaction } from '../../db/tx.js';
import { generateSecrets } from '../../services/auth/keys.js';
import { signUpMerchant, type MerchantSession } from '../factories.js';
import { createTestPlatform, onFileEnd, type TestPlatform } from '../fixtures.js';
import { startPostgres, type OwnPostgres } from '../services.js';

let postgres: OwnPostgres;
let p: TestPlatform;
let owner: MerchantSession;

beforeAll(async () => {
  postgres = await startPostgres('db-faults');
  onFileEnd(() => postgres.stop());
  p = await createTestPlatform({ DATABASE_URL: `${postgres.url}/test`, DATABASE_POOL_SIZE: '4', ...(await generateSecrets()) }, undefined, 'pg');
  owner = await signUpMerchant(p);
}, 60_000);

/** Everything a client could learn the database by: its address, its driver's and its server's words, our SQL. */
function expectNothingOfTheDatabase(body: string) {
  const port = new URL(postgres.url).port;
  for (const text of ['ECONNREFUSED', '127.0.0.1', port, 'select', 'insert', 'terminat', 'database system', 'postgres', 'connect']) {
    expect(body.toLowerCase(), `the answer mentions "${text}"`).not.toContain(text.toLowerCase());
  }
}

const ADD_CUSTOMER = `mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id } }`;
const customer = { name: '钱晓燕', phone: '+8613912345670', consentSource: 'IN_STORE', consentGiven: true };

const graphql = (body: object, headers: Record<string, string> = {}) =>
  request(p.app).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${owner.accessToken}`).set(headers).send(body);

describe('while the database is down', () => {
  it('a keyed mutation, a query and a poster download are SERVICE_UNAVAILABLE with Retry-After, and /readyz is 503; once it is back the same key does the work', async () => {
    await postgres.halt();
    try {
      const keyed = await graphql({ query: ADD_CUSTOMER, variables: { i: customer } }, { 'idempotency-key': 'add-qian-0001' });
      const query = await graphql({ query: '{ viewer { id displayName merchant { name } } }' });
      const poster = await request(p.app).get('/share/abcdefghij/poster.png');
      for (const res of [keyed, query, poster]) {
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.body.errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfter: 5 });
        expectNothingOfTheDatabase(res.text);
      }

      const started = Date.now();
      const ready = await request(p.app).get('/readyz');
      expect(ready.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await postgres.resume();
    }

    expect((await request(p.app).get('/readyz')).status).toBe(200);
    const again = await graphql({ query: ADD_CUSTOMER, variables: { i: customer } }, { 'idempotency-key': 'add-qian-0001' });
    expect(again.body.errors).toBeUndefined();
    const replay = await graphql({ query: ADD_CUSTOMER, variables: { i: customer } }, { 'idempotency-key': 'add-qian-0001' });
    expect(replay.body.data.addCustomer.id).toBe(again.body.data.addCustomer.id);
    const query = await graphql({ query: '{ viewer { displayName } }' });
    expect(query.body.data.viewer.displayName).toBe('张三');
  });
});

describe('a connection the server drops', () => {
  it('inside a transaction, between two statements: the transaction fails as a lost connection, rolled back, and the process lives on', async () => {
    const admin = new pg.Client({ connectionString: `${postgres.url}/postgres` });
    await admin.connect();
    try {
      const name = `断线${Date.now()}`;
      const failed = inTransaction(p.deps.db, async (tx) => {
        await tx.update(merchants).set({ name });
        // While the transaction's connection idles between two statements, as a failover does it.
        await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = 'test' and pid <> pg_backend_pid()`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.select().from(merchants);
      });
      const error = await failed.then(() => null, (e: unknown) => e);
      expect(isConnectionError(error)).toBe(true);
      // Reads work at once on fresh connections; the update was never committed.
      const names = await p.sql<{ name: string }>('select name from merchants');
      expect(names.map((m) => m.name)).not.toContain(name);
    } finally {
      await admin.end();
    }
  });

  it('under a read outside a transaction: the read runs once more on a fresh connection', async () => {
    const admin = new pg.Client({ connectionString: `${postgres.url}/postgres` });
    await admin.connect();
    try {
      // The pool drizzle sends every read outside a transaction through.
      const pool = p.deps.db.$client as unknown as pg.Pool;
      const read = pool.query(`select pg_sleep(0.5), 'read through' as answer`);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const { rows } = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = 'test' and query like '%pg_sleep%' and pid <> pg_backend_pid()`);
      expect(rows).toHaveLength(1);
      const { rows: answered } = await read;
      expect(answered[0].answer).toBe('read through');
    } finally {
      await admin.end();
    }
  });
});
