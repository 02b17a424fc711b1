/**
 * `dev` as a subprocess for tests: its output collected, and waits that end on
 * the event they need (an output line, an answer) rather than on a clock; the
 * test's own timeout is the only limit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { copyFixture, type FixtureCopy } from '../../replay/support/fixture.js';
import { startMockOpenAI, type MockOpenAI, type MockOpenAIOptions } from '../../support/mock-openai.js';
import { freePort } from './free-port.js';

const RUN_DEV = resolve(import.meta.dirname, 'run-dev.ts');

export interface DevProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output after `from` (an offset into the output). */
  waitFor(pattern: RegExp, from?: number): Promise<RegExpMatchArray>;
  /** Resolves when `probe` returns a value (it is retried after each failure or undefined). */
  until<T>(probe: () => Promise<T | undefined>): Promise<T>;
  stop(): Promise<number | null>;
}

export function startDev(args: string[], env: NodeJS.ProcessEnv = {}): DevProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', RUN_DEV, ...args], {
    env: { ...process.env, FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk;
    for (const wake of [...waiters]) wake();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => { for (const wake of [...waiters]) wake(); done(code); }));

  return {
    child,
    output: () => output,
    waitFor(pattern, from = 0) {
      return new Promise((done, fail) => {
        const check = () => {
          const match = output.slice(from).match(pattern);
          if (match) {
            waiters.delete(check);
            done(match);
          } else if (child.exitCode !== null) {
            waiters.delete(check);
            fail(new Error(`dev exited (${child.exitCode}) before printing ${pattern}; output:\n${output}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    async until(probe) {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`dev exited (${child.exitCode}); output:\n${output}`);
        const value = await probe().catch(() => undefined);
        if (value !== undefined) return value;
        // Pacing only (a retry does not assume anything happened meanwhile); the test's timeout is the limit.
        await new Promise((next) => setTimeout(next, 20));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

export interface DevOnFixture {
  project: FixtureCopy;
  mock: MockOpenAI;
  dev: DevProcess;
  /** `http://127.0.0.1:<port>/chatkit/api` */
  endpoint: string;
  /** Stops dev, the mock and removes the copy (prints dev's output first with SHOW_DEV_OUTPUT=1). */
  close(): Promise<void>;
}

/** A fresh copy of the fixture project, a mock OpenAI server, and `dev` on a free port with `key` in .env. */
export async function startDevOnFixture(options: { key: string; mock?: MockOpenAIOptions; args?: string[] }): Promise<DevOnFixture> {
  const project = await copyFixture();
  const mock = await startMockOpenAI(options.mock);
  await writeFile(join(project.root, '.env'), `OPENAI_API_KEY=${options.key}\nOPENAI_BASE_URL=${mock.baseURL}\nCHATKIT_MODEL=mock-model\n`);
  const port = await freePort();
  const dev = startDev(['--port', String(port), '--cwd', project.root, ...(options.args ?? [])]);
  return {
    project,
    mock,
    dev,
    endpoint: `http://127.0.0.1:${port}/chatkit/api`,
    async close() {
      if (process.env.SHOW_DEV_OUTPUT) console.log(dev.output());
      await dev.stop();
      await mock.close();
      await project.remove();
    },
  };
}
