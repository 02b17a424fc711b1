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
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './errors.js';
import type { DiagnosticsOptions } from './options.js';
import type { PluginState } from './shared.js';
import { sseText, startSse } from './sse.js';

export const DIAGNOSTICS_TOKEN_HEADER = 'x-chatkit-diagnostics-token';
const ECHOED_HEADERS = ['origin', 'accept-encoding', 'via', 'host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'user-agent'];
const LIMITS = {
  count: { min: 1, max: 1000, fallback: 5 },
  gapMs: { min: 0, max: 120_000, fallback: 0 },
  bytes: { min: 0, max: 65_536, fallback: 0 },
} as const;

export function diagnosticsEnabled(options: DiagnosticsOptions | undefined): boolean {
  return options?.enabled ?? (Boolean(options?.token) || process.env.NODE_ENV === 'development');
}

export function registerDiagnosticsRoute<TContext>(
  scope: FastifyInstance,
  state: PluginState<TContext>,
  options: DiagnosticsOptions | undefined,
): void {
  const token = options?.token ? Buffer.from(options.token) : undefined;

  scope.get<{ Querystring: Record<string, string | undefined> }>('/__diagnostics/stream', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (token) checkToken(token, request.headers[DIAGNOSTICS_TOKEN_HEADER] ?? request.query.token);
    const params = {
      count: readParam(request.query, 'count'),
      gapMs: readParam(request.query, 'gapMs'),
      bytes: readParam(request.query, 'bytes'),
    };
    const headers = echoedHeaders(request.headers);

    const res = reply.raw;
    const sse = startSse(reply, state.heartbeatMs);
    const started = performance.now();
    const padding = 'x'.repeat(params.bytes);
    let timer: NodeJS.Timeout | undefined;
    let wake: (() => void) | undefined;
    const stop = () => {
      clearTimeout(timer);
      wake?.();
    };
    res.once('close', stop);
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
      res.off('close', stop);
      sse.end();
    }
    return reply;
  });
}

function checkToken(expected: Buffer, sent: string | string[] | undefined): void {
  const given = Buffer.from((Array.isArray(sent) ? sent[0] : sent) ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(401, 'unauthorized', `Diagnostics need the configured token in the ${DIAGNOSTICS_TOKEN_HEADER} header`);
  }
}

/** The request headers `doctor` compares with what it sent, to see what the proxies in between changed. */
function echoedHeaders(headers: IncomingHttpHeaders): Record<string, string | null> {
  const echoed: Record<string, string | null> = {};
  for (const name of ECHOED_HEADERS) {
    const value = headers[name];
    echoed[name] = (Array.isArray(value) ? value.join(', ') : value) ?? null;
  }
  return echoed;
}

function readParam(query: Record<string, string | undefined>, name: keyof typeof LIMITS): number {
  const { min, max, fallback } = LIMITS[name];
  const raw = query[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, 'invalid_request', `${name}: expected a whole number from ${min} to ${max}, received ${JSON.stringify(raw)}`);
  }
  return value;
}
