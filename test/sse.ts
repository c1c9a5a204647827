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
