/**
 * `create-chatkit-backend token`: a development bearer token signed with the
 * project's secret (and issuer/audience), which the project's own app accepts
 * over HTTP; refused outside a project, without a secret, and for a bad --ttl.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, type FixtureCopy } from './support/fixture.js';
import { post } from './support/session.js';
import { startProject } from '../../src/cli/project/index.js';

const RUN_CLI = resolve(import.meta.dirname, 'support/run-cli.ts');
const SECRET = 'a-development-secret-that-is-long-enough';

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', RUN_CLI, ...args], { env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('create-chatkit-backend token', () => {
  let project: FixtureCopy;

  beforeAll(async () => {
    project = await copyFixture();
    await writeFile(join(project.root, '.env'), `FIXTURE_AUTH=jwt\nCHATKIT_JWT_SECRET=${SECRET}\nCHATKIT_JWT_ISSUER=https://auth.example.com/\nCHATKIT_JWT_AUDIENCE=chatkit\n`);
  });
  afterAll(() => project.remove());

  it("prints only a token signed with the project's secret, issuer and audience, for --sub and --ttl", async () => {
    const { code, stdout, stderr } = await cli(['token', '--sub', 'alice', '--ttl', '15m', '--cwd', join(project.root, 'src')]);
    expect(code, stderr).toBe(0);
    const token = stdout.trim();
    expect(stdout).toBe(`${token}\n`);
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { issuer: 'https://auth.example.com/', audience: 'chatkit' });
    expect(payload.sub).toBe('alice');
    expect(payload.exp! - payload.iat!).toBe(15 * 60);
  });

  it('is accepted by the project app, which refuses the request without it', async () => {
    const { stdout } = await cli(['token', '--cwd', project.root]);
    expect(decodeJwt(stdout.trim()).sub).toBe('dev-user');
    const env = { OPENAI_API_KEY: 'sk-test-unused-0123456789abcdef', FIXTURE_AUTH: 'jwt', CHATKIT_JWT_SECRET: SECRET, CHATKIT_JWT_ISSUER: 'https://auth.example.com/', CHATKIT_JWT_AUDIENCE: 'chatkit' };
    const app = await startProject(project.root, { env, logger: false });
    try {
      const endpoint = `${app.url}${app.chatkitPath}`;
      expect((await post(endpoint, { type: 'threads.list', params: {} })).status).toBe(401);
      expect((await post(endpoint, { type: 'threads.list', params: {} }, { authorization: `Bearer ${stdout.trim()}` })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('is refused outside a project (exit 2), without a secret (exit 1) and for a bad --ttl (exit 2)', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'token-'));
    try {
      const outside = await cli(['token', '--cwd', empty]);
      expect(outside.code).toBe(2);
      expect(outside.stdout).toBe('');
      expect(outside.stderr).toMatch(/has no src\/app\.ts/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    await writeFile(join(project.root, '.env'), 'FIXTURE_AUTH=none\n');
    const noSecret = await cli(['token', '--cwd', project.root]);
    expect(noSecret.code).toBe(1);
    expect(noSecret.stdout).toBe('');
    expect(noSecret.stderr).toMatch(/has no CHATKIT_JWT_SECRET .*openssl rand -hex 32/);
    const badTtl = await cli(['token', '--ttl', 'forever', '--cwd', project.root], { CHATKIT_JWT_SECRET: SECRET });
    expect(badTtl.code).toBe(2);
    expect(badTtl.stderr).toMatch(/--ttl "forever" is not a duration; use a whole number with s, m, h or d/);
  });
});
