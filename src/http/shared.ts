/**
 * What every route of the plugin shares: the server, the observer, how to
 * authenticate and build a context, and how to answer with an error.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatKitServer } from '../runtime/server.js';
import type { Authenticate } from './auth.js';
import { HttpError, errorBody, mapError, type MappedError } from './errors.js';
import type { ChatKitObserver } from './observer.js';
import { loggableError } from '../runtime/redact.js';

export interface PluginState<TContext> {
  server: ChatKitServer<TContext>;
  observer: ChatKitObserver;
  authenticate: Authenticate;
  buildContext: (request: FastifyRequest, auth: { userId: string | undefined }) => TContext | Promise<TContext>;
  bodyLimit: number;
  heartbeatMs: number;
}

export async function contextFor<TContext>(state: PluginState<TContext>, request: FastifyRequest): Promise<TContext> {
  const userId = await state.authenticate(request);
  return state.buildContext(request, { userId });
}

/**
 * Answers with the JSON error body (CORS headers set by the hook stay on the
 * reply). Server-side failures are logged with the request id, never sent.
 */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown, byteLimit: number): MappedError {
  const mapped = mapError(error, request.id, byteLimit);
  if (mapped.internal) {
    request.log.error({ err: loggableError(error), requestId: request.id }, 'ChatKit request failed');
  }
  if (mapped.status === 401) reply.header('www-authenticate', 'Bearer');
  reply
    .code(mapped.status)
    .header('x-request-id', request.id)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(errorBody(mapped, request.id));
  return mapped;
}

/**
 * Every failure in `scope`, and every request no route of it matches, gets the
 * JSON error body. `notFound` words the 404 from the method and the path.
 */
export function answerErrorsAsJson(
  scope: FastifyInstance,
  byteLimit: number,
  notFound: (method: string, path: string) => string,
): void {
  scope.setErrorHandler((error, request, reply) => {
    sendError(request, reply, error, byteLimit);
  });
  scope.setNotFoundHandler((request, reply) => {
    const message = notFound(request.method, request.url.split('?')[0]!);
    sendError(request, reply, new HttpError(404, 'not_found', message), byteLimit);
  });
}
