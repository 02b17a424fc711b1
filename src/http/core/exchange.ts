/**
 * What the HTTP rules see of a request, and what they answer, independent of
 * the server in front: the Fastify plugin and the fetch handler each turn
 * their own request into an `IncomingCall` and write the `Answer` back.
 */
import type { FrameTransport } from './sse-writer.js';

/** Lower-case header names, as Node and `Headers` both give them. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** Pino-compatible, like the runtime's logger; each line about a request carries its `requestId`. */
export interface RequestLog {
  error(obj: object, message: string): void;
  warn(obj: object, message: string): void;
}

export interface IncomingCall<TRequest> {
  /** Upper-case. */
  method: string;
  /** The path as sent (still percent-encoded), without the query. */
  path: string;
  query: URLSearchParams;
  headers: RequestHeaders;
  /** The raw body; nothing has parsed it. */
  body: AsyncIterable<Uint8Array> | undefined;
  /** Reads and drops the rest of the body, so a refused upload leaves the connection usable. */
  discardBody(): void;
  /** Calls `listener` once if the client goes away before the answer is complete. Returns a function that stops listening. */
  onDisconnect(listener: () => void): () => void;
  /** The peer's address as the front door knows it (behind a proxy: as the server's `trustProxy` settles it); `undefined` when the host does not say. */
  clientIp: string | undefined;
  requestId: string;
  log: RequestLog;
  /** The front door's own request object, for `auth.verify` and `context`. */
  native: TRequest;
}

export type AnswerHeaders = Record<string, string>;

export type Answer =
  | { kind: 'json'; status: number; headers: AnswerHeaders; body: string }
  | { kind: 'empty'; status: number; headers: AnswerHeaders }
  /** SSE: the door sends these headers (status 200) and runs `produce` on a transport to its client. */
  | { kind: 'stream'; headers: AnswerHeaders; produce(transport: FrameTransport): Promise<void> }
  | { kind: 'bytes'; status: number; headers: AnswerHeaders; body: AsyncIterable<Uint8Array>; close(): void };

export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
