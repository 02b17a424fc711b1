/**
 * CORS through `@fastify/cors`, registered only in the plugin's own scopes so
 * the rest of the app is untouched. Streams bypass Fastify's reply, so
 * `startSse` (sse.ts) copies the headers the CORS hook set.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { CorsOptions } from './options.js';

export const BASE_ALLOWED_HEADERS = ['content-type', 'authorization', 'accept-language'];

export async function registerCors(scope: FastifyInstance, options: CorsOptions | undefined): Promise<void> {
  const origins = options?.origins ?? [];
  if (origins !== '*' && origins.length === 0) return; // same-origin only: no CORS headers at all
  const allowedHeaders = [...new Set([...BASE_ALLOWED_HEADERS, ...(options?.allowedHeaders ?? []).map((h) => h.toLowerCase())])];
  await scope.register(cors, {
    origin: origins === '*' ? '*' : origins,
    credentials: options?.credentials ?? false,
    methods: ['GET', 'HEAD', 'POST', 'PUT'],
    allowedHeaders,
    exposedHeaders: ['x-request-id'],
    maxAge: options?.maxAge ?? 600,
    strictPreflight: false,
  });
}
