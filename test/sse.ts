// Server-Sent Events as a browser's fetch reads them: the tests that follow a subscription share it.

export interface SseFrame {
  event: string;
  data: string;
}

/**
 * Reads `body` in the background, calling `onPing` for each comment frame (the server's keep-alive,
 * sent as soon as a stream opens) and `onFrame` for each event, until the stream ends or is aborted.
 */
export function readSse(body: NonNullable<Response['body']>, handlers: { onPing(): void; onFrame(frame: SseFrame): void }): void {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith(':')) {
            handlers.onPing();
            continue;
          }
          const field = (name: string) => frame.split('\n').find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
          handlers.onFrame({ event: field('event'), data: field('data') });
        }
      }
    } catch {
      // Aborted by the caller.
    }
  })();
}

export interface EventStream {
  /** The payloads of the `next` events so far, with when each arrived. */
  events: { at: number; payload: any }[];
  /** Resolves when another event arrives. */
  nextArrival(): Promise<void>;
  close(): void;
}

/** Opens a subscription as a browser does with fetch (POST, text/event-stream); resolves once the server's first ping arrived. */
export async function subscribe(server: { base: string }, query: string, token: string): Promise<EventStream> {
  const controller = new AbortController();
  const res = await fetch(`${server.base}/graphql`, {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  });
  if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new Error(`subscription refused: HTTP ${res.status} ${await res.text()}`);
  }
  const events: EventStream['events'] = [];
  let wake = () => {};
  let pinged!: () => void;
  const firstPing = new Promise<void>((resolve) => (pinged = resolve));
  readSse(res.body!, {
    onPing: () => pinged(),
    onFrame(frame) {
      if (frame.event !== 'next') return;
      events.push({ at: Date.now(), payload: JSON.parse(frame.data) });
      wake();
    },
  });
  // The server pings as soon as the stream opens, and subscribes right after.
  await firstPing;
  return {
    events,
    nextArrival: () => new Promise<void>((resolve) => (wake = resolve)),
    close: () => controller.abort(),
  };
}
