// The one builder: `npm run build` (web app and bundles), `build:web`, `build:server`, and before
// `npm start` / `npm run worker` only when a source is newer than the build (--if-stale), so a
// start after `git pull` builds and any other start does not. Several processes starting from one
// checkout at once take turns on a lock and build once; each output is written beside its place
// and renamed in, so a process never loads a half-written bundle.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import lockfile from 'proper-lockfile';
import { build as vite } from 'vite';

const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const parts = args.filter((a) => a === 'web' || a === 'server');
const wanted = parts.length > 0 ? parts : ['web', 'server'];

const SOURCES = {
  web: ['web', 'package.json', 'package-lock.json'],
  server: ['server', 'schema', 'services', 'db', 'package.json', 'package-lock.json', 'tsconfig.json'],
};
const SKIP = new Set(['node_modules', 'dist', 'migrations', 'migrations-pg']);
const OUTPUTS = { web: ['web/dist/index.html'], server: ['dist/server.mjs', 'dist/worker.mjs'] };

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  // Files only: renaming a build into place changes its folder's time.
  let newest = 0;
  for (const entry of readdirSync(path)) if (!SKIP.has(entry) && !entry.startsWith('dist.')) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** The parts whose output is missing or older than the newest source. */
function stale() {
  return wanted.filter((part) => {
    const sources = Math.max(...SOURCES[part].filter(existsSync).map(newestMtime));
    return OUTPUTS[part].some((out) => !existsSync(out) || statSync(out).mtimeMs < sources);
  });
}

const builders = {
  async web() {
    const temp = `web/dist.${process.pid}`;
    await vite({ configFile: 'web/vite.config.ts', logLevel: 'warn', build: { outDir: `dist.${process.pid}`, emptyOutDir: true } });
    const old = `web/dist.old-${process.pid}`;
    if (existsSync('web/dist')) renameSync('web/dist', old);
    renameSync(temp, 'web/dist');
    rmSync(old, { recursive: true, force: true });
  },
  async server() {
    const temp = `dist/.build-${process.pid}`;
    try {
      await esbuild({
        entryPoints: { server: 'server/main.ts', worker: 'server/worker.ts' },
        outdir: temp,
        outExtension: { '.js': '.mjs' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        logLevel: 'warning',
      });
      for (const file of ['server.mjs', 'worker.mjs']) renameSync(join(temp, file), join('dist', file));
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  },
};

if (!ifStale || stale().length > 0) {
  mkdirSync('dist', { recursive: true });
  // Stale after 30 s without the holder's heartbeat: a build killed midway does not block the next.
  const release = await lockfile.lock('dist', { lockfilePath: 'dist/.build.lock', stale: 30_000, update: 5_000, retries: { retries: 600, minTimeout: 200, maxTimeout: 500 } });
  try {
    // Another process may have built while this one waited.
    for (const part of ifStale ? stale() : wanted) await builders[part]();
  } finally {
    await release();
  }
}
