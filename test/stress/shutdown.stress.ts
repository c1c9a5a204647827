// Shutdown always ends within its limit, and a stalled log sink never freezes the server. Seen
// before: a harness sent SIGTERM and exited, closing the server's output; the server, blocked
// retrying a log write (pino's synchronous destination sleeping in Atomics.wait), was alive 37
// minutes later. Here the built server logs every request into a pipe the test stops reading.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHUTDOWN_LIMIT_MS } from '../../server/lifecycle.js';
import { buildServerBundle, freePort, serverNodeFlags, sleep } from './processes.js';

interface Stalled {
  proc: ChildProcess;
  port: number;
  exited: Promise<void>;
  /** The log reader: stopped (SIGSTOP) once the server is up; killing it closes the pipe. */
  reader: ChildProcess;
}

const dir = mkdtempSync(join(tmpdir(), 'arp-shutdown-'));
const started: ChildProcess[] = [];
const sockets: Socket[] = [];
beforeAll(() => buildServerBundle());
afterAll(() => {
  for (const s of sockets) s.destroy();
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The built server with its stdout on a pipe (a FIFO, 64 KiB) read by `cat`; once it answers, `cat`
 * is stopped and the server logs enough requests to fill the pipe many times over.
 */
async function stalledServer(name: string): Promise<Stalled> {
  const fifo = join(dir, `${name}.fifo`);
  execFileSync('mkfifo', [fifo]);
  const reader = spawn('cat', [fifo], { stdio: 'ignore' });
  const out = openSync(fifo, 'w');
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'info', DATABASE_PATH: join(dir, `${name}.db`), MEDIA_DIR: join(dir, 'media') };
  const proc = spawn(process.execPath, [...serverNodeFlags, 'dist/server.mjs'], { env, stdio: ['ignore', out, 'inherit'] });
  closeSync(out);
  started.push(proc, reader);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  for (let tries = 0; ; tries++) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (tries > 300) throw new Error('the server did not start');
    await sleep(100);
  }
  reader.kill('SIGSTOP');
  const query = JSON.stringify({ query: '{ __typename }' });
  for (let round = 0; round < 30; round++) {
    const requests = Array.from({ length: 20 }, () =>
      fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query, signal: AbortSignal.timeout(5_000) }).then((r) => r.text()),
    );
    // A server blocked on its log pipe stops answering here.
    await Promise.all(requests);
  }
  // Still answering at once: the logging never waits for the stalled reader.
  const asked = Date.now();
  expect((await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) })).status).toBe(200);
  expect(Date.now() - asked).toBeLessThan(1_000);
  return { proc, port, exited, reader };
}

/** A request whose body never finishes: the graceful close waits for it. */
function hangingRequest(server: Stalled): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":');
      setTimeout(resolve, 100);
    });
    socket.on('error', () => undefined);
    sockets.push(socket);
  });
}

const exitWithin = async (server: Stalled, ms: number) => {
  const started = Date.now();
  const exited = await Promise.race([server.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  return { exited, tookMs: Date.now() - started, code: server.proc.exitCode };
};

describe('shutdown with a stalled log reader', () => {
  it('SIGTERM, then the reader goes away: the server exits within the shutdown limit though a request never finishes', async () => {
    const server = await stalledServer('closed-reader');
    await hangingRequest(server);
    server.proc.kill('SIGTERM');
    // The harness exits at once, closing the server's output.
    server.reader.kill('SIGKILL');
    const { exited, tookMs, code } = await exitWithin(server, SHUTDOWN_LIMIT_MS + 5_000);
    expect(exited).toBe(true);
    expect(tookMs).toBeLessThan(SHUTDOWN_LIMIT_MS + 2_000);
    // The limit ended it, not a clean close (the hanging request held it open).
    expect(code).toBe(1);
  }, 90_000);

  it('a second signal ends a stopping server at once, its output still stalled', async () => {
    const server = await stalledServer('second-signal');
    await hangingRequest(server);
    server.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(server.proc.exitCode).toBeNull();
    server.proc.kill('SIGTERM');
    const { exited, tookMs } = await exitWithin(server, 5_000);
    expect(exited).toBe(true);
    expect(tookMs).toBeLessThan(1_000);
  }, 90_000);
});
