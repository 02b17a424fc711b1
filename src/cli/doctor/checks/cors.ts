/**
 * CORS: for every origin the frontend runs on, the preflight a browser sends,
 * a real request, and a deliberate error must all carry the CORS headers.
 * Errors without them make the browser report "CORS" and hide the real 4xx.
 */
import { readFiles, SOURCE_FILE } from '../files.js';
import { customRequestHeaders } from '../frontend-snippet.js';
import { header, postChatKit, probe } from '../http-probe.js';
import type { Check, CheckOutcome } from '../types.js';
import { describeResponse, noTarget, primaryTarget } from './target.js';

const DOCS = 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS';
const FIX_ORIGIN = 'List every frontend origin in CHATKIT_CORS_ORIGINS (comma-separated, exact scheme://host:port), or in the plugin\'s cors.origins.';
/** What ChatKit's requests carry that needs a preflight: JSON bodies and the auth header. */
const BASE_REQUEST_HEADERS = ['content-type', 'authorization'];

function allowsOrigin(value: string | undefined, origin: string): boolean {
  return value === '*' || value === origin;
}

export const corsCheck: Check = {
  id: 'cors',
  title: 'CORS for every frontend origin',
  category: 'network',
  probes: true,
  async run(ctx) {
    const target = primaryTarget(ctx);
    if (!target) return noTarget(ctx);
    if (ctx.origins.length === 0) {
      return {
        status: 'skip',
        message: 'no frontend origins configured (CHATKIT_CORS_ORIGINS or --origin)',
        evidence: ['fine while the frontend is same-origin or behind a dev proxy'],
        fix: ['Set CHATKIT_CORS_ORIGINS=https://your-frontend.example (comma-separated) before serving a frontend from another origin.'],
      };
    }
    const custom = ctx.root ? customRequestHeaders(readFiles(ctx.root, 'frontend', SOURCE_FILE)) : [];
    const requestHeaders = [...new Set([...BASE_REQUEST_HEADERS, ...custom])];
    const evidence: string[] = custom.length > 0 ? [`headers the frontend's fetch adds: ${custom.join(', ')}`] : [];
    const failures: string[] = [];
    const fixes = new Set<string>();
    const warnings: string[] = [];
    for (const origin of ctx.origins) {
      const preflight = await probe(target.endpoint, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders.join(',') },
        signal: ctx.signal,
      });
      evidence.push(describeResponse(`OPTIONS from ${origin}`, preflight, ['access-control-allow-origin', 'access-control-allow-headers']));
      const allowOrigin = header(preflight, 'access-control-allow-origin');
      const credentials = header(preflight, 'access-control-allow-credentials') === 'true';
      if (preflight.status >= 400 || !allowsOrigin(allowOrigin, origin)) {
        failures.push(`preflight from ${origin} is not allowed (access-control-allow-origin: ${allowOrigin ?? 'absent'})`);
        fixes.add(FIX_ORIGIN);
        continue;
      }
      const allowedHeaders = (header(preflight, 'access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
      const missing = requestHeaders.filter((h) => !allowedHeaders.includes(h) && !(allowedHeaders.includes('*') && !credentials));
      if (missing.length > 0) {
        failures.push(`preflight from ${origin} does not allow request header(s) ${missing.join(', ')}`);
        fixes.add(`Allow ${missing.join(', ')} in the CORS configuration (the chatkit plugin's cors.allowedHeaders).`);
      }
      if (allowOrigin === '*' && credentials) warnings.push(`${origin}: access-control-allow-origin: * together with credentials (browsers refuse credentialed requests to *)`);

      const real = await postChatKit(target.endpoint, { type: 'threads.list', params: { limit: 1 } }, { origin, ...target.authHeaders }, ctx.signal);
      evidence.push(describeResponse(`POST threads.list from ${origin}`, real, ['access-control-allow-origin']));
      if (!allowsOrigin(header(real, 'access-control-allow-origin'), origin)) {
        failures.push(`the response to a real request from ${origin} has no matching access-control-allow-origin`);
        fixes.add(FIX_ORIGIN);
      }

      const error = await postChatKit(target.endpoint, { type: 'doctor.not_a_request_type', params: {} }, { origin, ...target.authHeaders }, ctx.signal);
      evidence.push(describeResponse(`POST an invalid request from ${origin}`, error, ['access-control-allow-origin']));
      if (error.status >= 400 && !allowsOrigin(header(error, 'access-control-allow-origin'), origin)) {
        failures.push(`the HTTP ${error.status} error response has no CORS headers: the browser will show a CORS error instead of the real one`);
        fixes.add('Add the CORS headers in a hook that runs for every response, errors included (the chatkit plugin\'s cors option does), not in the route handler.');
      }
    }
    const outcome: CheckOutcome = { status: 'pass', message: `${ctx.origins.length} origin${ctx.origins.length === 1 ? '' : 's'} allowed on preflight, requests and errors`, evidence, docs: DOCS };
    if (failures.length > 0) {
      return {
        ...outcome,
        status: 'fail',
        message: failures[0]!,
        evidence: [...failures.slice(1).map((f) => `also: ${f}`), ...warnings.map((w) => `also: ${w}`), ...evidence],
        fix: [...fixes],
      };
    }
    if (warnings.length > 0) return { ...outcome, status: 'warn', message: warnings[0]!, fix: ['List exact origins instead of * when the frontend sends credentials.'] };
    return outcome;
  },
};
