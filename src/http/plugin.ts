/**
 * The Fastify plugin: the ChatKit endpoint, upload routes and the
 * diagnostics stream, answered by the shared HTTP rules (src/http/core), plus
 * `/healthz`. The routes live in their own encapsulated scope, so their raw
 * body handling and error handler never leak into the rest of the app.
 * Registered with `skip-override` (what `fastify-plugin` does) so
 * `app.chatkit` is visible.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ChatKitServer } from '../runtime/server.js';
import { resolveConfig } from './core/config.js';
import { redactUrl } from './core/redact-url.js';
import { below, createRules } from './core/router.js';
import { fastifyCall, sendAnswer, sendErrorAnswer } from './fastify-door.js';
import type { ChatKitObserver } from './observer.js';
import type { ChatKitPluginOptions } from './options.js';
import { registerPlaygroundRoutes, resolvePlayground } from './playground.js';

/** `app.chatkit`, for the `dev` and `replay` commands and for tests. */
export interface ChatKitDecoration {
  server: ChatKitServer<any>;
  /** The protocol endpoint, e.g. `/chatkit/api`. */
  path: string;
  /** Where uploads go; `undefined` when there are no upload routes (no attachment store that keeps bytes). */
  uploadPath: string | undefined;
  observer: ChatKitObserver;
  /** The origins CORS allows (`[]`: none, same-origin only), so tools can show what the browser will be allowed. */
  corsOrigins: readonly string[] | '*';
  /** Where the playground page is served; `undefined` when it is off. */
  playgroundPath: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    chatkit: ChatKitDecoration;
  }
}

/** Fastify's request log line, with credentials in the query string replaced. */
function redactedRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

const plugin: FastifyPluginAsync<ChatKitPluginOptions> = async function chatkit(app: FastifyInstance, options) {
  // Said once: in the app's log when it logs warnings, otherwise as a process warning.
  // Fastify's logger is pino (with isLevelEnabled) when on, a silent stand-in without it when off.
  const logger = app.log as { isLevelEnabled?: (level: string) => boolean };
  const logsWarnings = typeof logger.isLevelEnabled === 'function' && logger.isLevelEnabled('warn');
  const config = resolveConfig(options, (message, code) => {
    if (logsWarnings) app.log.warn(message);
    else if (code === 'CHATKIT_NO_AUTH' || process.env.NODE_ENV !== 'test') process.emitWarning(message, { code });
  });
  const answer = createRules(config);
  const { server, path, uploads, observer, corsOrigins } = config;
  const playground = resolvePlayground(options.playground);
  app.decorate('chatkit', { server, path, uploadPath: uploads?.path, observer, corsOrigins, playgroundPath: playground?.path } satisfies ChatKitDecoration);

  const urls = [path, `${below(path)}/*`];
  if (uploads && !uploads.path.startsWith(`${below(path)}/`)) urls.push(uploads.path, `${uploads.path}/*`);

  await app.register(async (scope) => {
    // Bodies reach the rules untouched, whatever their content type: the
    // protocol reads raw bytes as the reference does, uploads store them as sent.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    // Only failures inside Fastify itself (a malformed request) reach this.
    scope.setErrorHandler((error, request, reply) => sendErrorAnswer(request, reply, error, config.bodyLimit));
    for (const url of urls) {
      scope.all(url, { logSerializers: { req: redactedRequest } }, async (request, reply) => sendAnswer(reply, await answer(fastifyCall(request, reply))));
    }
  });

  if (playground) {
    await registerPlaygroundRoutes(app, {
      playground,
      apiPath: path,
      uploadPath: uploads?.path,
      twoPhaseUploads: server.attachmentStore !== undefined,
      auth: options.auth,
      onShadowed: () => (app.chatkit.playgroundPath = undefined),
    });
  }

  if (!app.hasRoute({ method: 'GET', url: '/healthz' })) {
    app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  }
};

// What fastify-plugin sets: no encapsulation, so the decorator reaches the app.
const skipOverride = plugin as FastifyPluginAsync<ChatKitPluginOptions> & Record<symbol, unknown>;
skipOverride[Symbol.for('skip-override')] = true;
skipOverride[Symbol.for('fastify.display-name')] = 'create-chatkit-backend';
skipOverride[Symbol.for('plugin-meta')] = { name: 'create-chatkit-backend', fastify: '5.x' };

export const chatkitPlugin = plugin;
