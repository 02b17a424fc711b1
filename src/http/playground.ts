/**
 * The playground: a browser app (built from src/playground/ into
 * dist/playground/ when the package is built) served by the backend itself,
 * so a developer can see and drive the ChatKit endpoint without a frontend,
 * a CDN or a domain key. Off unless the plugin is told (`playground: true`,
 * or `CHATKIT_PLAYGROUND=1`, which `dev` sets).
 *
 * Routes, under `playground.path` (default `/`):
 * - `GET {path}`: the page, unless the app has a route there itself;
 * - `GET {path}playground-assets/:file`: its hashed scripts and styles;
 * - `GET {path}playground-config.json`: what the page needs to know (endpoint,
 *   upload route, auth kind, the frontend's domain key), never a secret;
 * - `POST {path}playground-token` (JWT projects, NODE_ENV=development only):
 *   a short-lived token for a chosen user id, signed with the project's secret.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SignJWT } from 'jose';
import { HttpError } from './errors.js';
import { ChatKitPluginConfigError, normalizePath, type AuthOptions, type PlaygroundOptions } from './options.js';
import type { PlaygroundConfig } from './playground-config.js';
import { sendErrorAnswer } from './fastify-door.js';

/** Playground requests carry no body worth a limit of their own. */
const sendError = (request: FastifyRequest, reply: FastifyReply, error: unknown) => sendErrorAnswer(request, reply, error, 4096);

/** Where `npm run build:playground` writes the page: the same place from src/http and from dist/http. */
export const PLAYGROUND_ASSETS_DIR = fileURLToPath(new URL('../../dist/playground/', import.meta.url));
export const PLAYGROUND_ENV_VARIABLE = 'CHATKIT_PLAYGROUND';
const ASSET_NAME = /^[\w.-]+$/;
const TOKEN_LIFETIME = '1h';
const USER_ID = /^[\w.@:-]{1,128}$/;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

export interface ResolvedPlayground {
  path: string;
  domainKey: string | null;
}

/** The playground settings from the option and the environment; `undefined` when it is off. Pure apart from reading `env`. */
export function resolvePlayground(
  option: boolean | PlaygroundOptions | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedPlayground | undefined {
  const options = typeof option === 'object' && option !== null ? option : {};
  const enabled = typeof option === 'boolean' ? option : (options.enabled ?? isOn(env[PLAYGROUND_ENV_VARIABLE]));
  if (!enabled) return undefined;
  const path = normalizePath(options.path ?? '/', 'playground.path');
  return { path: path.endsWith('/') ? path : `${path}/`, domainKey: options.domainKey ?? (env.VITE_CHATKIT_DOMAIN_KEY || null) };
}

function isOn(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === '0' || value.toLowerCase() === 'false') return false;
  if (value === '1' || value.toLowerCase() === 'true') return true;
  throw new ChatKitPluginConfigError(`${PLAYGROUND_ENV_VARIABLE}: expected 1 or 0 (got ${JSON.stringify(value)})`);
}

/** The token route exists only for an HMAC-secret JWT project running with NODE_ENV=development. */
function tokenSigner(auth: AuthOptions | undefined, env: NodeJS.ProcessEnv): ((userId: string) => Promise<string>) | undefined {
  if (env.NODE_ENV !== 'development' || !auth || !('jwt' in auth) || !auth.jwt.secret) return undefined;
  const { secret, issuer, audience } = auth.jwt;
  const key = new TextEncoder().encode(secret);
  // The plugin accepts lists; a token needs one value of each.
  const firstOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  return async (userId) => {
    let jwt = new SignJWT({ playground: true }).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuedAt().setExpirationTime(TOKEN_LIFETIME);
    const iss = firstOf(issuer);
    const aud = firstOf(audience);
    if (iss) jwt = jwt.setIssuer(iss);
    if (aud) jwt = jwt.setAudience(aud);
    return jwt.sign(key);
  };
}

export interface PlaygroundRouteInput {
  playground: ResolvedPlayground;
  apiPath: string;
  uploadPath: string | undefined;
  /** The server has an attachment store (see PlaygroundConfig.twoPhaseUploads). */
  twoPhaseUploads: boolean;
  auth: AuthOptions | undefined;
  /** Default: the package's dist/playground. */
  assetsDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Called at start-up when the app has its own route where the page would be. */
  onShadowed?: () => void;
}

export async function registerPlaygroundRoutes(app: FastifyInstance, input: PlaygroundRouteInput): Promise<void> {
  const env = input.env ?? process.env;
  const assetsDir = input.assetsDir ?? PLAYGROUND_ASSETS_DIR;
  const sign = tokenSigner(input.auth, env);
  const config: PlaygroundConfig = {
    apiUrl: input.apiPath,
    uploadUrl: input.uploadPath ?? null,
    twoPhaseUploads: input.twoPhaseUploads,
    auth: !input.auth ? 'none' : 'jwt' in input.auth ? 'jwt' : 'custom',
    tokenUrl: sign ? `${input.playground.path}playground-token` : null,
    domainKey: input.playground.domainKey,
  };

  // The page is answered from a hook, and only where the app has no route of its own: an app with its
  // own `GET /` keeps it, rather than failing to start with a duplicate route because `dev` turned this on.
  const pagePath = input.playground.path;
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || request.routeOptions.url !== undefined) return;
    const path = request.url.split('?')[0];
    if (path !== pagePath) {
      // Relative asset URLs need the trailing slash.
      if (pagePath !== '/' && path === pagePath.slice(0, -1)) return reply.redirect(pagePath, 308);
      return;
    }
    try {
      const html = await readAsset(assetsDir, 'index.html');
      return reply.header('cache-control', 'no-store').type(CONTENT_TYPES['.html']!).send(html);
    } catch (error) {
      return sendError(request, reply, error);
    }
  });
  app.addHook('onReady', async () => {
    if (!app.hasRoute({ method: 'GET', url: pagePath })) return;
    app.log.warn(`create-chatkit-backend: the app has its own GET ${pagePath}, so the playground page is not served there; pass playground: { path: '/playground/' } to serve it elsewhere`);
    input.onShadowed?.();
  });

  await app.register(
    async (scope) => {
      // The documented JSON error shape, as on the ChatKit routes.
      scope.setErrorHandler((error, request, reply) => sendError(request, reply, error));
      scope.setNotFoundHandler((request, reply) =>
        sendError(request, reply, new HttpError(404, 'not_found', `No playground route ${request.method} ${request.url.split('?')[0]}`)),
      );

      scope.get<{ Params: { file: string } }>('/playground-assets/:file', async (request, reply) => {
        const { file } = request.params;
        if (!ASSET_NAME.test(file)) throw new HttpError(404, 'not_found', `No playground asset ${file}`);
        const body = await readAsset(join(assetsDir, 'playground-assets'), file);
        return reply
          .header('cache-control', 'public, max-age=31536000, immutable')
          .type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream')
          .send(body);
      });

      scope.get('/playground-config.json', async (_request, reply) => reply.header('cache-control', 'no-store').send(config));

      if (sign) {
        scope.post<{ Body: { userId?: unknown } }>('/playground-token', async (request, reply) => {
          // `dev --host 0.0.0.0` exposes the port: tokens for any user are still only handed to this machine.
          if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) {
            throw new HttpError(403, 'forbidden', `Playground tokens are only issued to requests from this machine (this one came from ${request.socket.remoteAddress}); open the playground on http://127.0.0.1`);
          }
          const userId = request.body?.userId;
          if (typeof userId !== 'string' || !USER_ID.test(userId)) {
            throw new HttpError(400, 'invalid_request', 'userId: expected 1 to 128 letters, digits or . _ @ : - (e.g. "alice")');
          }
          return reply.header('cache-control', 'no-store').send({ token: await sign(userId), userId, expiresIn: TOKEN_LIFETIME });
        });
      }
    },
    { prefix: input.playground.path === '/' ? '' : input.playground.path.slice(0, -1) },
  );
}

async function readAsset(dir: string, file: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (file === 'index.html') {
      throw new HttpError(503, 'playground_not_built', `The playground is not built (${join(dir, file)} is missing): run \`npm run build:playground\` in create-chatkit-backend`);
    }
    throw new HttpError(404, 'not_found', `No playground asset ${file}`);
  }
}
