/**
 * The ChatKit endpoint: one POST whose raw body goes to `server.process()`.
 * A streaming result is prepared up to its first event before any byte is
 * sent (so an unknown thread is still a 404), then written frame by frame; a
 * client that goes away aborts the request's signal, and the runtime's
 * cancellation path runs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { waitForTurn } from '../../runtime/event-loop-slice.js';
import { loggableError } from '../../runtime/redact.js';
import { STOP_STREAM, type StreamingResult } from '../../runtime/results.js';
import { HttpError } from '../errors.js';
import { describeBody, type ObservedResponse } from '../observer.js';
import { readBody } from './body.js';
import { callerOf, type HttpConfig } from './config.js';
import { RateLimitedError, type RateLimiter } from '../rate-limit/limiter.js';
import { STREAMING_REQUEST_TYPES } from '../../runtime/protocol/requests.js';
import { errorAnswer } from './error-answer.js';
import type { Answer, AnswerHeaders, IncomingCall } from './exchange.js';
import { SSE_HEADERS, SseWriter, sseText, type FrameTransport } from './sse-writer.js';

/** Sent when the stream itself fails after its headers are out (the runtime turns handler errors into events already). */
const STREAM_FAILED = sseText({ type: 'error', code: 'stream.error', allow_retry: true });
const JSON_TYPE = 'application/json; charset=utf-8';

interface Observed {
  type: string | undefined;
  threadId?: string;
}

type Outcome = Pick<ObservedResponse, 'status' | 'streaming' | 'eventCount' | 'firstEventMs' | 'error'>;

export async function answerProtocol<TContext, TRequest>(
  config: HttpConfig<TContext, TRequest>,
  call: IncomingCall<TRequest>,
  base: AnswerHeaders,
): Promise<Answer> {
  const { observer } = config;
  const started = performance.now();
  const watching = observer.listenerCount('request') > 0 || observer.listenerCount('response') > 0;
  let observed: Observed | undefined;
  const report = (outcome: Outcome) => {
    if (!observed || observer.listenerCount('response') === 0) return;
    observer.emit('response', { requestId: call.requestId, ...observed, ...outcome, durationMs: performance.now() - started });
  };
  let stopListening: (() => void) | undefined;
  try {
    // A burst of requests takes turns with the streams already running (see the runtime's event-loop-slice.ts).
    const turn = waitForTurn();
    if (turn) await turn;
    const body = await readBody(call.body, config.bodyLimit, () => bodyTooLarge(config.bodyLimit));
    let parsed: unknown;
    if (watching || config.rateLimit) ({ parsed, ...observed } = describeBody(body));
    const { userId, context } = await callerOf(config, call);
    if (config.rateLimit && isStreamingType(observed?.type)) await checkRateLimit(config.rateLimit, call, userId);
    // Only authenticated requests are reported as requests; every outcome (401s too) as a response.
    if (observed && observer.listenerCount('request') > 0) {
      observer.emit('request', { requestId: call.requestId, ...observed, body: parsed });
    }
    const controller = new AbortController();
    const result = await config.server.process(body, context, { signal: controller.signal, requestId: call.requestId });
    if (!result.streaming) {
      report({ status: 200, streaming: false, eventCount: 0 });
      return { kind: 'json', status: 200, headers: { ...base, 'content-type': JSON_TYPE }, body: result.json };
    }
    stopListening = call.onDisconnect(() => controller.abort(new Error('client disconnected')));
    await result.prepare();
    const stop = stopListening;
    stopListening = undefined;
    // The front door starts the stream from its own async context; the handler's
    // code must keep this request's (AsyncLocalStorage: tracing, dev's failure log).
    const inRequestContext = AsyncLocalStorage.snapshot();
    return {
      kind: 'stream',
      headers: { ...base, ...SSE_HEADERS },
      produce: (transport) =>
        inRequestContext(() => stream(config, call, result, new SseWriter(transport, config.heartbeatMs), controller.signal, started, report)).finally(stop),
    };
  } catch (error) {
    stopListening?.();
    const { answer, mapped } = errorAnswer(call, error, base, config.bodyLimit);
    report({ status: mapped.status, streaming: false, eventCount: 0, error: { code: mapped.code, message: mapped.message } });
    return answer;
  }
}

async function stream<TContext, TRequest>(
  config: HttpConfig<TContext, TRequest>,
  call: IncomingCall<TRequest>,
  result: StreamingResult,
  sse: SseWriter,
  signal: AbortSignal,
  started: number,
  report: (outcome: Outcome) => void,
): Promise<void> {
  const { observer } = config;
  let eventCount = 0;
  let firstEventMs: number | undefined;
  let failed = false;
  try {
    await result.pump((event) => {
      // The client went away: the runtime's cancellation runs.
      if (sse.closed) return STOP_STREAM;
      if (eventCount++ === 0) firstEventMs = performance.now() - started;
      if (observer.listenerCount('event') > 0) {
        observer.emit('event', { requestId: call.requestId, event, atMs: performance.now() - started });
      }
      return sse.write(sseText(event));
    });
  } catch (error) {
    failed = true;
    call.log.error({ err: loggableError(error), requestId: call.requestId }, 'ChatKit stream failed mid-way');
    if (!sse.closed) sse.write(STREAM_FAILED);
  } finally {
    sse.end();
  }
  const error = earlyEndOf(failed, signal.aborted);
  report({
    status: 200,
    streaming: true,
    eventCount,
    ...(firstEventMs === undefined ? {} : { firstEventMs }),
    ...(error ? { error } : {}),
  });
}

const streamingTypes: ReadonlySet<string> = new Set(STREAMING_REQUEST_TYPES);

function isStreamingType(type: string | undefined): boolean {
  return type !== undefined && streamingTypes.has(type);
}

/**
 * Over the limit: a 429. When the counters cannot be reached (Redis down),
 * the request goes through and the failure is logged: an outage of the
 * limiter should not take the chat down with it.
 */
async function checkRateLimit(limiter: RateLimiter, call: IncomingCall<unknown>, userId: string | undefined): Promise<void> {
  try {
    await limiter.check({ userId, clientIp: call.clientIp });
  } catch (error) {
    if (error instanceof RateLimitedError) throw error;
    call.log.error({ err: loggableError(error), requestId: call.requestId }, 'Rate limit counters unavailable; request allowed');
  }
}

export function bodyTooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `body: larger than the ${limit}-byte limit (raise the bodyLimit option to accept more)`);
}

/** Why a stream that had started did not run to its end, for the observer; `undefined` when it did. */
function earlyEndOf(failed: boolean, aborted: boolean): ObservedResponse['error'] {
  if (failed) return { code: 'stream_failed', message: 'The stream failed after it started; see the server log' };
  if (aborted) return { code: 'client_disconnected', message: 'The client disconnected before the stream ended' };
  return undefined;
}

export type { FrameTransport };
