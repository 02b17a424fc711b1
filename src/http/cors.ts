/**
 * CORS through `@fastify/cors`, registered only in the plugin's own scopes so
 * the rest of the app is untouched. Hijacked (streaming) responses bypass
 * Fastify's reply, so `hijackHeaders` copies what the CORS hook set.
 */
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
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

/** Headers already set on the Fastify reply (CORS, x-request-id), for a hijacked response. */
export function hijackHeaders(reply: FastifyReply, extra: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = value as OutgoingHttpHeaders[string];
  }
  return Object.assign(headers, extra);
}
