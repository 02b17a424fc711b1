/**
 * The options of both front doors (the Fastify plugin and the fetch
 * handler), and their validation at start-up: mistakes here are found when
 * the server boots, with a message that says how to fix them, rather than as
 * a browser "CORS error" in production. `TRequest` is the front door's own
 * request type (`FastifyRequest` or the Web `Request`).
 */
import type { FastifyRequest } from 'fastify';
import type { ChatKitServer } from '../runtime/server.js';
import type { AttachmentByteStore } from '../runtime/attachments/byte-store.js';
import type { RateLimitOptions } from './rate-limit/limiter.js';

export interface CorsOptions {
  /** Exact origins (`https://app.example.com`) or `'*'` for any origin (never with credentials). */
  origins: string[] | '*';
  /** Send `access-control-allow-credentials: true` (cookies). */
  credentials?: boolean;
  /** Request headers allowed in addition to `content-type`, `authorization` and `accept-language`. */
  allowedHeaders?: string[];
  /** How long browsers may cache a preflight, in seconds. Default 600. */
  maxAge?: number;
}

export interface JwtAuthOptions {
  jwt: {
    /** HMAC secret (HS256/384/512). */
    secret?: string;
    /** A JWKS endpoint for asymmetric keys (RS256, ES256, EdDSA...). */
    jwksUrl?: string;
    issuer?: string | string[];
    audience?: string | string[];
    /** Refuse tokens without an `exp` claim (401). Default `false`; generated projects turn it on. */
    requireExp?: boolean;
  };
}

export interface VerifyAuthOptions<TRequest = FastifyRequest> {
  /** Return the caller, or `null` to answer 401. Throw an `UnauthorizedError` to choose the message. */
  verify(request: TRequest): Promise<{ userId: string } | null> | { userId: string } | null;
}

export type AuthOptions<TRequest = FastifyRequest> = JwtAuthOptions | VerifyAuthOptions<TRequest>;

export interface UploadOptions<TContext> {
  /** Route for uploads. Default: the attachment store's `uploadPath`, which defaults to `/chatkit/api/upload`. */
  path?: string;
  /** Where the bytes go. Default: the server's attachment store, when it keeps bytes (`FileAttachmentStore`, `S3AttachmentStore`). */
  store?: AttachmentByteStore<TContext>;
}

export interface DiagnosticsOptions {
  /** Default: `true` only when `NODE_ENV === 'development'`, or when a token is set. */
  enabled?: boolean;
  /** Required in the `x-chatkit-diagnostics-token` header (or `?token=`) when set. */
  token?: string;
}

export interface PlaygroundOptions {
  /** Default: on when CHATKIT_PLAYGROUND=1 (`dev` sets it), otherwise off. */
  enabled?: boolean;
  /** Where the page is served. Default `/`. */
  path?: string;
  /** The public domain key the "real ChatKit" view passes on. Default: VITE_CHATKIT_DOMAIN_KEY. */
  domainKey?: string;
}

/** What both front doors accept. */
export interface ChatKitHttpOptions<TContext, TRequest> {
  server: ChatKitServer<TContext>;
  /** The ChatKit endpoint (ChatKit.js `api.url`). Default `/chatkit/api`. */
  path?: string;
  /** Builds the request context. Default: `{ userId, locale, headers }`. */
  context?: (request: TRequest, auth: { userId: string | undefined }) => TContext | Promise<TContext>;
  cors?: CorsOptions;
  auth?: AuthOptions<TRequest>;
  /** Upload routes; `false` turns them off. */
  uploads?: UploadOptions<TContext> | false;
  /** Largest protocol request body in bytes. Default 8 MiB (dictation audio arrives base64-encoded). */
  bodyLimit?: number;
  /** Send `: ping` comments on streams this often; 0 (the default) sends none. */
  heartbeatMs?: number;
  diagnostics?: DiagnosticsOptions;
  /**
   * Limit streaming requests (the ones that run the model) per user, or per
   * client IP without auth: past `max` in `windowMs` they get a 429 with
   * `retry-after`. Pass `store: new RedisRateLimitStore({ url })` when
   * several instances share the limit. Off by default.
   */
  rateLimit?: RateLimitOptions | false;
}

/** The Fastify plugin's options: an interface, so plugin-only options can be added to it. */
export interface ChatKitPluginOptions<TContext = any> extends ChatKitHttpOptions<TContext, FastifyRequest> {
  /** The browser playground (docs/playground.md). Off by default: production serves nothing at `/` unless told. */
  playground?: boolean | PlaygroundOptions;
}

export const DEFAULT_PATH = '/chatkit/api';
export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

/** Thrown at registration for options that cannot work. */
export class ChatKitPluginConfigError extends Error {
  override name = 'ChatKitPluginConfigError';
}

export function normalizePath(path: string, option: string): string {
  if (!path.startsWith('/')) {
    throw new ChatKitPluginConfigError(`${option}: must start with "/" (got ${JSON.stringify(path)})`);
  }
  if (/[?#*:]/.test(path)) {
    throw new ChatKitPluginConfigError(`${option}: must be a plain path without "?", "#", "*" or ":" (got ${JSON.stringify(path)})`);
  }
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export function validateCors(cors: CorsOptions | undefined): void {
  if (!cors) return;
  if (cors.origins === '*') {
    if (cors.credentials) {
      throw new ChatKitPluginConfigError(
        "cors: origins '*' cannot be combined with credentials: true (browsers reject that response). List the exact origins instead, e.g. origins: ['https://app.example.com']",
      );
    }
    return;
  }
  if (!Array.isArray(cors.origins)) {
    throw new ChatKitPluginConfigError("cors.origins: expected an array of origins or '*'");
  }
  for (const origin of cors.origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== origin) {
      const hint = parsed && parsed.origin !== 'null' ? ` (did you mean ${JSON.stringify(parsed.origin)}?)` : '';
      throw new ChatKitPluginConfigError(
        `cors.origins: ${JSON.stringify(origin)} is not an origin; write scheme://host[:port] with no path or trailing slash${hint}`,
      );
    }
  }
  if (cors.maxAge !== undefined && (!Number.isInteger(cors.maxAge) || cors.maxAge < 0)) {
    throw new ChatKitPluginConfigError(`cors.maxAge: expected a non-negative whole number of seconds (got ${cors.maxAge})`);
  }
}

export function validateAuth(auth: AuthOptions<unknown> | undefined): void {
  if (!auth) return;
  if ('jwt' in auth) {
    const { secret, jwksUrl } = auth.jwt ?? {};
    if (!secret === !jwksUrl) {
      throw new ChatKitPluginConfigError('auth.jwt: set exactly one of secret (HMAC) or jwksUrl (public keys)');
    }
    if (jwksUrl) {
      try {
        new URL(jwksUrl);
      } catch {
        throw new ChatKitPluginConfigError(`auth.jwt.jwksUrl: not a URL (got ${JSON.stringify(jwksUrl)})`);
      }
    }
    return;
  }
  if (typeof (auth as VerifyAuthOptions<unknown>).verify !== 'function') {
    throw new ChatKitPluginConfigError('auth: expected { jwt: { secret | jwksUrl } } or { verify(request) }');
  }
}

export function validateRateLimit(rateLimit: RateLimitOptions | false | undefined): void {
  if (!rateLimit) return;
  if (!Number.isInteger(rateLimit.max) || rateLimit.max <= 0) {
    throw new ChatKitPluginConfigError(`rateLimit.max: expected a positive whole number of requests (got ${rateLimit.max})`);
  }
  if (rateLimit.windowMs !== undefined && (!Number.isInteger(rateLimit.windowMs) || rateLimit.windowMs <= 0)) {
    throw new ChatKitPluginConfigError(`rateLimit.windowMs: expected a positive whole number of milliseconds (got ${rateLimit.windowMs})`);
  }
  if (rateLimit.store !== undefined && typeof rateLimit.store?.hit !== 'function') {
    throw new ChatKitPluginConfigError('rateLimit.store: expected a RateLimitStore (an object with hit(key, windowMs)), e.g. new RedisRateLimitStore({ url })');
  }
}

export function validateNumbers(options: ChatKitHttpOptions<unknown, unknown>): void {
  for (const key of ['bodyLimit', 'heartbeatMs'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new ChatKitPluginConfigError(`${key}: expected a non-negative whole number (got ${value})`);
    }
  }
}
