// What the tests need beyond Node: PostgreSQL, Redis and Debian's Chromium. The shared services are
// found at TEST_POSTGRES_URL / TEST_REDIS_URL (127.0.0.1:5432 and :6379 by default); the global
// setup (test/global-setup.ts) starts instances of the run's own when those do not answer, and
// names everything a run creates after ARP_TEST_RUN so that what a crashed file left is found.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The run's name in every database, Redis key prefix and temporary folder its tests create. */
export const testRun = (process.env.ARP_TEST_RUN ??= `r${randomBytes(4).toString('hex')}`);

/** The PostgreSQL server (no database) the tests create their databases on, as user postgres. */
export const testPostgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
/** The Redis the tests share, each under key prefixes of its own (testRedisPrefix). */
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let prefixes = 0;
/** A Redis key prefix of one test's own, removed by the fixtures when its file ends. */
export const testRedisPrefix = (label: string) => `test:${testRun}:${label}:${process.pid}:${++prefixes}:`;

/** A temporary folder named after the run: `arp-<label>-<run>-XXXXXX`. */
export const testTempDir = (label: string) => mkdtempSync(join(tmpdir(), `arp-${label}-${testRun}-`));

/** What this run left in the temporary folder (matches testTempDir's names). */
export const runTempDirs = (run = testRun) =>
  readdirSync(tmpdir())
    .filter((name) => name.startsWith('arp-') && name.includes(`-${run}-`))
    .map((name) => join(tmpdir(), name));

/** A port nobody listens on right now. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether PostgreSQL answers at `url` (the `test` database, which the tests' admin connection uses). */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${url}/test`, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const isRoot = () => process.getuid?.() === 0;
const hasApt = () => existsSync('/usr/bin/apt-get');

/**
 * Installs Debian packages when this process may (root, apt-get present), printing one line about
 * it; otherwise throws `advice`. The output goes to a log whose end is shown when it fails.
 */
export function installDebianPackages(packages: string[], why: string, advice: string): void {
  if (!isRoot() || !hasApt()) throw new Error(advice);
  const log = join(tmpdir(), `arp-apt-${testRun}.log`);
  console.log(`[test setup] ${why}: installing Debian's ${packages.join(', ')} (apt-get, a minute or two; log in ${log})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => execFileSync('apt-get', args, { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  let output = '';
  try {
    output += apt(['update']);
    output += apt(['install', '-y', '--no-install-recommends', ...packages]);
    rmSync(log, { force: true });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: Buffer; stderr?: Buffer };
    writeFileSync(log, output + stdout + stderr);
    throw new Error(`apt-get could not install ${packages.join(', ')} (see ${log}). ${advice}`);
  }
}

/** Debian's Chromium, which the browser tests drive (never a downloaded browser). */
export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  // A CJK font makes the screenshots readable.
  installDebianPackages(
    ['chromium', 'fonts-wqy-microhei'],
    `Chromium is missing (${CHROMIUM}) for the browser tests`,
    `The browser tests need Debian's Chromium at ${CHROMIUM}: run \`apt-get install -y chromium fonts-wqy-microhei\` as root, then run the tests again.`,
  );
}

export interface OwnService {
  url: string;
  stop(): Promise<void>;
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The newest PostgreSQL's binaries Debian installed, or none. */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest && join(root, newest, 'bin');
}

/** `id -u/-g postgres`: PostgreSQL refuses to run as root. */
const postgresUser = () => ({
  uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
  gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
});

export interface OwnPostgres extends OwnService {
  /** Stops the server (a fast shutdown, as a restart or a failover begins), keeping its data. */
  halt(): Promise<void>;
  /** Starts the halted server again on the same port; resolves once it answers. */
  resume(): Promise<void>;
}

/**
 * A PostgreSQL of the caller's own: initdb into a temporary folder, `postgres` on a free port of
 * 127.0.0.1 (trust authentication, user postgres, a `test` database), stopped and removed by stop().
 * Installs Debian's postgresql when it is missing and this process may.
 */
export async function startPostgres(label = 'postgres'): Promise<OwnPostgres> {
  let bin = postgresBin();
  if (!bin) {
    installDebianPackages(
      ['postgresql'],
      'PostgreSQL is not reachable and not installed',
      `Some tests need PostgreSQL 15+: start it at ${testPostgresUrl} (user postgres, a database named test), set TEST_POSTGRES_URL, or run \`apt-get install -y postgresql\` as root so the tests start their own.`,
    );
    bin = postgresBin()!;
  }
  const dir = testTempDir(label);
  const user = isRoot() ? postgresUser() : undefined;
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], { ...user, stdio: 'pipe' });
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}`;
  let server!: ChildProcess;
  let output = '';
  // Durability is not what these instances are for: no fsync makes them start and write faster.
  const launch = () => {
    server = spawn(
      join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
      { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    server.stderr!.on('data', (chunk) => (output += chunk));
  };
  const halt = () => stopProcess(server, 'SIGINT'); // fast shutdown
  const stop = async () => {
    await halt();
    rmSync(dir, { recursive: true, force: true });
  };
  /** Waits until the server answers, then runs `first` on it (as user postgres, database postgres). */
  const answering = async (first: string) => {
    for (let waited = 0; ; waited += 100) {
      const admin = new pg.Client({ connectionString: `${url}/postgres` });
      admin.on('error', () => {});
      try {
        await admin.connect();
        await admin.query(first);
        await admin.end();
        return;
      } catch (error) {
        await admin.end().catch(() => {});
        if (server.exitCode !== null || waited > 30_000) {
          await stop();
          throw new Error(`PostgreSQL did not start (${(error as Error).message}): ${output.slice(-2000)}`);
        }
        await sleep(100);
      }
    }
  };
  launch();
  await answering('CREATE DATABASE test');
  return {
    url,
    stop,
    halt,
    async resume() {
      launch();
      await answering('SELECT 1');
    },
  };
}

/** A redis-server of the caller's own on a free port, no persistence; stop() ends it and removes its folder. */
export async function startRedis(label = 'redis'): Promise<OwnService> {
  if (!existsSync('/usr/bin/redis-server')) {
    installDebianPackages(
      ['redis-server'],
      'Redis is not reachable and not installed',
      `Some tests need Redis: start it at ${testRedisUrl}, set TEST_REDIS_URL, or run \`apt-get install -y redis-server\` as root so the tests start their own.`,
    );
  }
  const dir = testTempDir(label);
  const port = await freePort();
  const server = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(server, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let waited = 0; !(await redisAnswers(url)); waited += 100) {
    if (server.exitCode !== null || waited > 15_000) {
      await stop();
      throw new Error(`redis-server did not start: ${output.slice(-2000)}`);
    }
    await sleep(100);
  }
  return { url, stop };
}
