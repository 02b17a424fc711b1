/**
 * Auth: with auth configured, a request without credentials is refused (and
 * the refusal carries CORS headers so the browser shows a 401, not "CORS").
 * Without auth, an endpoint reachable beyond this machine is open to anyone.
 */
import { header, postChatKit } from '../http-probe.js';
import type { Check } from '../types.js';
import { describeResponse, noTarget, primaryTarget } from './target.js';

const DOCS = 'https://openai.github.io/chatkit-python/guides/prepare-your-app-for-production/';

export const authCheck: Check = {
  id: 'auth',
  title: 'Endpoint authentication',
  category: 'security',
  probes: true,
  async run(ctx) {
    const target = primaryTarget(ctx);
    if (!target) return noTarget(ctx);
    const origin = ctx.origins[0];
    const response = await postChatKit(target.endpoint, { type: 'threads.list', params: { limit: 1 } }, origin ? { origin } : {}, ctx.signal);
    const evidence = [describeResponse(`threads.list without credentials${origin ? ` from ${origin}` : ''}`, response, origin ? ['access-control-allow-origin'] : [])];
    const refused = response.status === 401 || response.status === 403;
    if (refused) {
      const allowOrigin = header(response, 'access-control-allow-origin');
      if (origin && allowOrigin !== origin && allowOrigin !== '*') {
        return {
          status: 'fail',
          message: `the HTTP ${response.status} has no CORS headers: the browser will report a CORS error and hide the 401`,
          evidence,
          fix: ['Register CORS before the auth hook so refusals carry access-control-allow-origin (the chatkit plugin does).'],
          docs: DOCS,
        };
      }
      return { status: 'pass', message: `a request without credentials is refused (HTTP ${response.status})`, evidence, docs: DOCS };
    }
    if (ctx.authConfigured) {
      const why = ctx.env.values.CHATKIT_JWT_SECRET ? `CHATKIT_JWT_SECRET is set (${ctx.env.sources.CHATKIT_JWT_SECRET})` : '--auth-header was given';
      return {
        status: 'fail',
        message: `auth is configured but a request without credentials got HTTP ${response.status}`,
        evidence: [`${why}, so doctor expected the endpoint to require credentials`, ...evidence],
        fix: ['Pass the auth option to the chatkit plugin (auth: { jwt: { secret } } or auth: { verify }) so every request is verified.'],
        docs: DOCS,
      };
    }
    if (response.status >= 200 && response.status < 300 && !target.local) {
      return {
        status: 'fail',
        message: `${new URL(target.endpoint).host} answers anyone: no auth on a non-local endpoint`,
        evidence,
        fix: ['Configure auth (scaffold with --auth jwt, or set CHATKIT_JWT_SECRET and pass auth: { jwt: { secret } } to the plugin) and send the token from the frontend\'s custom fetch.'],
        docs: DOCS,
      };
    }
    return {
      status: 'pass',
      message: 'no auth configured; acceptable on localhost, required before deploying',
      evidence,
      docs: DOCS,
    };
  },
};
