/**
 * Self-contained mode on a healthy project: doctor starts the project's own
 * buildApp (scripted provider), probes it over HTTP, and exits 0; the JSON
 * validates against the documented schema. Also: with JWT auth configured,
 * doctor mints its own token and still passes, and a missing provider key
 * turns the whole run into exit 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from './json-schema.js';
import { checkOf, doctor, HEALTHY_APP, makeProject, REPO, type Fixture } from './support.js';

const schema = JSON.parse(readFileSync(join(REPO, 'src/cli/doctor/report.schema.json'), 'utf8')) as Record<string, unknown>;
const fixtures: Fixture[] = [];
afterAll(() => {
  for (const fixture of fixtures) fixture.remove();
});
const project = (env: string) => {
  const fixture = makeProject({ '.env': env });
  fixtures.push(fixture);
  return fixture;
};

describe('doctor on a healthy project (self-contained)', () => {
  it('every check passes, exit 0, and --json validates against report.schema.json', async () => {
    const f = project('CHATKIT_MODEL_PROVIDER=scripted\nCHATKIT_CORS_ORIGINS=http://localhost:5173\n');
    const { code, stdout, stderr, report } = await doctor(['--json', '--cwd', f.dir]);
    expect(stderr).toBe('');
    expect(validate(schema, JSON.parse(stdout))).toEqual([]);
    expect(report!.checks.map((c) => [c.id, c.status, c.status === 'pass' ? '' : c.message])).toEqual([
      ['keys', 'pass', ''],
      ['frontend-config', 'pass', ''],
      ['chatkit-script', 'pass', ''],
      ['secrets', 'pass', ''],
      ['scale-out', 'pass', ''],
      ['cors', 'pass', ''],
      ['streaming', 'pass', ''],
      ['protocol', 'pass', ''],
      ['auth', 'pass', ''],
      ['code-patterns', 'pass', ''],
    ]);
    expect(report).toMatchObject({ schemaVersion: 1, ok: true, summary: { pass: 10, warn: 0, fail: 0, skip: 0, error: 0 } });
    expect(code).toBe(0);
    // The probe ran against an in-memory store: nothing written into the project.
    expect(existsSync(join(f.dir, '.data'))).toBe(false);
  });

  it('--json keeps stdout one JSON document when the project prints (console.log and raw process.stdout.write)', async () => {
    const f = project('CHATKIT_MODEL_PROVIDER=scripted\nCHATKIT_CORS_ORIGINS=http://localhost:5173\n');
    f.write('src/app.ts', `console.log('hello from the app');\nprocess.stdout.write('raw write from the app\\n');\n${HEALTHY_APP}`);
    const { code, stdout, stderr } = await doctor(['--json', '--cwd', f.dir, 'protocol']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true });
    expect(stderr).toContain('hello from the app');
    expect(stderr).toContain('raw write from the app');
  });

  it('the text report is grouped, plain without a TTY, and ends with the summary', async () => {
    const f = project('CHATKIT_MODEL_PROVIDER=scripted\nCHATKIT_CORS_ORIGINS=http://localhost:5173\n');
    const { code, stdout } = await doctor(['--cwd', f.dir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Configuration\n  ✓ Provider key \(keys\): the scripted provider needs no key\n/);
    for (const heading of ['Security', 'Network', 'Streaming', 'Protocol', 'Code']) expect(stdout).toContain(`\n${heading}\n  ✓ `);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('10 checks: 10 passed. No issues found.');
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it('with JWT auth configured: doctor signs its own token, and an unauthenticated request is refused with CORS headers', async () => {
    const secret = 'doctor-test-secret-'.padEnd(40, 'x');
    const f = project(`CHATKIT_MODEL_PROVIDER=scripted\nCHATKIT_CORS_ORIGINS=http://localhost:5173\nCHATKIT_JWT_SECRET=${secret}\n`);
    const { code, stdout, report } = await doctor(['--json', '--cwd', f.dir]);
    expect(checkOf(report, 'auth')).toMatchObject({ status: 'pass', message: 'a request without credentials is refused (HTTP 401)' });
    expect(checkOf(report, 'protocol').status).toBe('pass');
    expect(checkOf(report, 'streaming').status).toBe('pass');
    expect(code).toBe(0);
    expect(stdout).not.toContain(secret);
  });

  it('a missing provider key fails the run (exit 1) while the app is still probed with the scripted model', async () => {
    const f = project('CHATKIT_MODEL_PROVIDER=openai\nCHATKIT_CORS_ORIGINS=http://localhost:5173\n');
    const { code, report } = await doctor(['--json', '--cwd', f.dir]);
    expect(code).toBe(1);
    expect(report).toMatchObject({ ok: false, summary: { fail: 1, pass: 9 } });
    expect(checkOf(report, 'keys')).toMatchObject({ status: 'fail', message: 'OPENAI_API_KEY is not set' });
  });

  it('a custom header added by the frontend\'s fetch is part of the preflight, and a backend that does not allow it fails', async () => {
    const f = project('CHATKIT_MODEL_PROVIDER=scripted\nCHATKIT_CORS_ORIGINS=http://localhost:5173\n');
    f.write('frontend/fetch.ts', "export const withArticle = (init: RequestInit) => { const headers = new Headers(init.headers); headers.set('X-Article-Id', '42'); return { ...init, headers }; };\n");
    const { code, report } = await doctor(['cors', '--json', '--cwd', f.dir]);
    expect(code).toBe(1);
    expect(checkOf(report, 'cors')).toMatchObject({ status: 'fail', message: 'preflight from http://localhost:5173 does not allow request header(s) x-article-id' });
    expect(checkOf(report, 'cors').evidence).toContain("headers the frontend's fetch adds: x-article-id");
  });

  it('an app that cannot start fails the network checks with the reason', async () => {
    const f = project('CHATKIT_MODEL_PROVIDER=scripted\n');
    f.write('src/app.ts', 'export async function buildApp() { throw new Error("DATABASE_URL is not set"); }\n');
    const { code, report } = await doctor(['--json', '--cwd', f.dir, 'protocol', 'keys']);
    expect(code).toBe(1);
    expect(checkOf(report, 'protocol')).toMatchObject({ status: 'fail', message: 'not probed, the app did not start: buildApp() failed: DATABASE_URL is not set' });
    expect(checkOf(report, 'keys').status).toBe('pass');
  });

  it('a key the app puts in its start-up error is redacted', async () => {
    const key = ['sk', 'proj', 'Start'.repeat(6) + 'upLeak'].join('-');
    const jwtSecret = 'a-jwt-secret-that-is-long-enough';
    const f = project(`CHATKIT_MODEL_PROVIDER=scripted\nOPENAI_API_KEY=${key}\nCHATKIT_JWT_SECRET=${jwtSecret}\n`);
    f.write('src/app.ts', 'export async function buildApp({ env }) { throw new Error(`rejected ${env.OPENAI_API_KEY} with ${env.CHATKIT_JWT_SECRET}`); }\n');
    const { code, stdout } = await doctor(['--cwd', f.dir, 'protocol']);
    expect(code).toBe(1);
    expect(stdout).toContain('buildApp() failed: rejected [REDACTED:');
    expect(stdout).not.toContain(key);
    expect(stdout).not.toContain(jwtSecret);

    // A module that throws while being imported: its message is scrubbed of key shapes too.
    f.write('src/app.ts', `throw new Error('module init failed for ${key}');\n`);
    const atImport = await doctor(['--cwd', f.dir, 'protocol']);
    expect(atImport.stdout).toContain('could not load src/app.ts: module init failed for [REDACTED:openai-key]');
    expect(atImport.stdout).not.toContain(key);
  });

  it('prints the start-up error and its fix once, not under every network check', async () => {
    const f = project('CHATKIT_MODEL_PROVIDER=scripted\n');
    f.write('src/app.ts', 'export async function buildApp() {\n  return {;\n}\n');
    const { code, stdout } = await doctor(['--cwd', f.dir, 'cors', 'protocol', 'auth']);
    expect(code).toBe(1);
    expect(stdout.match(/✗ .*not probed, the app did not start: could not load src\/app\.ts/g)).toHaveLength(3);
    expect(stdout.match(/app\.ts:2:\d+: ERROR/g)).toHaveLength(1);
    expect(stdout.match(/fix: Fix the start-up error/g)).toHaveLength(1);
    expect(stdout.match(/\(details as for (auth|cors|protocol) above\)/g)).toHaveLength(2);
  });
});
