/** The pure parts behind dev's failure lines, port choice, placeholder keys and token TTLs. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeTurnFailure } from '../../src/cli/dev/turn-failure.js';
import { FailureTracker } from '../../src/cli/dev/failure-tracker.js';
import { formatFailure } from '../../src/cli/dev/request-log.js';
import { choosePort } from '../../src/cli/dev/available-port.js';
import { isPlaceholderKey } from '../../src/cli/project/placeholder-key.js';
import { socketErrorCode } from '../../src/cli/project/socket-error-code.js';
import { providerErrorCode } from '../../src/cli/project/provider-error-code.js';
import { parseTtl } from '../../src/cli/token/ttl.js';
import { buildBanner } from '../../src/cli/dev/banner.js';

describe('describeTurnFailure', () => {
  const openai = { CHATKIT_MODEL_PROVIDER: 'openai' };
  it('names the provider, status, code and the variable to check', () => {
    expect(describeTurnFailure({ kind: 'provider-status', url: 'https://api.openai.com/v1/responses', status: 401, code: 'invalid_api_key' }, openai, false))
      .toEqual(['OpenAI rejected the key (401 invalid_api_key): check OPENAI_API_KEY in .env']);
    expect(describeTurnFailure({ kind: 'provider-status', url: 'u', status: 429, code: 'insufficient_quota' }, { CHATKIT_MODEL_PROVIDER: 'gemini' }, false)[0])
      .toBe('Gemini says the account is out of quota (429 insufficient_quota): check the plan and billing of the account GEMINI_API_KEY or GOOGLE_API_KEY belongs to');
    expect(describeTurnFailure({ kind: 'provider-status', url: 'u', status: 429, code: 'rate_limit_exceeded' }, openai, false)[0]).toMatch(/^OpenAI is rate limiting requests \(429 rate_limit_exceeded\)/);
    expect(describeTurnFailure({ kind: 'provider-unreachable', url: 'http://localhost:11434/v1/chat/completions', code: 'ENOTFOUND' }, { CHATKIT_MODEL_PROVIDER: 'openai-compatible' }, false)[0])
      .toBe('could not reach the model server at http://localhost:11434/v1/chat/completions (ENOTFOUND: the host name does not resolve): is it running, and is CHATKIT_MODEL_BASE_URL right?');
  });

  it('a logged error: its message, the first three frames (all with --verbose), and the cause', () => {
    const stack = ['Error: boom', ...[1, 2, 3, 4, 5].map((n) => `    at f${n} (src/a.ts:${n}:1)`)].join('\n');
    const error = { type: 'Error', message: 'boom', stack, cause: { type: 'Error', message: 'socket hang up', code: 'ECONNRESET' } };
    const short = describeTurnFailure({ kind: 'logged', error, note: 'ChatKit handler failed' }, {}, false);
    expect(short).toEqual(['Error: boom (ECONNRESET)', 'at f1 (src/a.ts:1:1)', 'at f2 (src/a.ts:2:1)', 'at f3 (src/a.ts:3:1)', 'caused by Error: socket hang up']);
    expect(describeTurnFailure({ kind: 'logged', error }, {}, true)).toHaveLength(7);
    // pino names a plain logged object `Object`; that is no error class.
    expect(describeTurnFailure({ kind: 'logged', error: { type: 'Object', message: 'x' } }, {}, false)[0]).toBe('Error: x');
  });

  it('a tool error the model was told about: the tool, then the error and its frames', () => {
    const error = { type: 'TypeError', message: "Cannot read properties of undefined (reading 'id')", stack: "TypeError: x\n    at listTasks (src/tasks.ts:9:20)" };
    expect(describeTurnFailure({ kind: 'tool', tool: 'list_tasks', error }, {}, false)).toEqual([
      "tool list_tasks threw, and the model was told it failed: TypeError: Cannot read properties of undefined (reading 'id')",
      'at listTasks (src/tasks.ts:9:20)',
    ]);
  });
});

describe('formatFailure', () => {
  it('prints frames in the project relative to it, as editors link them; others stay whole', () => {
    const stack = [
      'Error: boom',
      '    at listTasks (/home/ada/my app/src/tasks.ts:31:9)',
      '    at file:///home/ada/my%20app/src/tools/tasks.ts:34:25',
      '    at _invoke (/home/ada/my app/node_modules/@openai/agents-core/dist/tool.js:900:21)',
      '    at other (/home/ada/my app-two/src/x.ts:1:1)',
    ].join('\n');
    const text = formatFailure({ kind: 'tool', tool: 'list_tasks', error: { type: 'Error', message: 'boom', stack } }, { env: {}, redact: (line) => line, root: '/home/ada/my app' }, true)
      .replace(/\u001b\[\d+m/g, '');
    expect(text.split('\n').map((line) => line.trim())).toEqual([
      '⚠ tool list_tasks threw, and the model was told it failed: Error: boom',
      'at listTasks (src/tasks.ts:31:9)',
      'at src/tools/tasks.ts:34:25',
      'at _invoke (node_modules/@openai/agents-core/dist/tool.js:900:21)',
      'at other (/home/ada/my app-two/src/x.ts:1:1)',
    ]);
  });
});

describe('FailureTracker: what the logger hears', () => {
  it('a line logged with a tool name (reportToolError) is a tool failure; any other error line is a logged one', () => {
    const tracker = new FailureTracker(() => {});
    tracker.enterRequest('req-1');
    const { stream } = tracker.loggerOptions();
    stream.write(JSON.stringify({ level: 50, requestId: 'req-1', tool: 'add_task', err: { type: 'Error', message: 'disk full' }, msg: 'A tool failed' }));
    stream.write(JSON.stringify({ level: 50, requestId: 'req-1', err: { type: 'Error', message: 'boom' }, msg: 'ChatKit handler failed' }));
    expect(tracker.claim('req-1')).toEqual([
      { kind: 'tool', tool: 'add_task', error: { type: 'Error', message: 'disk full' } },
      { kind: 'logged', error: { type: 'Error', message: 'boom' }, note: 'ChatKit handler failed' },
    ]);
  });
});

describe('choosePort', () => {
  it('keeps a free port, moves past a busy one and says which was busy', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const busy = (server.address() as { port: number }).port;
    try {
      const moved = await choosePort(busy, '127.0.0.1');
      expect(moved?.busy).toBe(busy);
      expect(moved!.port).toBeGreaterThan(busy);
      expect(await choosePort(moved!.port, '127.0.0.1')).toEqual({ port: moved!.port });
      expect(await choosePort(busy, '127.0.0.1', 1)).toBeUndefined();
      expect(await choosePort(0, '127.0.0.1')).toEqual({ port: 0 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('placeholder keys', () => {
  it('flags what people leave in .env, not real keys', () => {
    for (const value of ['sk-...', 'sk-…', 'sk-xxxx', 'sk-your-key', 'your-key-here', 'YOUR_OPENAI_API_KEY', '<your key>', 'changeme', 'replace-me', '...', 'put-key-here']) {
      expect(isPlaceholderKey(value), value).toBe(true);
    }
    for (const value of ['sk-proj-' + 'a1B2c3D4'.repeat(5), 'AIza' + 'x1'.repeat(18), 'ollama', 'lm-studio']) expect(isPlaceholderKey(value), value).toBe(false);
  });

  it('the dev banner says a placeholder key is not a real key', () => {
    const banner = buildBanner({ url: 'http://127.0.0.1:8000', chatkitPath: '/chatkit/api', env: { OPENAI_API_KEY: 'sk-...' }, hasFrontend: false });
    expect(banner.warnings).toContain('OPENAI_API_KEY is "sk-...", a placeholder, not a real key: every reply will fail. Put your key in .env (or use CHATKIT_MODEL_PROVIDER=scripted offline)');
    // No frontend/: no domain key to warn about.
    expect(banner.warnings.some((warning) => warning.includes('domain key'))).toBe(false);
  });
});

describe('error codes', () => {
  it('finds the socket code under fetch failed, and a provider code without reading the message', async () => {
    expect(socketErrorCode(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }))).toBe('ECONNREFUSED');
    expect(socketErrorCode(new Error('plain'))).toBeUndefined();
    const response = new Response(JSON.stringify({ error: { message: 'Incorrect API key provided: sk-abc', code: 'invalid_api_key' } }), { status: 401 });
    expect(await providerErrorCode(response)).toBe('invalid_api_key');
    expect(await response.text()).toContain('invalid_api_key');
    expect(await providerErrorCode(new Response(JSON.stringify([{ error: { status: 'UNAUTHENTICATED' } }])))).toBe('UNAUTHENTICATED');
  });
});

describe('token --ttl', () => {
  it('accepts s, m, h, d within a year', () => {
    expect(parseTtl('15m')).toEqual({ ok: true, seconds: 900, jose: '900s' });
    expect(parseTtl('2d')).toMatchObject({ ok: true, seconds: 172800 });
    for (const bad of ['forever', '1y', '-1h', '0s', '400d', '1.5h']) expect(parseTtl(bad).ok, bad).toBe(false);
  });
});
