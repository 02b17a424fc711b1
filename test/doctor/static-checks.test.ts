/**
 * The file- and configuration-based checks against fixture projects written
 * in temp dirs, through the real command (`--json`, only the static checks so
 * no app is started).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkOf, doctor, makeProject, type Fixture } from './support.js';

const fixtures: Fixture[] = [];
const project = (files: Record<string, string> = {}) => {
  const fixture = makeProject(files);
  fixtures.push(fixture);
  return fixture;
};
afterEach(() => {
  for (const fixture of fixtures.splice(0)) fixture.remove();
});

/** A key-shaped string built at run time, so no secret-looking literal is committed. */
const fakeOpenAIKey = () => ['sk', 'proj', 'F4KE'.repeat(8) + 'doctorTest'].join('-');
const fakeGeminiKey = () => 'AI' + 'za' + 'F'.repeat(35);

describe('keys', () => {
  it('fails when the chosen provider has no key, naming the variable and how to fix it', async () => {
    const f = project({ '.env': 'CHATKIT_MODEL_PROVIDER=openai\n' });
    const { code, report } = await doctor(['keys', '--json', '--cwd', f.dir]);
    expect(code).toBe(1);
    expect(checkOf(report, 'keys')).toMatchObject({ status: 'fail', message: 'OPENAI_API_KEY is not set' });
    expect(checkOf(report, 'keys').fix!.join(' ')).toMatch(/OPENAI_API_KEY=<your key>/);
  });

  it('passes a well-formed key from .env without ever printing it', async () => {
    const key = fakeOpenAIKey();
    const f = project({ '.env': `CHATKIT_MODEL_PROVIDER=openai\nOPENAI_API_KEY=${key}\n` });
    const { code, stdout, report } = await doctor(['keys', '--json', '--cwd', f.dir]);
    expect(code).toBe(0);
    expect(checkOf(report, 'keys').evidence).toContain(`OPENAI_API_KEY: sk-proj-… (${key.length} characters), set by .env`);
    expect(stdout).not.toContain(key.slice(8));
  });

  it('warns when the shell exports a different key than .env (the shell wins)', async () => {
    const f = project({ '.env': `CHATKIT_MODEL_PROVIDER=gemini\nGEMINI_API_KEY=${fakeGeminiKey()}\n` });
    const { code, report } = await doctor(['keys', '--json', '--cwd', f.dir], { GEMINI_API_KEY: fakeGeminiKey().replace(/F$/, 'G') });
    expect(code).toBe(0);
    expect(checkOf(report, 'keys')).toMatchObject({ status: 'warn', message: 'GEMINI_API_KEY in the shell differs from .env, and the shell wins' });
    expect((await doctor(['keys', '--json', '--strict', '--cwd', f.dir], { GEMINI_API_KEY: fakeGeminiKey().replace(/F$/, 'G') })).code).toBe(1);
  });

  it('fails a value that is not shaped like the provider key', async () => {
    const f = project({ '.env': 'CHATKIT_MODEL_PROVIDER=openai\nOPENAI_API_KEY=not-a-key-at-all\n' });
    const { report } = await doctor(['keys', '--json', '--cwd', f.dir]);
    expect(checkOf(report, 'keys')).toMatchObject({ status: 'fail', message: 'OPENAI_API_KEY does not look like a openai key (expected sk-… or sk-proj-…)' });
  });
});

describe('frontend config', () => {
  it('fails a placeholder domain key when the frontend runs on a production origin', async () => {
    const f = project();
    const { code, report } = await doctor(['frontend-config', '--json', '--cwd', f.dir, '--origin', 'https://app.example.com']);
    expect(code).toBe(1);
    const check = checkOf(report, 'frontend-config');
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(/placeholder domain key with a non-localhost origin \(https:\/\/app\.example\.com\)/);
    expect(check.docs).toBe('https://platform.openai.com/settings/organization/security/domain-allowlist');
  });

  it('passes the same snippet on localhost, and a real key on the production origin', async () => {
    const f = project();
    expect(checkOf((await doctor(['frontend-config', '--json', '--cwd', f.dir, '--origin', 'http://localhost:5173'])).report, 'frontend-config').status).toBe('pass');
    f.write('frontend/.env', 'VITE_CHATKIT_DOMAIN_KEY=domain_pk_0123456789abcdef\n');
    const { report } = await doctor(['frontend-config', '--json', '--cwd', f.dir, '--origin', 'https://app.example.com']);
    // The allowlist itself cannot be read: the one-line message names what to confirm there.
    expect(checkOf(report, 'frontend-config')).toMatchObject({ status: 'pass', message: 'api options are the custom-backend shape; confirm https://app.example.com is in the domain allowlist' });
    expect(checkOf(report, 'frontend-config').evidence).toContain('domain key: domain_pk_0123456789abcdef (VITE_CHATKIT_DOMAIN_KEY from frontend/.env)');
  });

  it('warns about preview-deploy origins (no wildcard allowlist)', async () => {
    const f = project({ 'frontend/.env': 'VITE_CHATKIT_DOMAIN_KEY=domain_pk_0123456789abcdef\n' });
    const { code, report } = await doctor(['frontend-config', '--json', '--cwd', f.dir, '--origin', 'https://shop-git-feature-x-acme.vercel.app']);
    expect(code).toBe(0);
    expect(checkOf(report, 'frontend-config')).toMatchObject({ status: 'warn', message: expect.stringMatching(/per-deploy preview/) });
  });

  it('fails an api object without domainKey, and attachments without uploadStrategy', async () => {
    const f = project({ 'frontend/chatkit-options.ts': "export const o = { api: { url: '/chatkit/api' }, composer: { attachments: { enabled: true } } };" });
    const { report } = await doctor(['frontend-config', '--json', '--cwd', f.dir]);
    const check = checkOf(report, 'frontend-config');
    expect(check.status).toBe('fail');
    expect(check.message).toBe('frontend/chatkit-options.ts: api has no `domainKey`');
    expect(check.evidence).toContain('also (fail): frontend/chatkit-options.ts: attachments are enabled but api has no uploadStrategy');
  });
});

describe('a project without frontend/ (--frontend none)', () => {
  it('skips the frontend checks without a fix to act on', async () => {
    const f = project();
    rmSync(join(f.dir, 'frontend'), { recursive: true });
    const { code, report } = await doctor(['frontend-config', 'chatkit-script', '--json', '--cwd', f.dir]);
    expect(code).toBe(0);
    for (const id of ['frontend-config', 'chatkit-script']) {
      expect(checkOf(report, id)).toMatchObject({ status: 'skip', message: expect.stringMatching(/^no frontend\/ directory in this project/) });
      expect(checkOf(report, id).fix ?? []).toEqual([]);
    }
  });
});

describe('keys: model name', () => {
  it('fails when only the provider was switched and CHATKIT_MODEL still says scripted', async () => {
    const f = project({ '.env': `CHATKIT_MODEL_PROVIDER=openai\nCHATKIT_MODEL=scripted\nOPENAI_API_KEY=${fakeOpenAIKey()}\n` });
    const { code, stdout, report } = await doctor(['keys', '--json', '--cwd', f.dir]);
    expect(code).toBe(1);
    expect(checkOf(report, 'keys')).toMatchObject({ status: 'fail', message: 'CHATKIT_MODEL is "scripted", which openai does not have' });
    expect(checkOf(report, 'keys').fix).toEqual([expect.stringMatching(/^Set CHATKIT_MODEL in \.env to a model that openai offers \(or remove the line to use \S+\)\.$/)]);
    expect(stdout).not.toContain(fakeOpenAIKey());
  });
});

describe('secrets', () => {
  it('fails on a key in frontend/ and on frontend code reading OPENAI_API_KEY, without printing the key', async () => {
    const key = fakeOpenAIKey();
    const f = project({
      'frontend/config.ts': `export const k = '${key}';\n`,
      'frontend/use.ts': 'const key = import.meta.env.VITE_OPENAI_API_KEY;\n',
    });
    const { code, stdout, report } = await doctor(['secrets', '--json', '--cwd', f.dir]);
    expect(code).toBe(1);
    const check = checkOf(report, 'secrets');
    expect(check.status).toBe('fail');
    expect(check.evidence).toEqual(['frontend/config.ts:1: an OpenAI API key (sk-…) [openai-key]', 'frontend/use.ts:1: references VITE_OPENAI_API_KEY']);
    expect(stdout).not.toContain(key);
  });

  it('finds keys in cassettes and built assets too', async () => {
    const f = project({ 'cassettes/smoke.cassette.jsonl': `{"request":{"headers":{"x-goog-api-key":"${fakeGeminiKey()}"}}}\n`, 'dist/assets/index.js': `var a="${fakeOpenAIKey()}";` });
    const { report } = await doctor(['secrets', '--json', '--cwd', f.dir]);
    expect(checkOf(report, 'secrets').evidence).toEqual(['cassettes/smoke.cassette.jsonl:1: a Google API key (AIza…) [gemini-key]', 'dist/assets/index.js:1: an OpenAI API key (sk-…) [openai-key]']);
  });

  it('uses the cassette scanner: tokens and the project\'s own secret values are found too, and never printed', async () => {
    const secret = 'not-shaped-like-any-key-0123456789';
    const jwt = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiJ1c2VyLTEyMyJ9', 'c2lnbmF0dXJlLXZhbHVl'].join('.');
    const f = project({
      '.env': `CHATKIT_JWT_SECRET=${secret}\n`,
      'dist/assets/app.js': `var s="${secret}";\nvar t="${jwt}";\n`,
    });
    const { stdout, report } = await doctor(['secrets', '--json', '--cwd', f.dir]);
    expect(checkOf(report, 'secrets')).toMatchObject({ status: 'fail', message: '2 keys or tokens found where browsers or the repository can read them' });
    expect(checkOf(report, 'secrets').evidence).toEqual([
      'dist/assets/app.js:1: the value of a configured secret environment variable [configured-secret]',
      'dist/assets/app.js:2: a JSON Web Token [jwt]',
    ]);
    expect(stdout).not.toContain(secret);
    expect(stdout).not.toContain(jwt);
  });

  it('passes a clean project', async () => {
    const f = project();
    expect(checkOf((await doctor(['secrets', '--json', '--cwd', f.dir])).report, 'secrets').status).toBe('pass');
  });
});

describe('code patterns', () => {
  it('fails hosted getClientSecret mixed with a custom url, with file and line', async () => {
    const f = project({ 'frontend/Panel.tsx': "export const o = {\n  api: { url: '/chatkit/api', getClientSecret: async () => '' },\n};\n" });
    const { report } = await doctor(['code-patterns', '--json', '--cwd', f.dir]);
    expect(checkOf(report, 'code-patterns')).toMatchObject({ status: 'fail', evidence: ['frontend/Panel.tsx:2: hosted-workflow getClientSecret mixed with a custom api.url'] });
  });
});

describe('usage', () => {
  it('exit 2 for an unknown check, option or bad value, with the reason on stderr', async () => {
    expect(await doctor(['nope'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown check "nope"; the checks are: keys, frontend-config/) });
    expect((await doctor(['--frobnicate'])).code).toBe(2);
    expect(await doctor(['--url', 'not a url'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--url "not a url" is not a URL/) });
    expect(await doctor(['--url', 'ftp://files.example.com'])).toMatchObject({ code: 2, stderr: 'doctor: --url must be an http:// or https:// URL, got ftp://\n' });
    expect(await doctor(['--origin', 'https://app.example.com/path'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not an origin/) });
    expect(await doctor(['--timeout', '-3'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--timeout must be a positive number/) });
  });

  it('exit 2 outside a project without --url, saying what to do', async () => {
    const { code, stderr } = await doctor(['--cwd', '/']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no project at \/ .*pass --cwd <project dir>, or probe a running backend with --url <url>/);
  });

  it('--list-checks lists every check id (text and JSON)', async () => {
    const text = await doctor(['--list-checks']);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(['keys', 'frontend-config', 'chatkit-script', 'secrets', 'scale-out', 'cors', 'streaming', 'protocol', 'auth', 'code-patterns']);
    const json = await doctor(['--list-checks', '--json']);
    expect(JSON.parse(json.stdout)[0]).toEqual({ id: 'keys', title: 'Provider key', category: 'configuration' });
  });

  it('--help exits 0', async () => {
    const help = await doctor(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--origin <origin>/);
  });

  it('no colour without a TTY or with NO_COLOR; colour on a TTY', async () => {
    const f = project();
    expect((await doctor(['secrets', '--cwd', f.dir], {}, { isTTY: false })).stdout).not.toMatch(/\u001b\[/);
    expect((await doctor(['secrets', '--cwd', f.dir], { NO_COLOR: '1' }, { isTTY: true })).stdout).not.toMatch(/\u001b\[/);
    expect((await doctor(['secrets', '--cwd', f.dir], {}, { isTTY: true })).stdout).toMatch(/\u001b\[/);
  });
});
