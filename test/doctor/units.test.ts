/** The pure decisions doctor makes, each shown to flip on the input that matters. */
import { describe, expect, it } from 'vitest';
import { analyzeArrivals } from '../../src/cli/doctor/burst.js';
import { nameTheHop } from '../../src/cli/doctor/checks/streaming.js';
import { sequenceProblem } from '../../src/cli/doctor/checks/protocol.js';
import { findCodePatterns } from '../../src/cli/doctor/checks/code-patterns.js';
import { endpointFromUrl, parseAuthHeader, splitOrigins } from '../../src/cli/doctor/context.js';
import { findApiConfigs } from '../../src/cli/doctor/frontend-snippet.js';
import { isLocalHost, isPreviewHost, isTunnelHost } from '../../src/cli/doctor/hosts.js';
import { parseFrame } from '../../src/cli/doctor/sse.js';
import { runCheck, runChecks } from '../../src/cli/doctor/runner.js';
import type { Check, DoctorContext } from '../../src/cli/doctor/types.js';

describe('buffer-and-burst detection', () => {
  it('frames spaced as written are not buffered', () => {
    expect(analyzeArrivals([10, 210, 410, 610, 810], 200)).toMatchObject({ frames: 5, spreadMs: 800, expectedSpreadMs: 800, buffered: false });
  });
  it('frames written 200 ms apart that arrive within a few ms are buffered', () => {
    expect(analyzeArrivals([815, 815.2, 815.4, 816, 816], 200)).toMatchObject({ firstMs: 815, buffered: true });
  });
  it('too few frames or no gaps cannot show a burst', () => {
    expect(analyzeArrivals([100, 100], 200).buffered).toBe(false);
    expect(analyzeArrivals([5, 5, 5, 5], 0).buffered).toBe(false);
    expect(analyzeArrivals([], 200)).toMatchObject({ frames: 0, firstMs: null, buffered: false });
  });
});

describe('naming the hop that buffers', () => {
  const local = (buffered: boolean) => ({ name: 'local app' as const, endpoint: 'http://127.0.0.1:1/chatkit/api', buffered });
  const remote = (buffered: boolean) => ({ name: 'url' as const, endpoint: 'https://api.example.com/chatkit/api', buffered });
  it('blames the app when the app itself buffers', () => {
    expect(nameTheHop([remote(true), local(true)])).toMatch(/the app itself buffers/);
  });
  it('blames what sits in front of the app when only the public URL buffers', () => {
    expect(nameTheHop([remote(true), local(false)])).toMatch(/between the app and https:\/\/api\.example\.com/);
  });
  it('cannot tell which hop without the local app', () => {
    expect(nameTheHop([remote(true)])).toMatch(/something between doctor and/);
    expect(nameTheHop([remote(false), local(false)])).toBeNull();
  });
});

describe('SSE frame lint', () => {
  it('accepts one JSON data line and comment heartbeats', () => {
    expect(parseFrame('data: {"type":"x"}')).toEqual({ comment: false, event: { type: 'x' } });
    expect(parseFrame(': ping')).toEqual({ comment: true });
  });
  it('names split payloads, non-JSON and unknown fields', () => {
    expect(parseFrame('data: {"a":\ndata: 1}').problem).toMatch(/split over 2 data: lines/);
    expect(parseFrame('data: hello').problem).toMatch(/not JSON/);
    expect(parseFrame('{"type":"x"}').problem).toMatch(/without a known SSE field/);
  });
});

describe('threads.create sequence', () => {
  const created = { type: 'thread.created', thread: { id: 'thr_1' } };
  const user = { type: 'thread.item.done', item: { type: 'user_message' } };
  const options = { type: 'stream_options', stream_options: { allow_cancel: true } };
  const reply = { type: 'thread.item.added', item: { type: 'assistant_message' } };
  it('accepts the order the protocol specifies', () => {
    expect(sequenceProblem([created, user, options, reply])).toBeNull();
  });
  it('names each deviation', () => {
    expect(sequenceProblem([user, created, options, reply])).toMatch(/first event is thread.item.done/);
    expect(sequenceProblem([created, options, reply])).toMatch(/no thread.item.done carrying the user message/);
    expect(sequenceProblem([created, user, reply])).toMatch(/no stream_options/);
    expect(sequenceProblem([created, user, options])).toMatch(/no reply/);
    expect(sequenceProblem([created, user, options, { type: 'error', code: 'stream.error', message: 'Incorrect API key' }])).toMatch(/Incorrect API key/);
  });
});

describe('hosts', () => {
  it('only loopback names are local', () => {
    for (const host of ['localhost', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '0.0.0.0']) expect(isLocalHost(host)).toBe(true);
    for (const host of ['api.example.com', '10.0.0.5', '192.168.1.2', 'localhost.example.com']) expect(isLocalHost(host)).toBe(false);
  });
  it('recognizes preview deploys and tunnels', () => {
    expect(isPreviewHost('my-app-git-feature-x-team.vercel.app')).toBe(true);
    expect(isPreviewHost('deploy-preview-42--site.netlify.app')).toBe(true);
    expect(isPreviewHost('my-app.vercel.app')).toBe(false);
    expect(isTunnelHost('abc123.ngrok-free.app')).toBe(true);
    expect(isTunnelHost('app.example.com')).toBe(false);
  });
});

describe('options', () => {
  it('a base URL gets the default endpoint path; an endpoint is kept', () => {
    expect(endpointFromUrl('https://api.example.com')).toBe('https://api.example.com/chatkit/api');
    expect(endpointFromUrl('http://127.0.0.1:8000/custom/chatkit/')).toBe('http://127.0.0.1:8000/custom/chatkit');
    expect(() => endpointFromUrl('ftp://x')).toThrow(/http/);
  });
  it('auth header and origins parsing', () => {
    expect(parseAuthHeader('Bearer abc')).toEqual({ authorization: 'Bearer abc' });
    expect(parseAuthHeader('X-Api-Key: k')).toEqual({ 'x-api-key': 'k' });
    expect(splitOrigins(' https://a.example/, http://localhost:5173 ,')).toEqual(['https://a.example', 'http://localhost:5173']);
  });
});

describe('frontend snippet reading', () => {
  it('reads the api keys of the generated snippet, nested fetch bodies and comments included', () => {
    const text = `const x = { api: {
      url: apiUrl,
      // A comment, with a comma.
      domainKey: import.meta.env.VITE_CHATKIT_DOMAIN_KEY ?? 'domain_pk_localhost_dev',
      fetch: async (input, init) => { const h = new Headers(init?.headers); return fetch(input, { ...init, headers: h }); },
      uploadStrategy: { type: 'direct', uploadUrl: 'http://localhost:8000/chatkit/api/upload' },
    }, composer: { attachments: { enabled: true } } };`;
    const [config] = findApiConfigs([{ path: 'frontend/a.ts', text }]);
    expect([...config!.keys]).toEqual(['url', 'domainKey', 'fetch', 'uploadStrategy']);
    expect(config!.domainKeyExpr).toBe("import.meta.env.VITE_CHATKIT_DOMAIN_KEY ?? 'domain_pk_localhost_dev'");
    expect(config!.attachmentsEnabled).toBe(true);
  });
});

describe('code patterns', () => {
  const file = (path: string, text: string) => ({ path, text });
  it('finds each seed anti-pattern', () => {
    const findings = findCodePatterns(
      [
        file('src/legacy.ts', 'const r = await openai.chat.completions.create({ model });'),
        file('src/tools.ts', "export const t = tool({ name: 'x', execute: async () => { return taskListWidget(tasks); } });\nexport const s = tool({ name: 'y', execute: async (a, rc) => { await rc.context.streamWidget(w); return 'shown'; } });"),
        file('src/agent.ts', "import { Agent, run } from '@openai/agents';\nconst a = new Agent({ name: 'a', instructions: 'Help with tasks.', tools: [s] });\nconst r = await run(a, input, { context });"),
      ],
      [file('frontend/p.tsx', "useChatKit({ api: { url: '/chatkit', getClientSecret: async () => s } })")],
    );
    expect(findings.map((f) => `${f.where} ${f.message}`)).toEqual([
      'frontend/p.tsx:1 hosted-workflow getClientSecret mixed with a custom api.url',
      'src/legacy.ts:1 chat.completions called directly instead of through the provider factory',
      'src/tools.ts:1 a tool returns widget data instead of streaming it',
      'src/agent.ts:3 agent run without stream: true (the reply arrives all at once)',
      'src/agent.ts:2 agent instructions do not tell the model to leave widget data alone',
    ]);
  });
  it('accepts the generated patterns: streamed widgets, rules in a constant, stream: true', () => {
    const findings = findCodePatterns(
      [
        file('src/tools/tasks.ts', "export const t = tool({ name: 'x', execute: async (a, rc) => { await rc.context.streamWidget(w); return `Displayed the widget.`; } });\nexport const WIDGET_RULES = ['Results display in widgets automatically.', 'DO NOT repeat, format or list the data yourself'].join('\\n');"),
        file('src/agent.ts', "import { Agent, run } from '@openai/agents';\nconst a = new Agent<Ctx>({ name: 'a', instructions: ['Help.', WIDGET_RULES].join('\\n'), tools: [t] });\nconst r = await run(a, input, { context, stream: true, signal });"),
        file('src/model.ts', 'client.chat.completions.create(x)'),
      ],
      [file('frontend/o.ts', "const o = { api: { url: u, domainKey: k } }; db.run(sql, 1);")],
    );
    expect(findings).toEqual([]);
  });
});

describe('runner', () => {
  const base = { root: null, env: { values: {}, sources: {}, dotenv: {} }, targets: [], origins: [], authConfigured: false, online: false, long: false, fetch } as Omit<DoctorContext, 'signal'>;
  const check = (id: string, run: Check['run'], timeoutMs?: number): Check => ({ id, title: id, category: 'code', run, timeoutMs });

  it('a crashing check becomes an error result and the others still report', async () => {
    const report = await runChecks(
      [check('boom', async () => { throw new Error('kaput'); }), check('fine', async () => ({ status: 'pass', message: 'ok' }))],
      base,
    );
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([['boom', 'error'], ['fine', 'pass']]);
    expect(report.checks[0]!.message).toBe('the check crashed: kaput');
    expect(report).toMatchObject({ ok: false, summary: { pass: 1, error: 1 } });
  });

  it('a check that never finishes is cut off at its time limit and its signal aborts', async () => {
    let aborted = false;
    const result = await runCheck(check('hang', (ctx) => new Promise(() => ctx.signal.addEventListener('abort', () => (aborted = true))), 50), base);
    expect(result).toMatchObject({ status: 'error', message: 'did not finish within 0 s' });
    expect(aborted).toBe(true);
  });

  it('runs checks in parallel: two checks that wait on each other both finish', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const report = await runChecks(
      [check('waits', async () => { await gate; return { status: 'pass', message: 'released' }; }), check('releases', async () => { release(); return { status: 'pass', message: 'ok' }; })],
      base,
      { defaultTimeoutMs: 5_000 },
    );
    expect(report.checks.map((c) => c.status)).toEqual(['pass', 'pass']);
  });

  it('warnings are ok unless strict', async () => {
    const warn = [check('w', async () => ({ status: 'warn', message: 'hmm' }))];
    expect((await runChecks(warn, base)).ok).toBe(true);
    expect((await runChecks(warn, base, { strict: true })).ok).toBe(false);
  });
});
