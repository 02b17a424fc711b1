/**
 * The default request context: who is calling, in which language, and the
 * request headers (without credentials, which would otherwise travel into
 * every hook, store call and recording).
 */
import type { FastifyRequest } from 'fastify';

export interface DefaultContext {
  /** The verified subject; `undefined` when no auth is configured. */
  userId: string | undefined;
  /** The first language of `Accept-Language` (ChatKit sends the active locale), e.g. `fr-FR`. */
  locale: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);

export function defaultContext(request: FastifyRequest, auth: { userId: string | undefined }): DefaultContext {
  const headers: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!CREDENTIAL_HEADERS.has(name)) headers[name] = value;
  }
  return { userId: auth.userId, locale: localeOf(request.headers['accept-language']), headers };
}

/** `fr-FR,fr;q=0.9` → `fr-FR`; `*` and empty values → undefined. */
export function localeOf(acceptLanguage: string | undefined): string | undefined {
  const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim();
  return first && first !== '*' ? first : undefined;
}
