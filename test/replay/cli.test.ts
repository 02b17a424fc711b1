/**
 * `replay` as a real subprocess, for what only the command layer does: with
 * `--json`, stdout holds exactly the JSON document even when the project's
 * code prints; run from a subdirectory, the project is found above it.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCassette, writeCassette } from '../../src/cli/cassette/writer.js';
import { replayCassettes } from '../../src/cli/replay/index.js';
import { copyFixture, type FixtureCopy } from './support/fixture.js';

const RUN_REPLAY = resolve(import.meta.dirname, 'support/run-replay.ts');

async function replayCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', RUN_REPLAY, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('replay command', () => {
  let project: FixtureCopy;

  beforeAll(async () => {
    project = await copyFixture();
    await project.edit('src/app.ts', (text) => `console.log('hello from the app');\nprocess.stdout.write('raw write from the app\\n');\n${text}`);
    await mkdir(join(project.root, 'cassettes'));
    const file = join(project.root, 'cassettes', 'list.cassette.jsonl');
    // A one-request session; --update fills in what this code answers.
    await writeCassette(file, buildCassette([
      { kind: 'request', index: 0, type: 'threads.list', body: { type: 'threads.list', params: {} } },
      { kind: 'response', request: 0, status: 200, streaming: false, body: {} },
    ], { cliVersion: '0.0.0' }));
    const updated = await replayCassettes([file], { cwd: project.root, update: true, env: {} });
    expect(updated.exitCode, updated.report).toBe(0);
  });

  afterAll(async () => {
    await project.remove();
  });

  it('--json: stdout is one JSON document although the project prints; its output goes to stderr', async () => {
    const { code, stdout, stderr } = await replayCli(['--json'], project.root);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ exitCode: 0, cassettes: [{ status: 'equal' }] });
    expect(stderr).toContain('hello from the app');
    expect(stderr).toContain('raw write from the app');
  });

  it('finds the project from a subdirectory, and typed paths are relative to where the user is', async () => {
    const fromSrc = await replayCli([], join(project.root, 'src'));
    expect(fromSrc.code, fromSrc.stdout + fromSrc.stderr).toBe(0);
    expect(fromSrc.stdout).toContain('✓ cassettes/list.cassette.jsonl: identical');
    const typed = await replayCli(['../cassettes/list.cassette.jsonl'], join(project.root, 'src'));
    expect(typed.code, typed.stdout + typed.stderr).toBe(0);
  });

  it('--json when the project cannot be loaded: exit 2 and still one JSON document saying why', async () => {
    await project.edit('src/app.ts', (text) => `${text}\nexport const broken = {;\n`);
    try {
      const { code, stdout, stderr } = await replayCli(['--json'], project.root);
      expect(code).toBe(2);
      expect(JSON.parse(stdout)).toMatchObject({ exitCode: 2, error: expect.stringMatching(/^could not load src\/app\.ts: /), cassettes: [] });
      expect(stderr).toMatch(/^replay: could not load src\/app\.ts: /m);
    } finally {
      await project.edit('src/app.ts', (text) => text.replace('\nexport const broken = {;\n', ''));
    }
  });
});
