/**
 * `create-chatkit-backend/fastify`: the ChatKit endpoint as a Fastify plugin,
 * with streaming, cancellation, CORS, auth, uploads and JSON errors.
 *
 *     import chatkit from 'create-chatkit-backend/fastify';
 *     await app.register(chatkit, { server, cors: { origins: ['https://app.example.com'] }, auth: { jwt: { secret } } });
 */
import { chatkitPlugin } from './plugin.js';

export default chatkitPlugin;
export { chatkitPlugin, type ChatKitDecoration } from './plugin.js';
export {
  ChatKitPluginConfigError,
  DEFAULT_BODY_LIMIT,
  DEFAULT_PATH,
  type AuthOptions,
  type ChatKitHttpOptions,
  type ChatKitPluginOptions,
  type CorsOptions,
  type DiagnosticsOptions,
  type JwtAuthOptions,
  type PlaygroundOptions,
  type UploadOptions,
  type VerifyAuthOptions,
} from './options.js';
export { HttpError, UnauthorizedError, mapError, type MappedError } from './errors.js';
export { defaultContext, localeOf, type DefaultContext } from './context.js';
export {
  ChatKitObserver,
  type ChatKitObserverEvents,
  type ObservedEvent,
  type ObservedRequest,
  type ObservedResponse,
} from './observer.js';
export { SSE_HEADERS } from './core/sse-writer.js';
export { DIAGNOSTICS_TOKEN_HEADER } from './core/diagnostics.js';
export { redactUrl } from './core/redact-url.js';
export { FileAttachmentStore, type FileAttachmentStoreOptions } from '../runtime/attachments/index.js';
export { createRateLimiter, RateLimitedError, DEFAULT_RATE_LIMIT_WINDOW_MS, type RateLimitOptions, type RateLimiter } from './rate-limit/limiter.js';
export { MemoryRateLimitStore, type RateLimitHit, type RateLimitStore } from './rate-limit/store.js';
export { parseRateLimit } from './rate-limit/parse.js';
