/**
 * Building the project's app with injected configuration, and starting it on a
 * port (0 = any free port) bound to 127.0.0.1 unless told otherwise.
 */
import type { FastifyInstance } from 'fastify';
import { DEFAULT_PATH } from '../../http/options.js';
import { importBuildApp, type BuildAppOptions, type ImportOptions } from './load-app.js';
import { ProjectError } from './root.js';
import { buildAppFailure } from './build-failure.js';

/**
 * `app.chatkit` as the commands read it. Looser than the plugin's own type on
 * purpose: the project's app may run another installed version of the plugin.
 */
export interface ChatKitDecoration {
  path: string;
  uploadPath?: string;
  observer?: NodeJS.EventEmitter;
  server?: unknown;
  corsOrigins?: readonly string[] | '*';
}

export interface BuiltProject {
  app: FastifyInstance;
  /** The plugin's decoration, when the app registered the chatkit plugin. */
  chatkit?: ChatKitDecoration;
  chatkitPath: string;
}

export async function buildProjectApp(root: string, options: BuildAppOptions, importOptions: ImportOptions = {}): Promise<BuiltProject> {
  const buildApp = await importBuildApp(root, importOptions);
  let app: FastifyInstance;
  try {
    app = await buildApp(options);
    await app.ready();
  } catch (error) {
    throw buildAppFailure(error, options.env);
  }
  const chatkit = (app as unknown as { chatkit?: ChatKitDecoration }).chatkit;
  return { app, chatkit, chatkitPath: chatkit?.path ?? DEFAULT_PATH };
}

export interface StartedProject extends BuiltProject {
  url: string;
  close(): Promise<void>;
}

export async function startProject(
  root: string,
  options: BuildAppOptions & { port?: number; host?: string },
  importOptions: ImportOptions = {},
): Promise<StartedProject> {
  const { port = 0, host = '127.0.0.1', ...buildOptions } = options;
  const built = await buildProjectApp(root, buildOptions, importOptions);
  return listenProject(built, { port, host });
}

/** Listen with a built app (separate so `dev` can build the next version while the old one still serves). */
export async function listenProject(built: BuiltProject, { port = 0, host = '127.0.0.1' }: { port?: number; host?: string }): Promise<StartedProject> {
  try {
    await built.app.listen({ port, host });
  } catch (error) {
    await built.app.close().catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ProjectError(`port ${port} is already in use: stop the other server or pass --port <n>`);
    throw new ProjectError(`could not listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const address = built.app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { ...built, url: `http://${shownHost}:${actualPort}`, close: () => built.app.close() };
}
