/**
 * The ChatKit endpoint: one POST whose body goes to `server.process()`.
 * Streaming results are prepared before any byte is sent (so an unknown
 * thread is still a 404), then written frame by frame on the raw response;
 * a client that disconnects aborts the request's signal.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StreamingResult } from '../runtime/results.js';
import { HttpError } from './errors.js';
import { describeBody, type ObservedResponse } from './observer.js';
import { contextFor, sendError, type PluginState } from './shared.js';
import { sseText, startSse } from './sse.js';
import { loggableError } from '../runtime/redact.js';

/** Sent when the stream itself fails after its headers are out (the runtime turns handler errors into events already). */
const STREAM_FAILED = sseText({ type: 'error', code: 'stream.error', allow_retry: true });

interface Observed {
  type: string | undefined;
  threadId?: string;
}

export function registerProtocolRoute<TContext>(scope: FastifyInstance, state: PluginState<TContext>): void {
  const { observer } = state;

  // ChatKit.js and the reference ignore the request content type: the body is read as raw bytes.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: state.bodyLimit }, (_request, body, done) => {
    done(null, body);
  });

  // Someone opening the endpoint in a browser learns what it expects.
  scope.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: '/',
    handler: async (request, reply) => {
      reply.header('allow', 'POST');
      sendError(request, reply, new HttpError(405, 'method_not_allowed', `The ChatKit endpoint accepts POST with a JSON body, not ${request.method}`), state.bodyLimit);
      return reply;
    },
  });

  scope.post('/', async function chatkitEndpoint(request: FastifyRequest, reply: FastifyReply) {
    const started = performance.now();
    reply.header('x-request-id', request.id);
    const body = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
    const watching = observer.listenerCount('request') > 0 || observer.listenerCount('response') > 0;
    let observed: Observed | undefined;
    let parsed: unknown;
    if (watching) ({ parsed, ...observed } = describeBody(body));
    try {
      const context = await contextFor(state, request);
      // Only authenticated requests are reported as requests; every outcome (401s too) as a response.
      if (observed && observer.listenerCount('request') > 0) {
        observer.emit('request', { requestId: request.id, ...observed, body: parsed });
      }
      const controller = new AbortController();
      const result = await state.server.process(body, context, { signal: controller.signal });
      if (!result.streaming) {
        reply.type('application/json; charset=utf-8');
        if (observed) report(request.id, observed, started, { status: 200, streaming: false, eventCount: 0 });
        return reply.send(result.json);
      }
      await streamResult(request, reply, result, controller, started, observed);
      return reply;
    } catch (error) {
      if (reply.raw.headersSent) {
        // Only reachable through a bug outside the runtime's own error events.
        request.log.error({ err: loggableError(error), requestId: request.id }, 'ChatKit stream failed after its headers were sent');
        if (!reply.raw.destroyed) reply.raw.end();
        return reply;
      }
      const mapped = sendError(request, reply, error, state.bodyLimit);
      if (observed) {
        report(request.id, observed, started, {
          status: mapped.status,
          streaming: false,
          eventCount: 0,
          error: { code: mapped.code, message: mapped.message },
        });
      }
      return reply;
    }
  });

  async function streamResult(
    request: FastifyRequest,
    reply: FastifyReply,
    result: StreamingResult,
    controller: AbortController,
    started: number,
    observed: Observed | undefined,
  ): Promise<void> {
    const res = reply.raw;
    const onClose = () => {
      if (!res.writableFinished) controller.abort(new Error('client disconnected'));
    };
    res.once('close', onClose);
    try {
      await result.prepare();
    } catch (error) {
      res.off('close', onClose);
      throw error;
    }
    const sse = startSse(reply, state.heartbeatMs);
    let eventCount = 0;
    let firstEventMs: number | undefined;
    let failed = false;
    try {
      for await (const event of result.events()) {
        if (sse.closed) break; // leaving the loop closes the pipeline: the runtime's cancellation runs
        if (eventCount++ === 0) firstEventMs = performance.now() - started;
        if (observer.listenerCount('event') > 0) {
          observer.emit('event', { requestId: request.id, event, atMs: performance.now() - started });
        }
        const full = sse.write(sseText(event));
        if (full) await full;
      }
    } catch (error) {
      failed = true;
      request.log.error({ err: loggableError(error), requestId: request.id }, 'ChatKit stream failed mid-way');
      if (!sse.closed) sse.write(STREAM_FAILED);
    } finally {
      sse.end();
    }
    if (observed) {
      const error = earlyEndOf(failed, controller.signal.aborted);
      report(request.id, observed, started, {
        status: 200,
        streaming: true,
        eventCount,
        ...(firstEventMs === undefined ? {} : { firstEventMs }),
        ...(error ? { error } : {}),
      });
    }
  }

  function report(
    requestId: string,
    observed: Observed,
    started: number,
    outcome: Pick<ObservedResponse, 'status' | 'streaming' | 'eventCount' | 'firstEventMs' | 'error'>,
  ): void {
    if (observer.listenerCount('response') === 0) return;
    observer.emit('response', { requestId, ...observed, ...outcome, durationMs: performance.now() - started });
  }
}

/** Why a stream that had started did not run to its end, for the observer; `undefined` when it did. */
function earlyEndOf(failed: boolean, aborted: boolean): ObservedResponse['error'] {
  if (failed) return { code: 'stream_failed', message: 'The stream failed after it started; see the server log' };
  if (aborted) return { code: 'client_disconnected', message: 'The client disconnected before the stream ended' };
  return undefined;
}
