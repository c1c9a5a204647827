// `npm start` builds only when the build is stale, and several starts from one checkout at once
// leave a whole bundle (scripts/build.mjs).
import { execFileSync, spawn } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const BUNDLE = 'dist/server.mjs';
const build = (...args: string[]) => execFileSync(process.execPath, ['scripts/build.mjs', ...args], { stdio: 'inherit' });
const buildAsync = (...args: string[]) =>
  new Promise<number | null>((resolve) => spawn(process.execPath, ['scripts/build.mjs', ...args], { stdio: 'inherit' }).once('exit', resolve));

describe('the build before a start', () => {
  it('a current build is left alone; a stale one is rebuilt, three starts at once all succeeding with whole bundles', async () => {
    build('--if-stale', 'server');
    const current = statSync(BUNDLE).mtimeMs;
    build('--if-stale', 'server');
    expect(statSync(BUNDLE).mtimeMs).toBe(current);

    // Older than every source, as after a `git pull`.
    const past = new Date('2000-01-01T00:00:00Z');
    utimesSync(BUNDLE, past, past);
    expect(await Promise.all([1, 2, 3].map(() => buildAsync('--if-stale', 'server')))).toEqual([0, 0, 0]);
    const rebuilt = statSync(BUNDLE).mtimeMs;
    expect(rebuilt).toBeGreaterThan(past.getTime());
    // Each bundle loads: none was left half-written.
    for (const bundle of [BUNDLE, 'dist/worker.mjs']) execFileSync(process.execPath, ['--check', bundle]);
    build('--if-stale', 'server');
    expect(statSync(BUNDLE).mtimeMs).toBe(rebuilt);
  }, 60_000);
});
