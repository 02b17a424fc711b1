/**
 * Runs the app in a child process and replaces it when a file under `src/`
 * or `scripts/`, or `.env`, changes (see project-watcher.ts). A failed load (syntax error, missing export, port in
 * use) is reported and the supervisor keeps watching: the next save retries.
 *
 * Restarts are fast because the next child is always already running as a
 * warm standby with the project's dependencies imported (see preload.ts): a
 * restart is "tell the standby to load and build the new code, stop the old
 * one, let the new one listen", and only the project's own files are loaded
 * after the save. The old version keeps serving until the new one is built,
 * and goes on serving when the new code does not load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import chalk from 'chalk';
import { BackgroundTypecheck } from './typecheck.js';
import { watchProject, type ProjectWatcher } from './project-watcher.js';
import { CHILD_CONFIG_VARIABLE, type ChildConfig, type ChildMessage, type GoMessage, type ListenMessage } from './protocol.js';

export interface SupervisorOptions {
  root: string;
  port: number;
  host: string;
  verbose: boolean;
  recordDir?: string;
  /** Debounce for bursts of file events (editors write several). */
  debounceMs?: number;
  log?: (line: string) => void;
  /** Run the project's `tsc --noEmit` after each restart (default true when it has a tsconfig.json). */
  typecheck?: boolean;
}

type Outcome = Exclude<ChildMessage, { type: 'warm' } | { type: 'built' }>;

interface Spawned {
  process: ChildProcess;
  /** Resolves when the child is warm (true) or has died first (false). */
  warm: Promise<boolean>;
  /** Resolves when the new code is built (true) or has failed first (false). */
  built: Promise<boolean>;
  outcome: Promise<Outcome>;
}

function childEntry(): { file: string; execArgv: string[] } {
  const ts = fileURLToPath(new URL('./child.ts', import.meta.url));
  const js = fileURLToPath(new URL('./child.js', import.meta.url));
  // tsx is needed in the child either way: it imports the project's TypeScript.
  return { file: existsSync(js) ? js : ts, execArgv: ['--import', import.meta.resolve('tsx')] };
}

export class DevSupervisor {
  private current: Spawned | undefined;
  private standby: Spawned | undefined;
  private watcher: ProjectWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private started = false;
  private generation = 0;
  private stopped = false;
  private readonly log: (line: string) => void;
  private readonly typecheck: BackgroundTypecheck | undefined;

  constructor(private readonly options: SupervisorOptions) {
    this.log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
    this.typecheck = options.typecheck === false ? undefined : new BackgroundTypecheck(options.root, this.log);
  }

  /** Starts watching and the first child; resolves once it is up or has failed. */
  async start(): Promise<void> {
    this.watch();
    // Saves made while the first version starts are seen once the scan is done.
    await Promise.all([this.watcher?.ready, this.restart('start')]);
  }

  private watch(): void {
    // A burst (git checkout, delete and recreate) is one restart; an .env change in it wins, as it also replaces the standby.
    let changed: string | undefined;
    this.watcher = watchProject(this.options.root, (file) => {
      if (this.stopped) return;
      changed = changed === '.env' ? changed : file;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        const reason = changed!;
        changed = undefined;
        void this.restart(reason);
      }, this.options.debounceMs ?? 30);
    }, (error) => this.log(chalk.red(`✗ watching the project failed: ${error.message}`)));
  }

  private restart(reason: string): Promise<void> {
    this.queue = this.queue.then(() => this.replaceChild(reason));
    return this.queue;
  }

  private async replaceChild(reason: string): Promise<void> {
    if (this.stopped) return;
    const began = performance.now();
    if (reason !== 'start') this.log(chalk.dim(`↻ ${reason} changed, restarting…`));
    this.generation++;
    // A check of the previous code is stale now, and would compete with the restart for CPU.
    this.typecheck?.cancel();
    let next = this.standby;
    this.standby = undefined;
    // The standby read .env when it started: after an .env change it is stale.
    if (next && reason === '.env') void this.stopChild(next).catch(() => {});
    if (!next || reason === '.env' || next.process.exitCode !== null) next = this.spawnChild();
    // The old version keeps serving while the new one loads and builds; the port changes hands after.
    const go: GoMessage = { type: 'go', firstStart: !this.started, banner: !this.started || reason === '.env' };
    const phase = (name: string) => { if (process.env.CHATKIT_DEV_TRACE) this.log(chalk.dim(`  [trace] ${name} +${Math.round(performance.now() - began)}ms`)); };
    if (await next.warm) next.process.send(go);
    phase('standby warm');
    const built = await next.built;
    phase('new version built');
    // Code that does not load leaves the last good version serving: the browser keeps getting
    // answers (not a refused connection that it would report as a CORS error) until the next save.
    const previousKeptServing = !built && this.current !== undefined && this.current.process.exitCode === null;
    if (!previousKeptServing) {
      await this.stopChild(this.current);
      phase('old version stopped');
      this.current = next;
    }
    if (built) next.process.send({ type: 'listen' } satisfies ListenMessage);
    const outcome = await next.outcome;
    phase('listening');
    const elapsed = Math.round(performance.now() - began);
    if (outcome.type === 'ready') {
      if (this.started) this.log(chalk.green(`✓ restarted in ${elapsed}ms`));
      this.started = true;
    } else {
      this.log(chalk.red(`✗ ${outcome.phase === 'load' ? 'the app failed to load' : 'the app could not start'}:`));
      this.log(outcome.message.split('\n').map((line) => `    ${line}`).join('\n'));
      if (previousKeptServing) this.log(chalk.yellow('  the previous version is still serving requests'));
      this.log(chalk.dim('  waiting for a change under src/ or scripts/, or to .env, to try again (dev keeps running)…'));
    }
    if (this.stopped) return;
    const standby = (this.standby = this.spawnChild());
    // A syntax error is already reported by the load; types are checked for code that loaded,
    // once the standby is warm: on two cores, a compiler starting alongside it would delay the next restart.
    // Only if no newer save has restarted the app meanwhile (that restart schedules its own check).
    const generation = ++this.generation;
    if (outcome.type === 'ready') {
      void standby.warm.then(() => {
        if (!this.stopped && generation === this.generation) this.typecheck?.run({ error: chalk.red, ok: chalk.green, dim: chalk.dim });
      });
    }
  }

  private spawnChild(): Spawned {
    const { file, execArgv } = childEntry();
    const config: ChildConfig = {
      root: this.options.root,
      port: this.options.port,
      host: this.options.host,
      verbose: this.options.verbose,
      ...(this.options.recordDir ? { recordDir: this.options.recordDir } : {}),
    };
    const child = spawn(process.execPath, [...execArgv, file], {
      cwd: this.options.root,
      env: { ...process.env, [CHILD_CONFIG_VARIABLE]: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let onWarm: (warm: boolean) => void = () => {};
    let onBuilt: (built: boolean) => void = () => {};
    const warm = new Promise<boolean>((resolve) => (onWarm = resolve));
    const built = new Promise<boolean>((resolve) => (onBuilt = resolve));
    const outcome = new Promise<Outcome>((resolve) => {
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'warm') onWarm(true);
        else if (message.type === 'built') onBuilt(true);
        else {
          onBuilt(false);
          resolve(message);
        }
      });
      child.on('exit', (code, signal) => {
        onWarm(false);
        onBuilt(false);
        resolve({ type: 'failed', phase: 'load', message: `the app process exited (${signal ?? `code ${code}`}) before it was ready` });
      });
    });
    return { process: child, warm, built, outcome };
  }

  private async stopChild(spawned: Spawned | undefined): Promise<void> {
    const child = spawned?.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 1500);
    await exited;
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.typecheck?.cancel();
    await this.watcher?.close();
    await this.queue.catch(() => {});
    await Promise.all([this.stopChild(this.current), this.stopChild(this.standby)]);
  }
}
