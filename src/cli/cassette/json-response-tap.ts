/**
 * Captures the JSON bodies of non-streaming ChatKit responses at the Node HTTP
 * level (the plugin's observer reports the status only). It wraps `write`/`end`
 * of matching responses without consuming anything, and identifies the request
 * by the `x-request-id` header the plugin sets (Fastify's request id, which is
 * also the observer's `requestId`).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export function tapJsonResponses(server: Server, path: string, onBody: (requestId: string, body: unknown) => void): () => void {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0].replace(/\/$/, '') !== path.replace(/\/$/, '')) return;
    const chunks: Buffer[] = [];
    // Fastify passes its headers to writeHead rather than setHeader, so they are captured here.
    const headers = new Map<string, unknown>();
    const header = (name: string) => res.getHeader(name) ?? headers.get(name);
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      const given = rest.find((arg) => arg && typeof arg === 'object') as Record<string, unknown> | undefined;
      for (const [name, value] of Object.entries(given ?? {})) headers.set(name.toLowerCase(), value);
      return writeHead(status, ...rest);
    }) as typeof res.writeHead;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk == null || typeof chunk === 'function') return;
      if (String(header('content-type') ?? '').startsWith('text/event-stream')) return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      const requestId = header('x-request-id');
      const type = String(header('content-type') ?? '');
      if (typeof requestId === 'string' && type.startsWith('application/json') && chunks.length > 0) {
        try {
          onBody(requestId, JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          // not JSON after all: nothing to record
        }
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
  };
  server.prependListener('request', listener);
  return () => server.off('request', listener);
}
