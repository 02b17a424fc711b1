/**
 * `fetch` wrappers that adjust what the `openai` client sends, so the Agents
 * SDK stays untouched:
 *
 * - Gemini's schema dialect rejects JSON Schema keys the SDK emits for strict
 *   tools (`$schema`, `additionalProperties`, and `strict` on the function);
 *   `stripGeminiSchemaKeys` removes them from every tool in a Chat
 *   Completions body.
 * - A keyless OpenAI-compatible server (a local Ollama) must not receive a
 *   placeholder `Authorization` header; `withoutAuthorization` drops it.
 */

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** JSON Schema keys Gemini's OpenAI-compatible layer does not accept in tool parameters. */
export const GEMINI_REJECTED_SCHEMA_KEYS = ['$schema', 'additionalProperties'] as const;

/** Returns a copy of `schema` without the keys Gemini rejects, at every depth. */
export function stripSchemaKeys(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripSchemaKeys);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if ((GEMINI_REJECTED_SCHEMA_KEYS as readonly string[]).includes(key)) continue;
    // `properties` maps names to schemas; a property may itself be called "additionalProperties".
    copy[key] = key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).map(([name, child]) => [name, stripSchemaKeys(child)]))
      : stripSchemaKeys(value);
  }
  return copy;
}

/** Rewrites a Chat Completions request body's `tools` for Gemini; other bodies pass through. */
export function rewriteGeminiBody(body: any): any {
  if (!body || !Array.isArray(body.tools)) return body;
  return {
    ...body,
    tools: body.tools.map((tool: any) => {
      if (tool?.type !== 'function' || !tool.function) return tool;
      const { strict: _strict, parameters, ...rest } = tool.function;
      return { ...tool, function: { ...rest, ...(parameters === undefined ? {} : { parameters: stripSchemaKeys(parameters) }) } };
    }),
  };
}

export function stripGeminiSchemaKeys(inner: FetchLike): FetchLike {
  return async (input, init) => {
    if (init?.method?.toUpperCase() === 'POST' && typeof init.body === 'string' && urlOf(input).endsWith('/chat/completions')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(init.body);
      } catch {
        return inner(input, init);
      }
      const headers = new Headers(init.headers);
      headers.delete('content-length');
      return inner(input, { ...init, headers, body: JSON.stringify(rewriteGeminiBody(parsed)) });
    }
    return inner(input, init);
  };
}

export function withoutAuthorization(inner: FetchLike): FetchLike {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.delete('authorization');
    return inner(input, { ...init, headers });
  };
}

function urlOf(input: string | URL | Request): string {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return href.replace(/[?#].*$/, '').replace(/\/+$/, '');
}
