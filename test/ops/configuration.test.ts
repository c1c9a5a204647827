// Deploying without guessing: `npm run keys` writes a .env a production server starts with, the
// real environment wins over the file, every setting the code reads is in the README, and a process
// that cannot start says why in one line.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSecrets, loadKeyRing } from '../../services/auth/keys.js';
import { ConfigError, environment, loadConfig } from '../../server/config.js';

const dir = mkdtempSync(join(tmpdir(), 'arp-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GATEWAY = { NOTIFY_WEBHOOK_URL: 'https://gateway.example/notify', NOTIFY_WEBHOOK_SECRET: 's'.repeat(32), PUBLIC_URL: 'https://shop.example' };

/** Runs a script of the project with `env` only (and PATH), as an operator's shell would. */
const run = (script: string, env: Record<string, string>) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
};

describe('deploying without guessing', () => {
  it('npm run keys, saved as .env, starts a production configuration with those keys; the real environment wins over the file', async () => {
    const keys = spawnSync('npm', ['run', '--silent', 'keys'], { encoding: 'utf8' });
    expect(keys.status).toBe(0);
    const file = join(dir, '.env');
    writeFileSync(file, keys.stdout);
    const config = loadConfig(environment({ ENV_FILE: file, NODE_ENV: 'production', DATABASE_PATH: join(dir, 'p.db'), ...GATEWAY }));
    expect(config.isProduction).toBe(true);
    expect(config.JWT_PRIVATE_KEY).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----$/);
    expect(keys.stdout).toContain(config.JWT_PUBLIC_KEY);
    expect(keys.stdout).toContain(`PII_KEY="${config.PII_KEY}"`);
    // The keys work: they sign, and the personal-data key is 32 bytes.
    const ring = await loadKeyRing(config);
    expect(ring.piiKey.length).toBe(32);
    expect(ring.jwks.keys).toHaveLength(1);

    const overridden = loadConfig(environment({ ENV_FILE: file, NODE_ENV: 'test', PII_KEY: 'from-the-environment' }));
    expect(overridden.PII_KEY).toBe('from-the-environment');
    expect(overridden.JWT_PUBLIC_KEY).toBe(config.JWT_PUBLIC_KEY);
    expect(() => environment({ ENV_FILE: join(dir, 'missing.env') })).toThrow(ConfigError);
    // Without the file a production start names what is missing.
    expect(() => loadConfig({ NODE_ENV: 'production', ...GATEWAY })).toThrow(/JWT_PRIVATE_KEY, JWT_PUBLIC_KEY, PII_KEY/);
  }, 30_000);

  it('every variable server/config.ts reads is in the README configuration table', () => {
    const source = readFileSync('services/settings.ts', 'utf8');
    const read = new Set([...source.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!));
    read.add('ENV_FILE');
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## API'));
    const documented = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
    expect([...read].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('a process that cannot start says why in one line, without a stack, and exits non-zero', async () => {
    const secrets = await generateSecrets();
    const cases: { script: string; env: Record<string, string>; line: RegExp }[] = [
      { script: 'server/main.ts', env: { PORT: 'eighty' }, line: /^the server could not start: Invalid configuration: PORT: / },
      { script: 'server/main.ts', env: { NODE_ENV: 'production', ...GATEWAY }, line: /^the server could not start: In production these secrets must be set in the environment: JWT_PRIVATE_KEY, JWT_PUBLIC_KEY, PII_KEY\./ },
      { script: 'server/worker.ts', env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', ...secrets }, line: /^the worker could not start: connect ECONNREFUSED 127\.0\.0\.1:1$/ },
      { script: 'server/cli/migrate.ts', env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', ...secrets }, line: /^migration failed: connect ECONNREFUSED 127\.0\.0\.1:1$/ },
    ];
    for (const c of cases) {
      // No settings file: only what the case sets.
      const r = run(c.script, { ENV_FILE: '/dev/null', ...c.env });
      expect(r.status, c.script).toBe(1);
      const lines = r.err.trim().split('\n');
      expect(lines, r.err).toHaveLength(1);
      expect(lines[0]).toMatch(c.line);
    }
  }, 60_000);

  it('the start-up line prints the address really bound, PORT=0 included', async () => {
    const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { PATH: process.env.PATH ?? '', ENV_FILE: '/dev/null', NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'never', DATABASE_PATH: join(dir, 'bound.db'), MEDIA_DIR: join(dir, 'media') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: server.stdout! });
      let url = '';
      for await (const line of lines) {
        const m = /^Alliance referral platform on (http:\/\/127\.0\.0\.1:(\d+)) \(GraphQL at \1\/graphql\)$/.exec(line);
        if (m) {
          url = m[1]!;
          expect(Number(m[2])).toBeGreaterThan(0);
          break;
        }
      }
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      server.kill('SIGKILL');
    }
  }, 30_000);
});
