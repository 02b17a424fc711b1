/**
 * A `fetch` that serves model HTTP exchanges from a cassette, in recorded order
 * (ordinal matching: the same prompt asked twice gets the two recorded answers).
 * It never touches the network. A call the cassette does not hold is answered
 * with an HTTP 400 (which the openai client does not retry) and remembered, so
 * the replay report can name the re-record command instead of a vague error.
 */
import type { ModelLine } from './format.js';
import { bodyValue, describeOutgoing, endpointOf, type FetchInit, type FetchInput } from './http-body.js';

export type ReplayTiming = 'fast' | 'recorded';

export interface ObservedModelCall {
  call: number;
  method: string;
  path: string;
  body: unknown;
}

export interface ModelMismatch {
  call: number;
  message: string;
}

export interface ReplayingFetch {
  fetch: typeof globalThis.fetch;
  /** Every call the app made, in order, for comparing request bodies with the recorded ones. */
  readonly calls: ObservedModelCall[];
  readonly mismatches: ModelMismatch[];
  /** Recorded exchanges the app never asked for. */
  unused(): ModelLine[];
}

export interface ReplayingFetchOptions {
  timing?: ReplayTiming;
  /** The command to tell the user to run when the cassette lacks a call. */
  rerecordHint: string;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function createReplayingFetch(recorded: readonly ModelLine[], options: ReplayingFetchOptions): ReplayingFetch {
  const calls: ObservedModelCall[] = [];
  const mismatches: ModelMismatch[] = [];
  const sleep = options.sleep ?? defaultSleep;
  let next = 0;

  async function replayingFetch(input: FetchInput, init?: FetchInit): Promise<Response> {
    const outgoing = await describeOutgoing(input, init);
    const path = outgoing.url.pathname + outgoing.url.search;
    const call = calls.length;
    calls.push({ call, method: outgoing.method, path, body: bodyValue(outgoing.bodyText) });

    const line = recorded[next];
    if (!line) {
      return refuse(call, `model call #${call} (${outgoing.method} ${endpointOf(path)}) is not in the cassette, which holds ${recorded.length} call(s)`);
    }
    if (line.method !== outgoing.method || endpointOf(line.path) !== endpointOf(path)) {
      return refuse(call, `model call #${call} is ${outgoing.method} ${endpointOf(path)} but the cassette recorded ${line.method} ${endpointOf(line.path)}`);
    }
    next++;
    return respond(line, init?.signal ?? undefined);
  }

  function refuse(call: number, message: string): Response {
    const full = `${message}. Re-record it with \`${options.rerecordHint}\`.`;
    mismatches.push({ call, message: full });
    return new Response(JSON.stringify({ error: { message: `replay: ${full}`, type: 'invalid_request_error', code: 'cassette_mismatch' } }), {
      status: 400,
      headers: { 'content-type': 'application/json' },
    });
  }

  function respond(line: ModelLine, signal: AbortSignal | undefined): Response {
    const encoder = new TextEncoder();
    const chunks = line.response.chunks;
    let index = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const chunk = chunks[index++];
        if (!chunk) {
          controller.close();
          return;
        }
        if (options.timing === 'recorded') {
          const previous = index >= 2 ? chunks[index - 2].t : 0;
          await sleep(Math.max(0, chunk.t - previous), signal);
        }
        controller.enqueue(encoder.encode(chunk.data));
      },
    });
    const headers = new Headers(line.response.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'text/event-stream');
    // The client still retries exactly as it did when recording, but without waiting the provider's
    // `retry-after` (seconds) in fast mode: 1 ms is the shortest wait the client accepts (0 means "use the default").
    if (options.timing !== 'recorded' && (headers.has('retry-after') || headers.has('retry-after-ms'))) headers.set('retry-after-ms', '1');
    return new Response(body, { status: line.response.status, headers });
  }

  return { fetch: replayingFetch, calls, mismatches, unused: () => recorded.slice(next) };
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
