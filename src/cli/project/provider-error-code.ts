/**
 * The code of a provider's error response (`invalid_api_key`,
 * `insufficient_quota`, Gemini's `UNAUTHENTICATED`), never its message:
 * OpenAI's 401 message quotes the key it was given. Reads a clone, so the
 * caller's response body stays unread. Shared by dev and doctor.
 */
export async function providerErrorCode(response: Response): Promise<string | undefined> {
  const body = (await response.clone().json().catch(() => undefined)) as unknown;
  // Gemini wraps its error object in an array.
  const envelope = (Array.isArray(body) ? body[0] : body) as { error?: Record<string, unknown> } | undefined;
  const detail = envelope?.error ?? {};
  return [detail.code, detail.type, detail.status].find((value): value is string => typeof value === 'string' && value !== '');
}
