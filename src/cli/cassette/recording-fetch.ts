/**
 * A `fetch` for the model provider's HTTP client that records each exchange.
 * The response body is passed through chunk by chunk as it arrives (buffering
 * would change what the app streams), and a copy of each chunk is kept with
 * its time since the request was sent.
 */
import type { ModelLine } from './format.js';
import { bodyValue, describeOutgoing, type FetchInit, type FetchInput } from './http-body.js';

export interface RecordingFetchOptions {
  fetch?: typeof globalThis.fetch;
  /** Called once per exchange when its response body has ended (or failed). Lines are not yet redacted. */
  onExchange: (line: ModelLine, tag: unknown) => void;
  /** Captured when the call starts and handed back with the exchange (e.g. which request was active). */
  tag?: () => unknown;
  /** The ChatKit request the call belongs to, when the caller knows it. */
  currentRequest?: () => number | undefined;
  now?: () => number;
}

export function createRecordingFetch(options: RecordingFetchOptions): typeof globalThis.fetch {
  const base = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => performance.now());
  let nextCall = 0;

  return async function recordingFetch(input: FetchInput, init?: FetchInit): Promise<Response> {
    const outgoing = await describeOutgoing(input, init);
    const call = nextCall++;
    const request = options.currentRequest?.();
    const tag = options.tag?.();
    const startedAt = now();
    const response = await base(input, init);

    const line: ModelLine = {
      kind: 'model',
      call,
      ...(request === undefined ? {} : { request }),
      method: outgoing.method,
      path: outgoing.url.pathname + outgoing.url.search,
      headers: Object.fromEntries(outgoing.headers.entries()),
      body: bodyValue(outgoing.bodyText),
      response: { status: response.status, headers: Object.fromEntries(response.headers.entries()), chunks: [] },
    };

    if (!response.body) {
      options.onExchange(line, tag);
      return response;
    }

    const decoder = new TextDecoder();
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      const tail = decoder.decode();
      if (tail) line.response.chunks.push({ t: Math.round(now() - startedAt), data: tail });
      options.onExchange(line, tag);
    };
    const reader = response.body.getReader();
    const passthrough = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            finish();
            controller.close();
            return;
          }
          const data = decoder.decode(value, { stream: true });
          if (data) line.response.chunks.push({ t: Math.round(now() - startedAt), data });
          controller.enqueue(value);
        } catch (error) {
          finish();
          controller.error(error);
        }
      },
      async cancel(reason) {
        finish();
        await reader.cancel(reason);
      },
    });
    return new Response(passthrough, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
