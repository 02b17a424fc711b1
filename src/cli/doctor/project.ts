/**
 * The one place doctor touches project loading (root, `.env`, `buildApp`),
 * on top of the shared loader in src/cli/project/. Doctor also runs outside a
 * project (`--url` only), where the environment is the shell's alone.
 */
import { loadProjectEnv as loadSharedEnv, startProject, type EnvSource } from '../project/index.js';

export type { EnvSource };

export interface ProjectEnv {
  /** What the project sees: shell variables win over `.env`. */
  values: Record<string, string | undefined>;
  /** Which source set each variable the project sees. */
  sources: Record<string, EnvSource>;
  /** What `.env` says, even where the shell overrides it. */
  dotenv: Record<string, string>;
}

/** Walks up from `start` to the nearest project root (shared with dev and replay). */
export { findProjectRoot } from '../project/index.js';

/** The project's environment: the shell first, then `.env` for what the shell leaves unset. */
export function loadProjectEnv(root: string | null, shell: NodeJS.ProcessEnv = process.env): ProjectEnv {
  if (!root) {
    const values = Object.fromEntries(Object.entries(shell).filter((e): e is [string, string] => e[1] !== undefined));
    return { values, sources: Object.fromEntries(Object.keys(values).map((k) => [k, 'shell' as const])), dotenv: {} };
  }
  const shared = loadSharedEnv(root, shell);
  return { values: shared.env, sources: shared.sources, dotenv: shared.dotenv };
}

export interface RunningApp {
  /** The base URL, e.g. `http://127.0.0.1:51234`. */
  url: string;
  chatkitPath: string;
  close(): Promise<void>;
}

/**
 * Builds and starts the project's app on a free loopback port. The plugin
 * enables its diagnostics route from `process.env.NODE_ENV` when the app
 * registers it, so doctor's probe app is built as a development instance.
 */
export async function startProjectApp(root: string, env: Record<string, string | undefined>): Promise<RunningApp> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  try {
    const started = await startProject(root, { env: env as NodeJS.ProcessEnv, logger: false, port: 0, host: '127.0.0.1' });
    return { url: started.url, chatkitPath: started.chatkitPath, close: () => started.close() };
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}
