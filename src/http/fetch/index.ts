/**
 * `create-chatkit-backend/fetch`: the ChatKit endpoint as a Web-standard
 * `(request: Request) => Promise<Response>` handler, with the same rules as
 * the Fastify plugin (streaming, cancellation, CORS, auth, uploads, JSON
 * errors, diagnostics).
 *
 *     import { createChatKitHandler } from 'create-chatkit-backend/fetch';
 *     const handler = createChatKitHandler({ server, path: '/api/chatkit', auth: { jwt: { secret } } });
 *     export { handler as GET, handler as POST, handler as PUT, handler as OPTIONS };   // Next.js
 */
export { createChatKitHandler, type ChatKitFetchHandler, type ChatKitFetchOptions, type ChatKitRequestInfo } from './handler.js';
export { toNodeListener, type FetchHandler } from './node.js';
export {
  ChatKitPluginConfigError,
  DEFAULT_BODY_LIMIT,
  DEFAULT_PATH,
  type AuthOptions,
  type ChatKitHttpOptions,
  type CorsOptions,
  type DiagnosticsOptions,
  type JwtAuthOptions,
  type UploadOptions,
  type VerifyAuthOptions,
} from '../options.js';
export { HttpError, UnauthorizedError } from '../errors.js';
export { defaultContext, localeOf, type DefaultContext } from '../context.js';
export { ChatKitObserver, type ObservedEvent, type ObservedRequest, type ObservedResponse } from '../observer.js';
export { SSE_HEADERS } from '../core/sse-writer.js';
export { DIAGNOSTICS_TOKEN_HEADER } from '../core/diagnostics.js';
export type { RequestLog } from '../core/exchange.js';
export { FileAttachmentStore, type FileAttachmentStoreOptions } from '../../runtime/attachments/index.js';
export { createRateLimiter, RateLimitedError, DEFAULT_RATE_LIMIT_WINDOW_MS, type RateLimitOptions, type RateLimiter } from '../rate-limit/limiter.js';
export { MemoryRateLimitStore, type RateLimitHit, type RateLimitStore } from '../rate-limit/store.js';
export { parseRateLimit } from '../rate-limit/parse.js';
