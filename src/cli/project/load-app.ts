/**
 * Importing the project's TypeScript `src/app.ts` without a build step, through
 * tsx's ESM API, and checking it exports what the contract says.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import type { FastifyInstance } from 'fastify';
import { APP_ENTRY, ProjectError } from './root.js';
import { Redactor } from '../cassette/redact.js';

export interface BuildAppOptions {
  env?: NodeJS.ProcessEnv;
  fetch?: typeof globalThis.fetch;
  logger?: boolean | object;
}

export type BuildApp = (options?: BuildAppOptions) => Promise<FastifyInstance>;

export interface ImportOptions {
  /**
   * Use the process's own `import()` (when tsx is already registered with
   * `--import tsx`, as in the `dev` child): modules preloaded in that process
   * are then shared. `tsImport` loads the whole graph again in its own
   * namespace, which is right for a one-shot import but twice as slow.
   */
  native?: boolean;
}

export async function importBuildApp(root: string, options: ImportOptions = {}): Promise<BuildApp> {
  const entry = join(root, APP_ENTRY);
  let module: Record<string, unknown>;
  try {
    const url = pathToFileURL(entry).href;
    module = (options.native ? await import(url) : await tsImport(url, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    // Printed by every command: anything shaped like a key or token in a module's top-level error is scrubbed.
    throw new ProjectError(`could not load ${APP_ENTRY}: ${new Redactor().text(describeLoadError(error))}`);
  }
  const buildApp = module.buildApp ?? (module.default as Record<string, unknown> | undefined)?.buildApp;
  if (typeof buildApp !== 'function') {
    throw new ProjectError(`${APP_ENTRY} does not export a buildApp function (expected \`export async function buildApp(options)\`)`);
  }
  return buildApp as BuildApp;
}

/** esbuild syntax errors carry a location; keep the first lines, drop the stack noise. */
export function describeLoadError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const lines = error.message.split('\n').filter((line) => line.trim() !== '');
  // The usual cause in a fresh checkout or CI job: dependencies not installed yet.
  const missing = /Cannot find package '([^']+)'/.exec(error.message)?.[1];
  const hint = missing && !missing.startsWith('.') ? [`(is ${missing} installed? run \`npm install\` in the project, or add it with \`npm install ${missing}\`)`] : [];
  return [...lines.slice(0, 8), ...hint].join('\n');
}
