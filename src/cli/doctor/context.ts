/**
 * Building what the checks receive: the project (root, env), the origins to
 * test, and the backends to probe (the --url one and/or the project's own
 * app started in-process with the scripted provider). The only I/O-heavy
 * step before the checks run.
 */
import { randomBytes } from 'node:crypto';
import { signProjectToken } from '../project/project-token.js';
import { DEFAULT_PATH } from '../../http/options.js';
import { isLocalHost } from './hosts.js';
import { findProjectRoot, loadProjectEnv, startProjectApp, type ProjectEnv, type RunningApp } from './project.js';
import type { DoctorContext, Target } from './types.js';

export interface DoctorOptions {
  cwd: string;
  url?: string;
  origins: string[];
  authHeader?: string;
  diagnosticsToken?: string;
  online: boolean;
  long: boolean;
  /** Start the project's app too when --url is given (default true). */
  local: boolean;
  /** Whether any selected check probes a backend (otherwise no app is started). */
  needBackend?: boolean;
}

export interface PreparedContext {
  context: Omit<DoctorContext, 'signal'>;
  close(): Promise<void>;
}

/** `https://x.example` → `https://x.example/chatkit/api`; a URL with a path is taken as the endpoint itself. */
export function endpointFromUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--url must be an http:// or https:// URL, got ${url.protocol}//`);
  if (url.pathname === '/' || url.pathname === '') url.pathname = DEFAULT_PATH;
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}

/** `Bearer x` → authorization header; `Name: value` → that header. */
export function parseAuthHeader(value: string): Record<string, string> {
  const named = /^([A-Za-z0-9-]+):\s*(.+)$/.exec(value);
  if (named && !/^bearer$/i.test(named[1]!)) return { [named[1]!.toLowerCase()]: named[2]! };
  return { authorization: value };
}

export function splitOrigins(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim().replace(/\/+$/, '')).filter((s) => s !== '');
}

/** A short-lived token signed with the project's own secret, so doctor can pass its auth. */
async function mintToken(env: ProjectEnv): Promise<string> {
  return (await signProjectToken(env.values, 'chatkit-doctor', '15m'))!;
}

/** The environment the probe app runs with: the project's, with the scripted model and diagnostics on. */
function probeEnv(env: ProjectEnv, diagnosticsToken: string): Record<string, string | undefined> {
  return {
    ...env.values,
    CHATKIT_MODEL_PROVIDER: 'scripted',
    // The probe's threads must not land in the project's database file.
    CHATKIT_SQLITE_URL: ':memory:',
    NODE_ENV: 'development',
    CHATKIT_DIAGNOSTICS_TOKEN: diagnosticsToken,
  };
}

export async function prepareContext(options: DoctorOptions, shell: NodeJS.ProcessEnv = process.env): Promise<PreparedContext> {
  const root = findProjectRoot(options.cwd);
  const env = loadProjectEnv(root, shell);
  const origins = options.origins.length > 0 ? options.origins.map((o) => o.replace(/\/+$/, '')) : splitOrigins(env.values.CHATKIT_CORS_ORIGINS);
  const targets: Target[] = [];
  let targetProblem: string | undefined;
  let app: RunningApp | undefined;

  const needBackend = options.needBackend ?? true;
  if (options.url && needBackend) {
    const endpoint = endpointFromUrl(options.url);
    targets.push({
      name: 'url',
      endpoint,
      local: isLocalHost(new URL(endpoint).hostname),
      authHeaders: options.authHeader ? parseAuthHeader(options.authHeader) : {},
      diagnosticsToken: options.diagnosticsToken,
    });
  }
  if (root && needBackend && (!options.url || options.local)) {
    const token = randomBytes(16).toString('hex');
    try {
      app = await startProjectApp(root, probeEnv(env, token));
      targets.push({
        name: 'local app',
        endpoint: `${app.url}${app.chatkitPath}`,
        local: true,
        authHeaders: env.values.CHATKIT_JWT_SECRET ? { authorization: `Bearer ${await mintToken(env)}` } : {},
        diagnosticsToken: token,
      });
    } catch (error) {
      targetProblem = (error as Error).message;
    }
  } else if (!root && !options.url && needBackend) {
    targetProblem = `no project found at ${options.cwd} (no package.json with src/app.ts) and no --url given`;
  }

  return {
    context: {
      root,
      env,
      targets,
      targetProblem,
      origins,
      authConfigured: Boolean(env.values.CHATKIT_JWT_SECRET) || Boolean(options.authHeader),
      online: options.online,
      long: options.long,
      fetch: globalThis.fetch,
    },
    close: async () => {
      await app?.close();
    },
  };
}
