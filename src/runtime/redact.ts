/**
 * Keeps secrets out of logs. Provider SDK errors quote what they were given
 * (OpenAI's 401 message includes the start and end of the key it rejected),
 * and a handler error may carry request headers; anything the runtime or the
 * HTTP layer logs goes through `loggableError` first.
 */

export interface SecretPattern {
  name: string;
  description: string;
  regex: RegExp;
}

/**
 * Credentials that must never be written to a log or a cassette (the
 * cassette writer and scanner use the same list).
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  // Lookbehinds keep `task-…` or `mask-…` from matching the `sk-` pattern.
  { name: 'openai-key', description: 'an OpenAI API key (sk-…)', regex: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_*-]{16,}/g },
  { name: 'gemini-key', description: 'a Google API key (AIza…)', regex: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{30,}/g },
  { name: 'bearer-token', description: 'a bearer token', regex: /\bBearer\s+(?!\[REDACTED)[A-Za-z0-9._~+/-]{8,}=*/gi },
  { name: 'jwt', description: 'a JSON Web Token', regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { name: 'client-secret', description: 'a ChatKit client secret', regex: /\\?"client_secret\\?"\s*:\s*\\?"(?!\[REDACTED)[^"\\]{8,}/g },
  { name: 'private-key', description: 'a PEM private key', regex: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g },
];

export function redactSecrets(text: string): string {
  let result = text;
  for (const { name, regex } of SECRET_PATTERNS) result = result.replace(regex, `[REDACTED ${name}]`);
  return result;
}

/** An error as a plain object for a logger, with secrets removed from its message, stack and causes. */
export function loggableError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? redactSecrets(error) : error;
  const out: Record<string, unknown> = { type: error.name, message: redactSecrets(error.message) };
  if (error.stack) out.stack = redactSecrets(error.stack);
  for (const key of ['status', 'code'] as const) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  if (error.cause !== undefined && depth < 5) out.cause = loggableError(error.cause, depth + 1);
  return out;
}
