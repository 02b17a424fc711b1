/**
 * The project's configuration: the shell's environment plus `.env`, where the
 * shell wins (like dotenv: a variable set when launching overrides the file).
 * Each variable remembers where it came from, so messages can say "OPENAI_API_KEY
 * (from .env)" and doctor can explain a value the user did not expect.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

export type EnvSource = 'shell' | '.env';

export interface ProjectEnv {
  env: Record<string, string>;
  sources: Record<string, EnvSource>;
  /** Absolute path of the `.env` that was read, if any. */
  envFile?: string;
}

export function loadProjectEnv(root: string, shell: NodeJS.ProcessEnv = process.env): ProjectEnv {
  const env: Record<string, string> = {};
  const sources: Record<string, EnvSource> = {};
  const envFile = join(root, '.env');
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : undefined;
  for (const [name, value] of Object.entries(fromFile ?? {})) {
    if (value === undefined) continue;
    env[name] = value;
    sources[name] = '.env';
  }
  for (const [name, value] of Object.entries(shell)) {
    if (value === undefined) continue;
    env[name] = value;
    sources[name] = 'shell';
  }
  return { env, sources, ...(fromFile ? { envFile } : {}) };
}

/** `OPENAI_API_KEY (from .env)`: for messages. Never includes the value. */
export function describeVariable(project: ProjectEnv, name: string): string {
  const source = project.sources[name];
  return source ? `${name} (from ${source === 'shell' ? 'the shell environment' : '.env'})` : `${name} (not set)`;
}
