/** Reading what a `fetch` call sends, without consuming the caller's body. */

export type FetchInput = Parameters<typeof globalThis.fetch>[0];
export type FetchInit = Parameters<typeof globalThis.fetch>[1];

export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Headers;
  bodyText: string | null;
}

export async function describeOutgoing(input: FetchInput, init: FetchInit): Promise<OutgoingRequest> {
  const isRequest = typeof Request !== 'undefined' && input instanceof Request;
  const url = new URL(isRequest ? input.url : String(input));
  const method = (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
  const headers = new Headers(isRequest ? input.headers : undefined);
  if (init?.headers) new Headers(init.headers).forEach((value, name) => headers.set(name, value));
  let bodyText: string | null = null;
  const body = init?.body;
  if (typeof body === 'string') bodyText = body;
  else if (body instanceof Uint8Array || body instanceof ArrayBuffer) bodyText = new TextDecoder().decode(body);
  else if (body instanceof URLSearchParams) bodyText = body.toString();
  else if (body == null && isRequest && input.body) bodyText = await input.clone().text();
  else if (body != null) bodyText = `[unrecorded ${body.constructor?.name ?? typeof body} body]`;
  return { method, url, headers, bodyText };
}

/** JSON bodies are stored as values so cassettes diff well; anything else as text. */
export function bodyValue(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The part of a model URL that identifies the endpoint, independent of the base
 * URL: `/v1/responses` and `/v1beta/openai/chat/completions` become
 * `/responses` and `/chat/completions`.
 */
export function endpointOf(path: string): string {
  const pathname = path.split('?')[0];
  const match = /\/v\d+[a-z0-9]*(?:\/openai)?(\/.*)$/.exec(pathname);
  return match ? match[1] : pathname;
}
