/**
 * `toNodeListener(handler)`: serves a fetch handler with Node's own
 * `node:http`, for apps that have no framework. Request bodies stream in,
 * response bodies stream out with backpressure, and a client that goes away
 * aborts the request's signal and cancels the response body (so a ChatKit
 * stream is cancelled like on any other host).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { drainOrClose } from '../drain.js';

export type FetchHandler = (request: Request, info?: { clientIp?: string }) => Promise<Response>;

export function toNodeListener(handler: FetchHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void serve(handler, req, res);
  };
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const aborted = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) aborted.abort(new Error('client disconnected'));
  });
  let request: Request;
  try {
    request = toRequest(req, aborted.signal);
  } catch {
    // Methods a fetch Request cannot carry (TRACE, TRACK, CONNECT) never reach the handler.
    const requestId = crypto.randomUUID();
    const message = `${req.method} requests are not supported`;
    res.writeHead(405, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, 'cache-control': 'no-store' });
    res.end(JSON.stringify({ error: { code: 'method_not_allowed', message }, requestId }));
    req.resume();
    return;
  }
  let response: Response;
  try {
    response = await handler(request, { clientIp: req.socket.remoteAddress });
  } catch (error) {
    // The handler answers its own failures; this is a bug in it or in the host.
    console.error('fetch handler failed', error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Internal server error');
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body || req.method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    return;
  }
  // Without this, Node would wait for a full packet before sending small SSE frames.
  res.flushHeaders();
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  res.once('close', stop);
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drainOrClose(res);
      if (res.destroyed) break;
    }
    res.end();
  } catch {
    res.destroy();
  } finally {
    res.off('close', stop);
  }
}

function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const host = req.headers.host ?? 'localhost';
  const protocol = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`${protocol}://${host}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    body: hasBody ? bodyStream(req) : undefined,
    signal,
    // Required by Node's fetch for a streamed request body.
    duplex: 'half',
  } as RequestInit);
}

/**
 * The request body as a pull-based stream. Cancelling it reads the rest and
 * drops it, so the connection stays usable for the answer (destroying the
 * request would reset the socket before the client reads the response).
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  const chunks = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    },
    cancel() {
      void (async () => {
        while (!(await chunks.next()).done);
      })().catch(() => {});
    },
  });
}
