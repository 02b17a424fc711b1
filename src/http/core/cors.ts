/**
 * CORS for every answer of the ChatKit routes, errors and streams included
 * (so the browser shows the real 401 instead of a "CORS error"). Origins are
 * exact strings; without any, no CORS header is ever sent (same-origin only).
 */
import type { CorsOptions } from '../options.js';
import type { AnswerHeaders } from './exchange.js';

const BASE_ALLOWED_HEADERS = ['content-type', 'authorization', 'accept-language'];
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT';
const DEFAULT_MAX_AGE = 600;

/** No origin listed: browsers may only call from the same origin, and no CORS headers are sent. */
export function sameOriginOnly(options: CorsOptions | undefined): boolean {
  const origins = options?.origins ?? [];
  return origins !== '*' && origins.length === 0;
}

export interface CorsPolicy {
  /** Headers for an answer to a request from `origin`; empty when the origin is not allowed. */
  answerHeaders(origin: string | undefined): AnswerHeaders;
  /** Headers for a preflight from `origin`; empty when the origin is not allowed. */
  preflightHeaders(origin: string | undefined): AnswerHeaders;
}

export function corsPolicy(options: CorsOptions | undefined): CorsPolicy {
  if (!options || sameOriginOnly(options)) return { answerHeaders: () => ({}), preflightHeaders: () => ({}) };
  const anyOrigin = options.origins === '*';
  const allowed = new Set(anyOrigin ? [] : options.origins);
  const allowedHeaders = [...new Set([...BASE_ALLOWED_HEADERS, ...(options.allowedHeaders ?? []).map((h) => h.toLowerCase())])].join(', ');
  const maxAge = String(options.maxAge ?? DEFAULT_MAX_AGE);

  const answerHeaders = (origin: string | undefined): AnswerHeaders => {
    if (anyOrigin) return { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-request-id' };
    // The answer depends on the origin, so caches must keep one copy per origin.
    if (!origin || !allowed.has(origin)) return { vary: 'Origin' };
    const headers: AnswerHeaders = {
      'access-control-allow-origin': origin,
      'access-control-expose-headers': 'x-request-id',
      vary: 'Origin',
    };
    if (options.credentials) headers['access-control-allow-credentials'] = 'true';
    return headers;
  };

  return {
    answerHeaders,
    preflightHeaders(origin) {
      const headers = answerHeaders(origin);
      if (!headers['access-control-allow-origin']) return headers;
      return {
        ...headers,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': allowedHeaders,
        'access-control-max-age': maxAge,
      };
    },
  };
}
