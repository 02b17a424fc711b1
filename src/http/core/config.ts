/**
 * The options of either front door, checked and resolved once at start-up
 * into what the HTTP rules need. Warnings (no auth, no CORS origins) go
 * through the front door's own `warn`.
 */
import type { ChatKitServer } from '../../runtime/server.js';
import { createAuthenticator, type Authenticate } from '../auth.js';
import { defaultContext } from '../context.js';
import { diagnosticsEnabled } from './diagnostics.js';
import { ChatKitObserver } from '../observer.js';
import {
  ChatKitPluginConfigError,
  DEFAULT_BODY_LIMIT,
  DEFAULT_PATH,
  normalizePath,
  validateAuth,
  validateCors,
  validateNumbers,
  validateRateLimit,
  type ChatKitHttpOptions,
} from '../options.js';
import { chooseUploadTarget, type UploadTarget } from '../upload-target.js';
import { corsPolicy, sameOriginOnly, type CorsPolicy } from './cors.js';
import { createRateLimiter, type RateLimiter } from '../rate-limit/limiter.js';

export interface HttpConfig<TContext, TRequest> {
  server: ChatKitServer<TContext>;
  path: string;
  uploads: UploadTarget<TContext> | undefined;
  observer: ChatKitObserver;
  authenticate: Authenticate<TRequest>;
  buildContext: (request: TRequest, auth: { userId: string | undefined }) => TContext | Promise<TContext>;
  cors: CorsPolicy;
  corsOrigins: readonly string[] | '*';
  bodyLimit: number;
  heartbeatMs: number;
  diagnostics: { enabled: boolean; token: string | undefined };
  rateLimit: RateLimiter | undefined;
}

export type Warn = (message: string, code: 'CHATKIT_NO_AUTH' | 'CHATKIT_NO_CORS') => void;

const NO_AUTH_WARNING =
  'create-chatkit-backend: the ChatKit endpoint has NO AUTHENTICATION. Anyone who can reach it can read and write every thread. ' +
  "Pass auth: { jwt: { secret | jwksUrl } } or auth: { verify(request) } (this warning is silent only when NODE_ENV is 'development' or 'test').";
const NO_CORS_WARNING =
  'create-chatkit-backend: no cors.origins configured, so browsers on other origins cannot call the ChatKit endpoint. ' +
  "Pass cors: { origins: ['https://your-frontend.example'] } unless the frontend is served from this same origin (or through a dev proxy).";

export function resolveConfig<TContext, TRequest>(
  options: ChatKitHttpOptions<TContext, TRequest>,
  warn: Warn,
): HttpConfig<TContext, TRequest> {
  if (!options?.server || typeof (options.server as { process?: unknown }).process !== 'function') {
    throw new ChatKitPluginConfigError('server: required; pass your ChatKitServer instance, e.g. { server: new MyServer(store) }');
  }
  validateCors(options.cors);
  validateAuth(options.auth);
  validateNumbers(options as ChatKitHttpOptions<unknown, unknown>);
  validateRateLimit(options.rateLimit);
  const path = normalizePath(options.path ?? DEFAULT_PATH, 'path');
  const uploads = chooseUploadTarget(options.uploads, options.server, path);

  const environment = globalThis.process?.env?.NODE_ENV;
  if (!options.auth && environment !== 'development' && environment !== 'test') warn(NO_AUTH_WARNING, 'CHATKIT_NO_AUTH');
  if (sameOriginOnly(options.cors)) warn(NO_CORS_WARNING, 'CHATKIT_NO_CORS');

  return {
    server: options.server,
    path,
    uploads,
    observer: new ChatKitObserver(),
    authenticate: createAuthenticator(options.auth),
    buildContext: options.context ?? (defaultContext as unknown as HttpConfig<TContext, TRequest>['buildContext']),
    cors: corsPolicy(options.cors),
    corsOrigins: options.cors?.origins ?? [],
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    heartbeatMs: options.heartbeatMs ?? 0,
    diagnostics: { enabled: diagnosticsEnabled(options.diagnostics), token: options.diagnostics?.token },
    rateLimit: options.rateLimit ? createRateLimiter(options.rateLimit) : undefined,
  };
}

export async function contextFor<TContext, TRequest>(
  config: HttpConfig<TContext, TRequest>,
  call: { native: TRequest } & Parameters<Authenticate<TRequest>>[0],
): Promise<TContext> {
  return (await callerOf(config, call)).context;
}

/** Who is calling (`userId` is `undefined` without auth) and the context built for them. */
export async function callerOf<TContext, TRequest>(
  config: HttpConfig<TContext, TRequest>,
  call: { native: TRequest } & Parameters<Authenticate<TRequest>>[0],
): Promise<{ userId: string | undefined; context: TContext }> {
  const userId = await config.authenticate(call);
  return { userId, context: await config.buildContext(call.native, { userId }) };
}
