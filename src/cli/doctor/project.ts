/**
 * The one place doctor touches project loading (root, `.env`, `buildApp`).
 * The shared loader in src/cli/project/ is written in parallel; until doctor
 * switches to it, this adapter implements the same contract
 * (/tmp/project-contract.md) so that only this file changes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type EnvSource = 'shell' | '.env';

export interface ProjectEnv {
  /** What the project sees: shell variables win over `.env`. */
  values: Record<string, string | undefined>;
  /** Which source set each variable the project sees. */
  sources: Record<string, EnvSource>;
  /** What `.env` says, even where the shell overrides it (to report disagreements). */
  dotenv: Record<string, string>;
}

/** Walks up from `start` to the directory holding `package.json` and `src/app.ts`. */
export function findProjectRoot(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'app.ts'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Parses `.env` text: `KEY=value`, optional `export`, quotes, `#` comments. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out[match[1]!] = value;
  }
  return out;
}

/** The project's environment: the shell first, then `.env` for what the shell leaves unset. */
export function loadProjectEnv(root: string | null, shell: NodeJS.ProcessEnv = process.env): ProjectEnv {
  const dotenvPath = root ? join(root, '.env') : null;
  const dotenv = dotenvPath && existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath, 'utf8')) : {};
  const values: Record<string, string | undefined> = {};
  const sources: Record<string, EnvSource> = {};
  for (const [key, value] of Object.entries(dotenv)) {
    values[key] = value;
    sources[key] = '.env';
  }
  for (const [key, value] of Object.entries(shell)) {
    if (value === undefined) continue;
    values[key] = value;
    sources[key] = 'shell';
  }
  return { values, sources, dotenv };
}

export interface RunningApp {
  /** The base URL, e.g. `http://127.0.0.1:51234`. */
  url: string;
  /** The chatkit path the plugin registered, when the app exposes it. */
  chatkitPath: string | undefined;
  close(): Promise<void>;
}

interface BuildableApp {
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<unknown>;
  chatkit?: { path?: string };
}

/** Imports `<root>/src/app.ts` through tsx, builds the app with `env` and listens on a free loopback port. */
export async function startProjectApp(root: string, env: Record<string, string | undefined>): Promise<RunningApp> {
  const { tsImport } = await import('tsx/esm/api');
  const appFile = pathToFileURL(join(root, 'src', 'app.ts')).href;
  const mod = (await tsImport(appFile, import.meta.url)) as { buildApp?: (options: object) => Promise<BuildableApp> };
  if (typeof mod.buildApp !== 'function') {
    throw new Error(`${join(root, 'src', 'app.ts')} does not export buildApp(options); doctor needs it to start the app`);
  }
  const app = await mod.buildApp({ env: env as NodeJS.ProcessEnv, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = (app as unknown as { server: { address(): { port: number } } }).server.address();
  return {
    url: `http://127.0.0.1:${address.port}`,
    chatkitPath: app.chatkit?.path,
    close: async () => {
      await app.close();
    },
  };
}
