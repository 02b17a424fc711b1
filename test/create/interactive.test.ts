/**
 * The interactive scaffolder in a real pseudo-terminal (node-pty), the way a
 * person runs it: arrow keys, Enter, Ctrl-C.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';
import { describe, expect, it } from 'vitest';

const runCli = fileURLToPath(new URL('./fixtures/run-cli.ts', import.meta.url));
// tsx's loader by path: the temp directories the CLI runs in have no node_modules.
const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const KEYS = { up: '\x1b[A', down: '\x1b[B', enter: '\r', ctrlC: '\x03' };

/** Environment of an interactive user: no CI, colours off so output is plain text. */
const userEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'CI' && !key.startsWith('npm_')) env[key] = value;
  return { ...env, NO_COLOR: '1', TERM: 'xterm-256color' };
};

class Session {
  private output = '';
  private seen = 0;
  readonly exited: Promise<number>;
  private readonly term: pty.IPty;

  constructor(args: string[], cwd: string) {
    this.term = pty.spawn(process.execPath, ['--import', tsxLoader, runCli, ...args], { cwd, env: userEnv(), cols: 120, rows: 40 });
    this.term.onData((data) => {
      this.output += data;
    });
    this.exited = new Promise((resolve) => this.term.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Waits until `text` appears after everything already matched. */
  async waitFor(text: string): Promise<void> {
    for (let waited = 0; waited < 15_000; waited += 20) {
      const index = this.output.indexOf(text, this.seen);
      if (index !== -1) {
        this.seen = index + text.length;
        // Let the prompt finish rendering and start reading keys.
        await new Promise((resolve) => setTimeout(resolve, 60));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`timed out waiting for ${JSON.stringify(text)}; output so far:\n${this.output}`);
  }

  async answer(question: string, ...keys: string[]): Promise<void> {
    await this.waitFor(question);
    for (const key of keys) {
      this.term.write(key);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }

  get text(): string {
    return this.output;
  }
}

function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const absolute = join(entry.parentPath, entry.name);
      files.set(relative(dir, absolute), readFileSync(absolute));
    }
  }
  return files;
}

function runNonInteractive(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', tsxLoader, runCli, ...args], { cwd, env: { ...userEnv(), CI: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }),
    );
  });
}

describe('interactive scaffolding in a pseudo-terminal', () => {
  it('produces the same files as the equivalent flags', async () => {
    const promptedRoot = mkdtempSync(join(tmpdir(), 'ccb-pty-'));
    const session = new Session(['my-app', '--interactive', '--no-install', '--no-git'], promptedRoot);
    // Options are listed as basic, agent, tools (default), multi-agent ...
    await session.answer('Which template?', KEYS.up, KEYS.enter); // agent
    await session.answer('Which model provider?', KEYS.down, KEYS.down, KEYS.down, KEYS.enter); // scripted
    await session.answer('Where should threads be stored?', KEYS.down, KEYS.down, KEYS.enter); // memory
    await session.answer('Authentication?', KEYS.down, KEYS.enter); // jwt
    await session.answer('Where should uploaded files go?', KEYS.down, KEYS.enter); // s3
    await session.answer('Frontend snippet?', KEYS.down, KEYS.enter); // vanilla
    expect(await session.exited, session.text).toBe(0);

    const flagsRoot = mkdtempSync(join(tmpdir(), 'ccb-flags-'));
    const flags = await runNonInteractive(
      ['my-app', '--template', 'agent', '--provider', 'scripted', '--store', 'memory', '--auth', 'jwt', '--attachments', 's3', '--frontend', 'vanilla', '--no-install', '--no-git'],
      flagsRoot,
    );
    expect(flags.code, flags.output).toBe(0);

    const prompted = filesUnder(join(promptedRoot, 'my-app'));
    const flagged = filesUnder(join(flagsRoot, 'my-app'));
    expect([...prompted.keys()].sort()).toEqual([...flagged.keys()].sort());
    for (const [path, contents] of flagged) expect(prompted.get(path)?.equals(contents), path).toBe(true);
    expect(JSON.parse(prompted.get('package.json')!.toString()).createChatkitBackend).toMatchObject({ template: 'agent', auth: 'jwt', attachments: 's3' });
  });

  it('Ctrl-C at a question exits 130 and leaves nothing behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ccb-pty-cancel-'));
    const session = new Session([], root);
    await session.answer('Where should the project be created?', ...'cancelled-app', KEYS.enter);
    await session.answer('Which template?', KEYS.ctrlC);
    expect(await session.exited).toBe(130);
    expect(session.text).toContain('Operation cancelled');
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a non-empty directory by default and does not touch it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ccb-pty-busy-'));
    mkdirSync(join(root, 'busy-app'));
    writeFileSync(join(root, 'busy-app', 'notes.md'), 'mine');
    const session = new Session(['busy-app', '--interactive'], root);
    // The default answer is "Cancel": Enter keeps the directory as it is.
    await session.answer('is not empty', KEYS.enter);
    expect(await session.exited).toBe(130);
    expect(readdirSync(join(root, 'busy-app'))).toEqual(['notes.md']);
    expect(readFileSync(join(root, 'busy-app', 'notes.md'), 'utf8')).toBe('mine');
    expect(existsSync(join(root, 'busy-app', 'package.json'))).toBe(false);
  });
});
