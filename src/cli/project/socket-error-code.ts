/**
 * The socket-level code of a failed request (`ECONNREFUSED`, `ENOTFOUND`,
 * `UND_ERR_CONNECT_TIMEOUT`): `fetch` throws a bare "fetch failed" and keeps
 * it in `cause`, the `openai` client wraps that once more. Shared by dev's
 * failure lines and doctor's `--online` check. Pure.
 */
export function socketErrorCode(error: unknown): string | undefined {
  let current = error as { code?: unknown; name?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    if (typeof current.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(current.code)) return current.code;
    if (current.name === 'TimeoutError') return 'TimeoutError';
    current = current.cause as typeof current;
  }
  return undefined;
}
