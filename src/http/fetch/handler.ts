/**
 * `createChatKitHandler(options)`: the ChatKit endpoint, upload routes and
 * diagnostics stream as one Web-standard `(request: Request) => Promise<Response>`
 * function, for Next.js route handlers, Hono, Bun, Deno, Workers and Node
 * (through `toNodeListener`). It answers with the same rules as the Fastify
 * plugin (src/http/core); only the conversion of requests and answers is its own.
 */
import { loggableError } from '../../runtime/redact.js';
import { chunksOf, webStreamOf } from '../core/body.js';
import { resolveConfig } from '../core/config.js';
import { createRules } from '../core/router.js';
import type { Answer, IncomingCall, RequestLog } from '../core/exchange.js';
import { headerRecord } from '../context.js';
import type { ChatKitObserver } from '../observer.js';
import type { ChatKitHttpOptions } from '../options.js';
import { WebStreamTransport } from './web-transport.js';

export interface ChatKitFetchOptions<TContext = any> extends ChatKitHttpOptions<TContext, Request> {
  /** Where failures are logged, with the request id (pino-compatible). Default: `console`. */
  logger?: RequestLog;
}

/** What the host knows about the request beyond the Web `Request` (`toNodeListener` passes the peer address). */
export interface ChatKitRequestInfo {
  clientIp?: string;
}

export interface ChatKitFetchHandler {
  (request: Request, info?: ChatKitRequestInfo): Promise<Response>;
  /** What happens on each request, as on the plugin's `app.chatkit.observer`. */
  readonly observer: ChatKitObserver;
  /** The protocol endpoint, e.g. `/chatkit/api`. */
  readonly path: string;
  /** Where uploads go; `undefined` without an attachment store that keeps bytes. */
  readonly uploadPath: string | undefined;
}

const consoleLog: RequestLog = {
  error: (obj, message) => console.error(message, obj),
  warn: (obj, message) => console.warn(message, obj),
};

export function createChatKitHandler<TContext = any>(options: ChatKitFetchOptions<TContext>): ChatKitFetchHandler {
  const log = options.logger ?? consoleLog;
  const config = resolveConfig(options, (message, code) => {
    const emitWarning = globalThis.process?.emitWarning;
    if (typeof emitWarning === 'function') {
      if (code === 'CHATKIT_NO_AUTH' || globalThis.process.env.NODE_ENV !== 'test') emitWarning.call(globalThis.process, message, { code });
    } else {
      console.warn(message);
    }
  });
  const rules = createRules(config);

  const handler = async (request: Request, info?: ChatKitRequestInfo): Promise<Response> => {
    const { call, disconnected } = incomingCall(request, log, typeof info?.clientIp === 'string' ? info.clientIp : undefined);
    return toResponse(await rules(call), call, disconnected);
  };
  return Object.assign(handler, { observer: config.observer, path: config.path, uploadPath: config.uploads?.path });
}

/** The request as the rules see it; `disconnected` fires when the client goes away, by the request's signal or by cancelling the body. */
function incomingCall(request: Request, log: RequestLog, clientIp: string | undefined): { call: IncomingCall<Request>; disconnected: () => void } {
  const url = new URL(request.url);
  const listeners = new Set<() => void>();
  let gone = false;
  const disconnected = () => {
    if (gone) return;
    gone = true;
    for (const listener of listeners) listener();
    listeners.clear();
  };
  request.signal?.addEventListener('abort', disconnected, { once: true });
  let bodyRead = false;
  const call: IncomingCall<Request> = {
    method: request.method.toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: headerRecord(request.headers),
    get body() {
      if (!request.body) return undefined;
      bodyRead = true;
      return chunksOf(request.body);
    },
    discardBody() {
      // Read and dropped rather than cancelled: some hosts reset the connection when a body is cancelled.
      if (request.body && !bodyRead && !request.bodyUsed) void drain(request.body).catch(() => {});
    },
    onDisconnect(listener) {
      if (gone) {
        listener();
        return () => {};
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clientIp,
    requestId: crypto.randomUUID(),
    log,
    native: request,
  };
  return { call, disconnected };
}

async function drain(body: ReadableStream<Uint8Array>): Promise<void> {
  for await (const _chunk of chunksOf(body));
}

function toResponse(answer: Answer, call: IncomingCall<Request>, disconnected: () => void): Response {
  switch (answer.kind) {
    case 'json':
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    case 'empty':
      return new Response(null, { status: answer.status, headers: answer.headers });
    case 'bytes':
      return new Response(webStreamOf(answer.body, answer.close), { status: answer.status, headers: answer.headers });
    case 'stream': {
      const transport = new WebStreamTransport(disconnected);
      // The stream runs while the host reads the body.
      answer.produce(transport).catch((error: unknown) => {
        call.log.error({ err: loggableError(error), requestId: call.requestId }, 'ChatKit stream failed');
      });
      return new Response(transport.stream, { status: 200, headers: answer.headers });
    }
  }
}
