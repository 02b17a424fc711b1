/**
 * CORS through `@fastify/cors`, registered only in the plugin's own scopes so
 * the rest of the app is untouched. Streams bypass Fastify's reply, so
 * `startSse` (sse.ts) copies the headers the CORS hook set.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { CorsOptions } from './options.js';

const BASE_ALLOWED_HEADERS = ['content-type', 'authorization', 'accept-language'];

/** No origin listed: browsers may only call from the same origin, and no CORS headers are sent. */
export function sameOriginOnly(options: CorsOptions | undefined): boolean {
  const origins = options?.origins ?? [];
  return origins !== '*' && origins.length === 0;
}

export async function registerCors(scope: FastifyInstance, options: CorsOptions | undefined): Promise<void> {
  if (!options || sameOriginOnly(options)) return;
  const allowedHeaders = [...new Set([...BASE_ALLOWED_HEADERS, ...(options.allowedHeaders ?? []).map((h) => h.toLowerCase())])];
  await scope.register(cors, {
    origin: options.origins,
    credentials: options.credentials ?? false,
    methods: ['GET', 'HEAD', 'POST', 'PUT'],
    allowedHeaders,
    exposedHeaders: ['x-request-id'],
    maxAge: options.maxAge ?? 600,
    strictPreflight: false,
  });
}
