/**
 * The default request context: who is calling, in which language, and the
 * request headers (without credentials, which would otherwise travel into
 * every hook, store call and recording).
 */
import type { RequestHeaders } from './core/exchange.js';

export interface DefaultContext {
  /** The verified subject; `undefined` when no auth is configured. */
  userId: string | undefined;
  /** The first language of `Accept-Language` (ChatKit sends the active locale), e.g. `fr-FR`. */
  locale: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);

/** Takes a Fastify request (headers as a record) or a Web `Request` (a `Headers` object). */
export function defaultContext(
  request: { headers: RequestHeaders | Headers },
  auth: { userId: string | undefined },
): DefaultContext {
  const all = headerRecord(request.headers);
  const headers: RequestHeaders = {};
  for (const [name, value] of Object.entries(all)) {
    if (!CREDENTIAL_HEADERS.has(name)) headers[name] = value;
  }
  const language = all['accept-language'];
  return { userId: auth.userId, locale: localeOf(Array.isArray(language) ? language[0] : language), headers };
}

/** `Headers` as the record Node gives (lower-case names); a record is returned as it is. */
export function headerRecord(headers: RequestHeaders | Headers): RequestHeaders {
  if (typeof (headers as Headers).forEach !== 'function' || typeof (headers as Headers).get !== 'function') {
    return headers as RequestHeaders;
  }
  const record: RequestHeaders = {};
  (headers as Headers).forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** `fr-FR,fr;q=0.9` → `fr-FR`; `*` and empty values → undefined. */
export function localeOf(acceptLanguage: string | undefined): string | undefined {
  const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim();
  return first && first !== '*' ? first : undefined;
}
