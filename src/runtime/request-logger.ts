/**
 * The server's logger, adding the request id to every line about one
 * request, so a line in the log can be matched with the response (and its
 * `x-request-id`) that it explains.
 */
import type { ChatKitLogger } from './server.js';

export function withRequestId(logger: ChatKitLogger, requestId: string | undefined): ChatKitLogger {
  if (requestId === undefined) return logger;
  const tag = (obj: unknown) =>
    typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? { ...obj, requestId } : { requestId, detail: obj };
  return {
    error: (obj, message) => logger.error(tag(obj), message),
    warn: (obj, message) => logger.warn(tag(obj), message),
  };
}
