/**
 * The Fastify plugin: the ChatKit endpoint, upload routes, the diagnostics
 * stream and `/healthz`, each group in its own encapsulated scope so CORS and
 * body parsing never leak into the rest of the app. Registered with
 * `skip-override` (what `fastify-plugin` does) so `app.chatkit` is visible.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ChatKitServer } from '../runtime/server.js';
import { createAuthenticator } from './auth.js';
import { defaultContext } from './context.js';
import { registerCors, sameOriginOnly } from './cors.js';
import { diagnosticsEnabled, registerDiagnosticsRoute } from './diagnostics.js';
import { ChatKitObserver } from './observer.js';
import {
  ChatKitPluginConfigError,
  DEFAULT_BODY_LIMIT,
  DEFAULT_PATH,
  normalizePath,
  validateAuth,
  validateCors,
  validateNumbers,
  type ChatKitPluginOptions,
} from './options.js';
import { registerPlaygroundRoutes, resolvePlayground } from './playground.js';
import { registerProtocolRoute } from './protocol-route.js';
import { answerErrorsAsJson, type PluginState } from './shared.js';
import { chooseUploadTarget } from './upload-target.js';
import { registerUploadRoutes } from './uploads.js';

/** `app.chatkit`, for the `dev` and `replay` commands and for tests. */
export interface ChatKitDecoration {
  server: ChatKitServer<any>;
  /** The protocol endpoint, e.g. `/chatkit/api`. */
  path: string;
  /** Where uploads go; `undefined` when there are no upload routes (no `FileAttachmentStore`). */
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

const NO_AUTH_WARNING =
  'create-chatkit-backend: the ChatKit endpoint has NO AUTHENTICATION. Anyone who can reach it can read and write every thread. ' +
  "Pass auth: { jwt: { secret | jwksUrl } } or auth: { verify(request) } to the plugin (this warning is silent only when NODE_ENV is 'development' or 'test').";
const NO_CORS_WARNING =
  'create-chatkit-backend: no cors.origins configured, so browsers on other origins cannot call the ChatKit endpoint. ' +
  "Pass cors: { origins: ['https://your-frontend.example'] } unless the frontend is served from this same origin (or through a dev proxy).";

const plugin: FastifyPluginAsync<ChatKitPluginOptions> = async function chatkit(app: FastifyInstance, options) {
  if (!options?.server || typeof (options.server as { process?: unknown }).process !== 'function') {
    throw new ChatKitPluginConfigError('server: required; pass your ChatKitServer instance, e.g. app.register(chatkit, { server })');
  }
  validateCors(options.cors);
  validateAuth(options.auth);
  validateNumbers(options);
  const path = normalizePath(options.path ?? DEFAULT_PATH, 'path');
  const server = options.server;

  const uploads = chooseUploadTarget(options.uploads, server, path);
  const playground = resolvePlayground(options.playground);

  const environment = process.env.NODE_ENV;
  if (!options.auth && environment !== 'development' && environment !== 'test') {
    app.log.warn(NO_AUTH_WARNING);
    process.emitWarning(NO_AUTH_WARNING, { code: 'CHATKIT_NO_AUTH' });
  }
  if (sameOriginOnly(options.cors)) {
    app.log.warn(NO_CORS_WARNING);
    if (environment !== 'test') process.emitWarning(NO_CORS_WARNING, { code: 'CHATKIT_NO_CORS' });
  }

  const observer = new ChatKitObserver();
  const state: PluginState<unknown> = {
    server,
    observer,
    authenticate: createAuthenticator(options.auth),
    buildContext: options.context ?? defaultContext,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    heartbeatMs: options.heartbeatMs ?? 0,
  };
  const corsOrigins = options.cors?.origins ?? [];
  app.decorate('chatkit', { server, path, uploadPath: uploads?.path, observer, corsOrigins, playgroundPath: playground?.path } satisfies ChatKitDecoration);

  await app.register(
    async (scope) => {
      await registerCors(scope, options.cors);
      answerErrorsAsJson(scope, state.bodyLimit, (method, url) => `No route ${method} ${url}; ChatKit requests go to POST ${path}`);
      registerProtocolRoute(scope, state);
      if (diagnosticsEnabled(options.diagnostics)) registerDiagnosticsRoute(scope, state, options.diagnostics);
    },
    { prefix: path },
  );

  if (uploads) {
    await app.register(
      async (scope) => {
        await registerCors(scope, options.cors);
        await registerUploadRoutes(scope, state, uploads.files);
      },
      { prefix: uploads.path },
    );
  }

  if (playground) {
    await registerPlaygroundRoutes(app, {
      playground,
      apiPath: path,
      uploadPath: uploads?.path,
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
