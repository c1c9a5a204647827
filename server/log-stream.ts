// Where the processes' log lines go: standard output, without ever blocking the event loop. Node
// writes to a pipe asynchronously, queueing what the pipe does not take; when the reader stalls (a
// full pipe nobody reads, a closed one) lines beyond QUEUE_LIMIT_BYTES are dropped and counted, and
// the count is logged once the sink takes lines again. (pino's own destination retries a blocked
// write by sleeping the thread in Atomics.wait, and flushes synchronously at exit: a stalled reader
// would freeze the server and keep it from ever exiting.)

const QUEUE_LIMIT_BYTES = 4 * 1024 * 1024;

let dropped = 0;
let broken = false;

function sink(): NodeJS.WriteStream {
  const out = process.stdout;
  if (out.listenerCount('error') === 0) {
    // A closed reader (EPIPE) is not the server's failure: its lines are dropped from then on.
    out.on('error', () => {
      broken = true;
    });
  }
  return out;
}

/** A pino destination on standard output that drops, with a count, what a stalled reader cannot take. */
export function stdoutLogStream(): { write(line: string): void } {
  const out = sink();
  return {
    write(line: string) {
      if (broken || out.writableLength > QUEUE_LIMIT_BYTES) {
        dropped += 1;
        return;
      }
      if (dropped > 0) {
        out.write(`${JSON.stringify({ level: 40, time: Date.now(), msg: 'log lines dropped while standard output was blocked', dropped })}\n`);
        dropped = 0;
      }
      out.write(line);
    },
  };
}

/** Waits, at most `ms`, for queued log lines to reach standard output before the process exits. */
export async function drainLogs(ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!broken && process.stdout.writableLength > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
