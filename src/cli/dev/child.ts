/**
 * The process `dev` restarts on every change: loads the project's `src/app.ts`
 * (TypeScript, through tsx), listens, prints the live log, and tells the
 * supervisor whether it came up. One process per code version means the new
 * code is really what runs (no stale ESM module cache, no leaked handles from
 * the previous version: timers, DB pools and sockets die with the process).
 */
import chalk from 'chalk';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadProjectEnv } from '../project/env.js';
import { buildProjectApp, listenProject, type BuiltProject, type StartedProject } from '../project/start.js';
import { buildBanner, formatBanner } from './banner.js';
import { readFrontendDomainKey } from './frontend-domain-key.js';
import { respectNoColor } from './color.js';
import { watchCorsRefusals } from './cors-refusal.js';
import { attachRequestLog, formatFailure, type FailureReporting } from './request-log.js';
import { FailureTracker } from './failure-tracker.js';
import { Redactor } from '../cassette/redact.js';
import { configuredSecrets } from '../cassette/secrets.js';
import { createCassetteRecorder } from './recording.js';
import { preloadDependencies } from './preload.js';
import { CHILD_CONFIG_VARIABLE, type ChildConfig, type ChildMessage, type GoMessage, type ListenMessage } from './protocol.js';

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** Report a failure and leave (the IPC channel would otherwise keep this process alive). */
function fail(message: string, phase: 'load' | 'listen'): void {
  const failure: ChildMessage = { type: 'failed', message, phase };
  if (!process.send) return void (process.exitCode = 1);
  process.send(failure, () => process.exit(1));
}

/** Preload, report warm, and wait until the supervisor needs this process. */
async function standby(config: ChildConfig): Promise<GoMessage> {
  const go = new Promise<GoMessage>((resolve) => {
    process.on('message', (message: GoMessage) => { if (message?.type === 'go') resolve(message); });
  });
  // A standby that is never used goes away with the supervisor.
  process.once('disconnect', () => process.exit(0));
  await preloadDependencies(config.root).catch(() => {});
  send({ type: 'warm' });
  return go;
}

// The plugin's "no CORS origins" warning repeats on every restart; the banner already says it once.
function quietRepeatedWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.code === 'CHATKIT_NO_CORS') return;
    console.warn(chalk.yellow(`  ⚠ ${warning.message}`));
  });
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env[CHILD_CONFIG_VARIABLE] ?? '{}') as ChildConfig;
  respectNoColor();
  quietRepeatedWarnings();
  // Before preloading: packages that read process.env when imported must see .env too.
  // (The supervisor discards a standby when .env changes, so this stays current.)
  const project = loadProjectEnv(config.root);
  // Project code that reads process.env directly sees the same configuration as buildApp's `env`.
  for (const [name, value] of Object.entries(project.env)) process.env[name] ??= value;
  process.env.NODE_ENV ??= 'development';
  // The plugin serves the browser playground at / when this is on (CHATKIT_PLAYGROUND=0 in .env turns it off).
  process.env.CHATKIT_PLAYGROUND ??= '1';
  const env = { ...project.env, NODE_ENV: process.env.NODE_ENV };
  const { firstStart, banner } = await standby(config);
  const goAt = performance.now();
  const trace = (name: string) => { if (process.env.CHATKIT_DEV_TRACE) console.log(chalk.dim(`  [trace:child] ${name} +${Math.round(performance.now() - goAt)}ms`)); };

  const announced = new Set<string>();
  const recorder = config.recordDir
    ? createCassetteRecorder({
        dir: config.recordDir,
        env,
        // Once per cassette (relative, readable at a glance); every rewrite only with --verbose.
        onWrite: (file) => {
          const shown = relative(config.root, file);
          if (!announced.has(file)) console.log(chalk.dim(`    recording this thread to ${shown}`));
          else if (config.verbose) console.log(chalk.dim(`    updated ${shown}`));
          announced.add(file);
        },
        onError: (message) => console.error(chalk.red(`✗ recording refused: ${message}`)),
        // Each restart starts a new recorder; a conversation that began before it cannot be replayed from the middle.
        onUnknownThread: (threadId) => console.log(chalk.yellow(`    ⚠ not recording ${threadId}: it began before ${firstStart ? 'recording started' : 'the last restart'}; start a new thread to record it`)),
      })
    : undefined;

  // Why requests fail: what the provider answered and what the server logged, printed under the request's line.
  const redactor = new Redactor({ literals: configuredSecrets(env) });
  const reporting: FailureReporting = {
    env,
    redact: (text) => redactor.text(text),
    root: config.root,
    tracker: new FailureTracker((failure) => console.log(`${chalk.red('✗ server error')}\n${formatFailure(failure, reporting, config.verbose)}`)),
  };
  const providerFetch = reporting.tracker.tapFetch(recorder?.fetch ?? globalThis.fetch);

  const listen = new Promise<void>((resolve) => {
    process.on('message', (message: ListenMessage) => { if (message?.type === 'listen') resolve(); });
  });
  let built: BuiltProject;
  try {
    built = await buildProjectApp(config.root, { env, logger: reporting.tracker.loggerOptions(), fetch: providerFetch }, { native: true });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 'load');
    return;
  }
  reporting.tracker.watchServerLogger(built.chatkit?.server, built.app.log);
  trace('built');
  send({ type: 'built' });
  await listen;
  let started: StartedProject;
  try {
    started = await listenProject(built, { port: config.port, host: config.host });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 'listen');
    return;
  }

  const observer = started.chatkit?.observer;
  if (observer) {
    recorder?.attach(observer, started.app.server, started.chatkitPath);
    attachRequestLog(observer, config.verbose, reporting);
    watchCorsRefusals(started.app.server, started.chatkitPath, project.env['CHATKIT_CORS_ORIGINS'], (line) => console.log(chalk.yellow(line)));
  } else {
    console.log(chalk.yellow('  ⚠ the app has no chatkit plugin decoration (app.chatkit): no request log. Register create-chatkit-backend/fastify in buildApp.'));
  }

  const storeName = (started.chatkit?.server as { store?: object } | undefined)?.store?.constructor?.name;
  if (banner) {
    const frontendDomainKey = readFrontendDomainKey(config.root, env);
    process.stdout.write(formatBanner(buildBanner({
      url: started.url,
      chatkitPath: started.chatkitPath,
      env,
      storeName,
      recordDir: config.recordDir,
      ...(frontendDomainKey ? { frontendDomainKey } : {}),
      hasFrontend: existsSync(join(config.root, 'frontend')),
      ...(started.chatkit?.corsOrigins ? { corsOrigins: started.chatkit.corsOrigins } : {}),
      playgroundPath: (started.chatkit as { playgroundPath?: string } | undefined)?.playgroundPath,
    })));
  }
  send({ type: 'ready', url: started.url, chatkitPath: started.chatkitPath });

  const stop = async () => {
    // Open SSE streams would keep close() waiting; drop them, this version of the code is gone.
    started.app.server.closeAllConnections?.();
    await Promise.race([started.close(), new Promise((resolve) => setTimeout(resolve, 300))]);
    await recorder?.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.removeAllListeners('disconnect');
  process.once('disconnect', () => void stop());
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error), 'load'));
