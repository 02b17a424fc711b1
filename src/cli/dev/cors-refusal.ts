/**
 * A page on an origin the app's CORS does not allow gets answers the browser
 * then refuses to read: the request succeeds on the server (a green line in
 * `dev`) while the frontend shows a blank panel and a console error. `dev`
 * watches the answers of the ChatKit routes and says so, once per origin.
 * It judges by the answer (no `access-control-allow-origin`), not by reading
 * the configuration, so it is right whatever `buildApp` passes to the plugin.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** The origin a browser was refused, or undefined (no Origin, same origin, or allowed). */
export function refusedOrigin(request: Pick<IncomingMessage, 'headers'>, allowsOrigin: boolean): string | undefined {
  const origin = request.headers.origin;
  if (!origin || origin === 'null' || allowsOrigin) return undefined;
  // Browsers send Origin on same-origin POSTs too (the playground): CORS does not apply to them.
  try {
    return new URL(origin).host === request.headers.host ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Whether the answer carries `access-control-allow-origin`. Fastify passes its
 * headers to `writeHead` rather than `setHeader`, so they are read there.
 */
function watchAllowOrigin(response: ServerResponse): () => boolean {
  let allowed = false;
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    for (const headers of args) {
      if (typeof headers !== 'object' || headers === null) continue;
      const names = Array.isArray(headers) ? headers.flat().filter((_, index) => index % 2 === 0) : Object.keys(headers);
      if (names.some((name) => String(name).toLowerCase() === 'access-control-allow-origin')) allowed = true;
    }
    return (writeHead as (...rest: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
  return () => allowed || response.getHeader('access-control-allow-origin') !== undefined;
}

export function corsRefusalWarning(origin: string, configured: string | undefined): string {
  const list = (configured ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  return (
    `⚠ a page on ${origin} called the endpoint, but CORS does not allow that origin: the browser blocks every answer (a blank ChatKit panel). ` +
    `Add it to CHATKIT_CORS_ORIGINS in .env: CHATKIT_CORS_ORIGINS=${[...list, origin].join(',')}`
  );
}

/** Prints one warning per refused origin for requests under `pathPrefix`. */
export function watchCorsRefusals(server: Pick<Server, 'on'>, pathPrefix: string, configured: string | undefined, print: (line: string) => void): void {
  const warned = new Set<string>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!request.url?.startsWith(pathPrefix) || !request.headers.origin) return;
    const allowsOrigin = watchAllowOrigin(response);
    response.once('finish', () => {
      const origin = refusedOrigin(request, allowsOrigin());
      if (origin === undefined || warned.has(origin)) return;
      warned.add(origin);
      print(corsRefusalWarning(origin, configured));
    });
  });
}
