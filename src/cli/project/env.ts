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
  /** What `.env` says, even where the shell overrides it (doctor reports the disagreements). */
  dotenv: Record<string, string>;
  /** Absolute path of the `.env` that was read, if any. */
  envFile?: string;
}

/** The variables a `.env` text sets. */
export function parseDotenv(text: string): Record<string, string> {
  return Object.fromEntries(Object.entries(parseEnv(text)).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export function loadProjectEnv(root: string, shell: NodeJS.ProcessEnv = process.env): ProjectEnv {
  const env: Record<string, string> = {};
  const sources: Record<string, EnvSource> = {};
  const envFile = join(root, '.env');
  const hasFile = existsSync(envFile);
  const dotenv = hasFile ? parseDotenv(readFileSync(envFile, 'utf8')) : {};
  for (const [name, value] of Object.entries(dotenv)) {
    env[name] = value;
    sources[name] = '.env';
  }
  for (const [name, value] of Object.entries(shell)) {
    if (value === undefined) continue;
    env[name] = value;
    sources[name] = 'shell';
  }
  return { env, sources, dotenv, ...(hasFile ? { envFile } : {}) };
}

/** Where a variable came from, in words for messages. */
export function describeSource(source: EnvSource): string {
  return source === 'shell' ? 'the shell environment' : '.env';
}

/** `OPENAI_API_KEY (from .env)`: for messages. Never includes the value. */
export function describeVariable(project: ProjectEnv, name: string): string {
  const source = project.sources[name];
  return source ? `${name} (from ${describeSource(source)})` : `${name} (not set)`;
}
