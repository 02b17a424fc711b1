/**
 * `GET {path}/__diagnostics/stream?count=N&gapMs=M&bytes=B`: a deterministic
 * SSE sequence for `doctor`, written by the same code as real streams, so
 * buffering, compression and idle timeouts on every hop can be measured
 * without spending model tokens.
 *
 * Frames: one `diagnostics.start` (the parameters and the request headers the
 * server saw), `count` × `diagnostics.tick` (`index`, `padding` of `bytes`
 * characters) `gapMs` apart, then `diagnostics.end`.
 */
import { HttpError } from '../errors.js';
import type { DiagnosticsOptions } from '../options.js';
import { headerValue, type Answer, type AnswerHeaders, type IncomingCall, type RequestHeaders } from './exchange.js';
import { SSE_HEADERS, SseWriter, sseText } from './sse-writer.js';

export const DIAGNOSTICS_TOKEN_HEADER = 'x-chatkit-diagnostics-token';
const ECHOED_HEADERS = ['origin', 'accept-encoding', 'via', 'host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'user-agent'];
const LIMITS = {
  count: { min: 1, max: 1000, fallback: 5 },
  gapMs: { min: 0, max: 120_000, fallback: 0 },
  bytes: { min: 0, max: 65_536, fallback: 0 },
} as const;

export function diagnosticsEnabled(options: DiagnosticsOptions | undefined): boolean {
  return options?.enabled ?? (Boolean(options?.token) || globalThis.process?.env?.NODE_ENV === 'development');
}

export function answerDiagnostics(
  call: IncomingCall<unknown>,
  base: AnswerHeaders,
  token: string | undefined,
  heartbeatMs: number,
): Answer {
  // The header is preferred: a query string ends up in access logs (ours are redacted, a proxy's may not be).
  if (token) checkToken(token, headerValue(call.headers, DIAGNOSTICS_TOKEN_HEADER) ?? call.query.get('token') ?? undefined);
  const params = {
    count: readParam(call.query, 'count'),
    gapMs: readParam(call.query, 'gapMs'),
    bytes: readParam(call.query, 'bytes'),
  };
  const headers = echoedHeaders(call.headers);
  return {
    kind: 'stream',
    headers: { ...base, ...SSE_HEADERS },
    async produce(transport) {
      const sse = new SseWriter(transport, heartbeatMs);
      const started = performance.now();
      const padding = 'x'.repeat(params.bytes);
      let timer: ReturnType<typeof setTimeout> | undefined;
      let wake: (() => void) | undefined;
      const stopListening = call.onDisconnect(() => {
        clearTimeout(timer);
        wake?.();
      });
      try {
        await sse.write(sseText({ type: 'diagnostics.start', count: params.count, gap_ms: params.gapMs, bytes: params.bytes, headers }));
        for (let index = 0; index < params.count && !sse.closed; index++) {
          if (params.gapMs > 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              timer = setTimeout(resolve, params.gapMs);
            });
            if (sse.closed) break;
          }
          const at = Math.round(performance.now() - started);
          await sse.write(sseText({ type: 'diagnostics.tick', index, at_ms: at, padding }));
        }
        if (!sse.closed) await sse.write(sseText({ type: 'diagnostics.end', count: params.count }));
      } finally {
        stopListening();
        sse.end();
      }
    },
  };
}

function checkToken(expected: string, given: string | undefined): void {
  if (!sameSecret(expected, given ?? '')) {
    throw new HttpError(401, 'unauthorized', `Diagnostics need the configured token in the ${DIAGNOSTICS_TOKEN_HEADER} header`);
  }
}

/** Compares in time that depends only on the lengths, so the token cannot be guessed byte by byte. */
function sameSecret(expected: string, given: string): boolean {
  const a = new TextEncoder().encode(expected);
  const b = new TextEncoder().encode(given);
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ (b[i % Math.max(b.length, 1)] ?? 0);
  return difference === 0;
}

/** The request headers `doctor` compares with what it sent, to see what the proxies in between changed. */
function echoedHeaders(headers: RequestHeaders): Record<string, string | null> {
  const echoed: Record<string, string | null> = {};
  for (const name of ECHOED_HEADERS) {
    const value = headers[name];
    echoed[name] = (Array.isArray(value) ? value.join(', ') : value) ?? null;
  }
  return echoed;
}

function readParam(query: URLSearchParams, name: keyof typeof LIMITS): number {
  const { min, max, fallback } = LIMITS[name];
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, 'invalid_request', `${name}: expected a whole number from ${min} to ${max}, received ${JSON.stringify(raw)}`);
  }
  return value;
}
