/**
 * Maps a provider failure to the ChatKit error the user sees. Provider
 * messages are never passed through: OpenAI's 401 message quotes the key it
 * was given, and other providers echo request details. Each case gets a
 * fixed sentence instead, and `allow_retry` says whether retrying can help.
 */
import { APIConnectionError } from 'openai';
import { CustomStreamError, StreamError } from '../errors.js';

export const PROVIDER_ERROR_MESSAGES = {
  keyRejected:
    "The server's model API key was rejected by the model provider. The server administrator needs to check the key; retrying will not help.",
  quotaExhausted:
    "The server's model provider account has run out of quota. The server administrator needs to check its plan and billing.",
  rateLimited: 'The model provider is receiving too many requests right now. Please try again in a moment.',
  unavailable: 'The model provider is unavailable right now. Please try again in a moment.',
  unreachable: 'The server could not reach the model provider. Please try again in a moment.',
} as const;

interface ErrorLike {
  name?: string;
  status?: unknown;
  code?: unknown;
  type?: unknown;
  cause?: unknown;
}

/**
 * `StreamError`/`CustomStreamError` pass through unchanged; provider errors
 * (from the `openai` client, the scripted model, or wrapped in a `cause`)
 * become a `CustomStreamError`; anything else becomes `stream.error`.
 */
export function toChatKitError(error: unknown): StreamError | CustomStreamError {
  if (error instanceof StreamError || error instanceof CustomStreamError) return error;
  const provider = findProviderError(error);
  if (!provider) return new StreamError('stream.error', { allowRetry: true });

  const status = typeof provider.status === 'number' ? provider.status : undefined;
  const code = typeof provider.code === 'string' ? provider.code : undefined;
  const type = typeof provider.type === 'string' ? provider.type : undefined;

  if (status === 401 || status === 403 || isRejectedKey(provider)) return new CustomStreamError(PROVIDER_ERROR_MESSAGES.keyRejected, { allowRetry: false });
  if (status === 429 && (code === 'insufficient_quota' || type === 'insufficient_quota')) {
    return new CustomStreamError(PROVIDER_ERROR_MESSAGES.quotaExhausted, { allowRetry: false });
  }
  if (status === 429) return new CustomStreamError(PROVIDER_ERROR_MESSAGES.rateLimited, { allowRetry: true });
  if (status !== undefined && (status >= 500 || status === 408)) {
    return new CustomStreamError(PROVIDER_ERROR_MESSAGES.unavailable, { allowRetry: true });
  }
  if (status === undefined && isConnectionError(provider)) {
    return new CustomStreamError(PROVIDER_ERROR_MESSAGES.unreachable, { allowRetry: true });
  }
  return new StreamError('stream.error', { allowRetry: true });
}

/**
 * Gemini answers a bad key with 400 INVALID_ARGUMENT (reason API_KEY_INVALID),
 * often wrapped in a JSON array, which the client keeps as `error.error`.
 */
function isRejectedKey(error: ErrorLike): boolean {
  const body = (error as { error?: unknown }).error;
  const payloads = (Array.isArray(body) ? body : [body]).map((entry) =>
    entry && typeof entry === 'object' && 'error' in entry ? (entry as { error: unknown }).error : entry,
  );
  return payloads.some((payload) => {
    if (!payload || typeof payload !== 'object') return false;
    const { message, status, details } = payload as { message?: unknown; status?: unknown; details?: unknown };
    if (status === 'UNAUTHENTICATED' || status === 'PERMISSION_DENIED') return true;
    if (typeof message === 'string' && /API key not valid|API key expired/i.test(message)) return true;
    return Array.isArray(details) && details.some((detail) => /API_KEY_INVALID|API_KEY_EXPIRED/.test(String((detail as { reason?: unknown })?.reason)));
  });
}

/** Walks the `cause` chain for an error carrying an HTTP status or a connection failure. */
function findProviderError(error: unknown): ErrorLike | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const candidate = current as ErrorLike;
    if (typeof candidate.status === 'number' || isConnectionError(candidate)) return candidate;
    current = candidate.cause;
  }
  return undefined;
}

function isConnectionError(error: ErrorLike): boolean {
  // `instanceof` covers the client; the name covers a second copy of the `openai` package.
  if (error instanceof APIConnectionError) return true;
  const name = (error as { constructor?: { name?: string } }).constructor?.name;
  return name === 'APIConnectionError' || name === 'APIConnectionTimeoutError';
}
