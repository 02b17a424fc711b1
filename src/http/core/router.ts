/**
 * Which rule answers a request: the one implementation both front doors
 * call. Every answer carries the CORS headers and `x-request-id`; every
 * failure, unknown path and unsupported method becomes the JSON error shape.
 */
import { HttpError } from '../errors.js';
import type { HttpConfig } from './config.js';
import { answerDiagnostics } from './diagnostics.js';
import { errorAnswer } from './error-answer.js';
import { headerValue, type Answer, type AnswerHeaders, type IncomingCall } from './exchange.js';
import { answerProtocol } from './protocol.js';
import { answerDirectUpload, answerPreview, answerSecondPhase } from './uploads.js';

type Handler<TRequest> = (call: IncomingCall<TRequest>, base: AnswerHeaders) => Promise<Answer> | Answer;

interface Route<TRequest> {
  methods: Partial<Record<string, Handler<TRequest>>>;
  /** The limit named in 413 messages. */
  byteLimit: number;
  /** Why another method is refused, e.g. "The ChatKit endpoint accepts POST with a JSON body". */
  accepts: string;
}

export type ChatKitRules<TRequest> = (call: IncomingCall<TRequest>) => Promise<Answer>;

export function createRules<TContext, TRequest>(config: HttpConfig<TContext, TRequest>): ChatKitRules<TRequest> {
  const { path, uploads } = config;
  const protocol: Route<TRequest> = {
    methods: { POST: (call, base) => answerProtocol(config, call, base) },
    byteLimit: config.bodyLimit,
    accepts: 'The ChatKit endpoint accepts POST with a JSON body',
  };
  const diagnostics: Route<TRequest> | undefined = config.diagnostics.enabled
    ? {
        methods: { GET: (call, base) => answerDiagnostics(call, base, config.diagnostics.token, config.heartbeatMs) },
        byteLimit: config.bodyLimit,
        accepts: 'The diagnostics stream accepts GET',
      }
    : undefined;

  function match(rawPath: string): Route<TRequest> | undefined {
    const route = trimSlash(rawPath);
    if (route === path) return protocol;
    if (diagnostics && route === `${below(path)}/__diagnostics/stream`) return diagnostics;
    if (!uploads) return undefined;
    const { files } = uploads;
    const limit = files.policy.maxBytes;
    if (route === uploads.path) {
      return { methods: { POST: (call, base) => answerDirectUpload(config, files, call, base) }, byteLimit: limit, accepts: 'Direct uploads accept POST' };
    }
    if (!route.startsWith(`${uploads.path}/`)) return undefined;
    const rest = route.slice(uploads.path.length + 1).split('/');
    const id = decodeSegment(rest[0]!);
    if (id === undefined || id === '' || rest.length > 2 || (rest.length === 2 && rest[1] !== 'preview')) return undefined;
    if (rest.length === 2) {
      return { methods: { GET: (call, base) => answerPreview(config, files, call, base, id) }, byteLimit: limit, accepts: 'Previews accept GET' };
    }
    const secondPhase: Handler<TRequest> = (call, base) => answerSecondPhase(config, files, call, base, id);
    return { methods: { PUT: secondPhase, POST: secondPhase }, byteLimit: limit, accepts: 'Upload URLs accept PUT or POST' };
  }

  function notFound(call: IncomingCall<TRequest>): HttpError {
    const route = `${call.method} ${call.path}`;
    const underUploads = uploads && trimSlash(call.path).startsWith(`${uploads.path}/`);
    return new HttpError(404, 'not_found', underUploads ? `No upload route ${route}` : `No route ${route}; ChatKit requests go to POST ${path}`);
  }

  return async function answer(call) {
    const origin = headerValue(call.headers, 'origin');
    const base: AnswerHeaders = { ...config.cors.answerHeaders(origin), 'x-request-id': call.requestId };
    const route = match(call.path);
    try {
      if (!route) throw notFound(call);
      if (call.method === 'OPTIONS') {
        call.discardBody();
        return { kind: 'empty', status: 204, headers: { ...config.cors.preflightHeaders(origin), 'x-request-id': call.requestId, 'content-length': '0' } };
      }
      const handler = route.methods[call.method];
      if (!handler) {
        call.discardBody();
        const allow = Object.keys(route.methods).join(', ');
        throw new HttpError(405, 'method_not_allowed', `${route.accepts}, not ${call.method}`, allow);
      }
      return await handler(call, base);
    } catch (error) {
      return errorAnswer(call, error, base, route?.byteLimit ?? config.bodyLimit).answer;
    }
  };
}

/** The prefix of the paths below `path` (`/` has none). */
export function below(path: string): string {
  return path === '/' ? '' : path;
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** A percent-encoded path segment, or `undefined` when its encoding is broken. */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
