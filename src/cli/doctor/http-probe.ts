/**
 * Raw HTTP requests that see what a browser would: exact status and headers,
 * the body decoded the way the browser decodes it, and for event streams the
 * time each frame arrived. Built on node:http (not fetch) because fetch adds
 * its own Accept-Encoding and hides Content-Encoding behind transparent
 * decompression.
 */
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';

export interface TimedFrame {
  /** The frame's text without its terminating blank line. */
  text: string;
  /** When it arrived, in ms after the request was sent. */
  atMs: number;
}

export interface ProbeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The decoded body (as much as arrived). */
  body: string;
  /** Blank-line separated frames with arrival times (useful for event streams). */
  frames: TimedFrame[];
  /** Time until the response headers arrived. */
  headersMs: number;
  /** Time until the body ended (or broke off). */
  endMs: number;
  /** Set when the connection broke after the headers (idle timeout, reset, bad encoding). */
  brokenOff?: string;
}

export interface ProbeOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** A request that could not get a response at all, with the reason classified. */
export class ProbeError extends Error {
  constructor(
    readonly url: string,
    readonly kind: 'refused' | 'dns' | 'timeout' | 'tls' | 'reset' | 'other',
    detail: string,
  ) {
    super(`${url}: ${describeKind(kind)} (${detail})`);
  }
}

function describeKind(kind: ProbeError['kind']): string {
  switch (kind) {
    case 'refused': return 'connection refused: is the backend running?';
    case 'dns': return 'host not found';
    case 'timeout': return 'timed out';
    case 'tls': return 'TLS handshake failed';
    case 'reset': return 'connection reset';
    default: return 'request failed';
  }
}

function classify(error: NodeJS.ErrnoException): ProbeError['kind'] {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'ABORT_ERR' || code === 'ETIMEDOUT' || error.name === 'AbortError') return 'timeout';
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'EPROTO') return 'tls';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  return 'other';
}

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  const name = (encoding ?? '').trim().toLowerCase();
  // A partial flush from the server must reach us as soon as it arrives.
  if (name === 'gzip' || name === 'x-gzip') return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
  if (name === 'deflate') return zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
  if (name === 'br') return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  return null;
}

export function probe(url: string, options: ProbeOptions = {}): Promise<ProbeResponse> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: options.method ?? 'GET',
        headers: { ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
        signal: options.signal,
        agent: false,
      },
      (response) => {
        const headersMs = elapsed();
        const decoder = decoderFor(response.headers['content-encoding']);
        const source: Readable = decoder ? response.pipe(decoder) : response;
        const frames: TimedFrame[] = [];
        let body = '';
        let pending = '';
        let settled = false;
        const text = new TextDecoder();
        const finish = (brokenOff?: string) => {
          if (settled) return;
          settled = true;
          if (pending.trim() !== '') frames.push({ text: pending.replace(/\r?\n$/, ''), atMs: elapsed() });
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body, frames, headersMs, endMs: elapsed(), ...(brokenOff ? { brokenOff } : {}) });
        };
        source.on('data', (chunk: Buffer) => {
          const decoded = text.decode(chunk, { stream: true });
          body += decoded;
          pending += decoded;
          const atMs = elapsed();
          let boundary: RegExpExecArray | null;
          while ((boundary = /\r?\n\r?\n/.exec(pending))) {
            frames.push({ text: pending.slice(0, boundary.index), atMs });
            pending = pending.slice(boundary.index + boundary[0].length);
          }
        });
        source.on('end', () => finish());
        source.on('error', (error: Error) => finish(error.message));
        response.on('aborted', () => finish('the connection closed before the response ended'));
        // A body decoder may still hold data after 'close'; only a connection that closed incomplete is a break.
        response.on('close', () => {
          if (!response.complete) finish('the connection closed before the response ended');
        });
        response.on('error', (error) => finish(error.message));
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => reject(new ProbeError(url, classify(error), error.code ?? error.message)));
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

/** A ChatKit request: JSON body POSTed to the endpoint. */
export function postChatKit(endpoint: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<ProbeResponse> {
  return probe(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream, application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

export function header(response: ProbeResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
