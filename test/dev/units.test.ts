import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WidgetTextLint, looksLikeWidgetData } from '../../src/cli/dev/widget-text-lint.js';
import { buildBanner } from '../../src/cli/dev/banner.js';
import { readFrontendDomainKey } from '../../src/cli/dev/frontend-domain-key.js';
import { isEditorTempFile } from '../../src/cli/dev/editor-temp-files.js';
import { preloadTargets } from '../../src/cli/dev/preload.js';
import { summarizeTscOutput } from '../../src/cli/dev/typecheck.js';
import { formatResponseLine } from '../../src/cli/dev/log-format.js';
import { loadProjectEnv, describeVariable, resolveProjectRoot } from '../../src/cli/project/index.js';
import { replayEnv, secretOptionsFor } from '../../src/cli/replay/replay-env.js';

const done = (item: Record<string, unknown>) => ({ type: 'thread.item.done', item: { thread_id: 'thr_1', id: 'x', ...item } });
const said = (text: string) => done({ type: 'assistant_message', content: [{ type: 'output_text', text }] });

describe('widget-data-as-text lint', () => {
  it('flags JSON or a markdown table right after a widget, and nothing else', () => {
    expect(looksLikeWidgetData('Here: {"city":"Paris","temp":21}')).toBe('JSON');
    expect(looksLikeWidgetData('| city | temp |\n|---|---|\n| Paris | 21 |')).toBe('a markdown table');
    expect(looksLikeWidgetData('```json\n[1]\n```')).toBe('JSON');
    expect(looksLikeWidgetData('It is sunny {mostly} in Paris [citation needed].')).toBeUndefined();

    const lint = new WidgetTextLint();
    expect(lint.check(said('{"a":1,"b":2}'))).toBeUndefined(); // no widget before
    expect(lint.check(done({ type: 'widget' }))).toBeUndefined();
    expect(lint.check(said('| a | b |\n| --- | --- |\n| 1 | 2 |'))).toEqual({ threadId: 'thr_1', itemId: 'x', kind: 'a markdown table' });
    expect(lint.check(said('{"a":1}'))).toBeUndefined(); // only the message right after the widget
    lint.check(done({ type: 'widget' }));
    expect(lint.check(said('Here is the forecast.'))).toBeUndefined();
  });
});

describe('dev banner', () => {
  it('prints what to paste and warns about what breaks in the browser', () => {
    const banner = buildBanner({ url: 'http://127.0.0.1:8000', chatkitPath: '/chatkit/api', env: { CHATKIT_MODEL_PROVIDER: 'gemini', VITE_CHATKIT_DOMAIN_KEY: 'domain_pk_localhost_dev' }, storeName: 'SQLiteStore' });
    const text = banner.lines.join('\n');
    expect(text).toContain("api: { url: 'http://127.0.0.1:8000/chatkit/api'");
    expect(text).toContain('SQLite');
    expect(banner.warnings.join('\n')).toMatch(/no API key for gemini: set GEMINI_API_KEY or GOOGLE_API_KEY/);
    expect(banner.warnings.join('\n')).toMatch(/no CORS origin configured/);
    expect(banner.warnings.join('\n')).toMatch(/placeholder domain_pk_localhost_dev/);

    const clean = buildBanner({ url: 'http://x', chatkitPath: '/c', env: { CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_CORS_ORIGINS: 'http://localhost:5173', VITE_CHATKIT_DOMAIN_KEY: 'domain_pk_real123' }, storeName: 'PostgresStore' });
    expect(clean.warnings).toEqual([]);
    const sqlite = (url?: string) => buildBanner({ url: 'http://x', chatkitPath: '/c', env: { CHATKIT_MODEL_PROVIDER: 'scripted', ...(url ? { CHATKIT_SQLITE_URL: url } : {}) }, storeName: 'SQLiteStore' }).lines.join('\n');
    expect(sqlite()).toContain('store     SQLite (.data/chatkit.db)');
    expect(sqlite('file:/var/data/chat.db')).toContain('SQLite (/var/data/chat.db)');
    const remote = sqlite('libsql://db-org.turso.io?authToken=eyJsecretsecret');
    expect(remote).toContain('SQLite (libsql://db-org.turso.io)');
    expect(remote).not.toContain('secret');
    // Which script the scripted model follows decides its replies.
    expect(clean.lines.join('\n')).toContain('scripted / scripted (script: none, it echoes)');
    expect(buildBanner({ url: 'http://x', chatkitPath: '/c', env: { CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_SCRIPT: 'scripts/demo.json' } }).lines.join('\n')).toContain('(script: scripts/demo.json)');
    expect(clean.lines.join('\n')).toContain('http://localhost:5173');
  });

  it("shows the origins the plugin really allows (the app's fallback included), not only what .env says", () => {
    const fromApp = buildBanner({ url: 'http://x', chatkitPath: '/c', env: { CHATKIT_MODEL_PROVIDER: 'scripted', VITE_CHATKIT_DOMAIN_KEY: 'domain_pk_real123' }, corsOrigins: ['http://localhost:5173'] });
    expect(fromApp.lines.join('\n')).toContain('CORS      http://localhost:5173');
    expect(fromApp.warnings).toEqual([]);
    const none = buildBanner({ url: 'http://x', chatkitPath: '/c', env: { CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_CORS_ORIGINS: 'http://a.example' }, corsOrigins: [] });
    expect(none.warnings.join('\n')).toMatch(/no CORS origin configured/);
  });

  it('reads the domain key the frontend snippet really sends (its fallback included), like doctor', () => {
    const root = mkdtempSync(join(tmpdir(), 'dev-banner-'));
    try {
      mkdirSync(join(root, 'frontend'));
      const snippet = (expression: string) => writeFileSync(join(root, 'frontend', 'options.ts'), `export const options = { api: { url: '/chatkit/api', domainKey: ${expression} } };\n`);
      const banner = (env: Record<string, string>) => {
        const frontendDomainKey = readFrontendDomainKey(root, env);
        return buildBanner({ url: 'http://x', chatkitPath: '/c', env: { CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_CORS_ORIGINS: 'http://localhost:5173', ...env }, storeName: 'SQLiteStore', ...(frontendDomainKey ? { frontendDomainKey } : {}) });
      };

      snippet("import.meta.env.VITE_CHATKIT_DOMAIN_KEY ?? 'domain_pk_localhost_dev'");
      const withFallback = banner({});
      expect(withFallback.lines.join('\n')).toContain("domainKey: import.meta.env.VITE_CHATKIT_DOMAIN_KEY ?? 'domain_pk_localhost_dev' }");
      // Not "not set": the snippet falls back to the placeholder, which works on localhost.
      expect(withFallback.warnings).toEqual([expect.stringMatching(/^the domain key is the placeholder domain_pk_localhost_dev: fine on localhost/)]);
      expect(banner({ VITE_CHATKIT_DOMAIN_KEY: 'domain_pk_real123' }).warnings).toEqual([]);

      snippet('import.meta.env.VITE_CHATKIT_DOMAIN_KEY');
      expect(banner({}).warnings).toEqual([expect.stringMatching(/^the frontend has no domain key \(VITE_CHATKIT_DOMAIN_KEY is not set in the shell, frontend\/\.env\* or \.env\*\): ChatKit\.js will not start/)]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('formats a log line per request with its error', () => {
    const line = formatResponseLine({ type: 'threads.create', threadId: 'thr_1', status: 200, streaming: true, firstEventMs: 12.3, eventCount: 9, durationMs: 340.2, error: { code: 'stream_failed', message: 'boom' } });
    expect(line).toMatch(/threads\.create +thr_1 +.*200.*first event 12ms +9 events +340ms/);
    expect(line).toContain('stream_failed: boom');
  });
});

describe('preload targets and tsc output', () => {
  it('preloads packages and imports that leave src/, never project files', () => {
    const targets = preloadTargets([
      { path: '/p/src/app.ts', text: "import Fastify from 'fastify';\nimport { x } from './model.js';\nimport chatkit from '../../lib/http.js';\nimport type { T } from '@types/node';\nimport 'node:fs';\nconst m = await import('openai');" },
    ], '/p/src');
    expect(targets).toEqual(['fastify', 'file:///lib/http.js', 'openai']);
  });

  it('keeps the error lines of tsc', () => {
    const summary = summarizeTscOutput("src/a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.\nFound 1 error.\n");
    expect(summary).toEqual({ errorCount: 1, shown: ["src/a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'."] });
  });
});

describe('project loading', () => {
  it('reads .env without overriding the shell and remembers the source', async () => {
    const root = await mkdtemp(join(tmpdir(), 'proj-'));
    await writeFile(join(root, '.env'), 'A=from-file\nB="quoted value"\n# comment\n');
    const project = loadProjectEnv(root, { A: 'from-shell' });
    expect(project.env).toMatchObject({ A: 'from-shell', B: 'quoted value' });
    expect(describeVariable(project, 'A')).toBe('A (from the shell environment)');
    expect(describeVariable(project, 'B')).toBe('B (from .env)');
    expect(describeVariable(project, 'C')).toBe('C (not set)');
    expect(() => resolveProjectRoot(root)).toThrow(/has no src\/app\.ts\. Run this command inside a project made by create-chatkit-backend, or pass --cwd/);
  });

  it('gives replay a dummy key per provider and scans for configured secrets', () => {
    const env = replayEnv({ OPENAI_API_KEY: 'sk-real' });
    expect(env.OPENAI_API_KEY).toBe('sk-real');
    expect(env.GEMINI_API_KEY).toBe('replay-dummy-key');
    const options = secretOptionsFor({ CHATKIT_JWT_SECRET: 'a-long-jwt-secret-value', VITE_CHATKIT_DOMAIN_KEY: 'domain_pk_abc123456' });
    expect(options.literals).toEqual(expect.arrayContaining(['a-long-jwt-secret-value', 'domain_pk_abc123456']));
    expect(options.domainKeys).toBe(true);
  });
});

describe('editor temp files', () => {
  it('are not worth a restart; real sources (and names merely containing the patterns) are', () => {
    for (const temp of ['src/4913', 'src/.app.ts.swp', 'src/tools/.#tasks.ts', 'src/#app.ts#', 'src/app.ts~', 'src/sedgZaLtr', 'src/app.ts___jb_tmp___']) {
      expect(isEditorTempFile(temp), temp).toBe(true);
    }
    for (const real of ['src/app.ts', 'src/tools/tasks.ts', 'src/sedimentary.ts', 'src/widgets/card.widget', 'src/swap.ts', '.env']) {
      expect(isEditorTempFile(real), real).toBe(false);
    }
  });
});

describe('dev --record and doctor probes', () => {
  it('leaves doctor\'s probe threads out of the cassettes, and records the others', async () => {
    const { EventEmitter } = await import('node:events');
    const { readdir } = await import('node:fs/promises');
    const { createCassetteRecorder } = await import('../../src/cli/dev/recording.js');
    const { probeInput } = await import('../../src/cli/doctor/probe-input.js');
    const dir = await mkdtemp(join(tmpdir(), 'dev-record-'));
    try {
      const recorder = createCassetteRecorder({ dir, env: {} });
      const observer = new EventEmitter();
      recorder.attach(observer);
      const thread = (requestId: string, threadId: string, input: unknown) => {
        observer.emit('request', { requestId, type: 'threads.create', body: { type: 'threads.create', params: { input } } });
        observer.emit('event', { requestId, atMs: 1, event: { type: 'thread.created', thread: { id: threadId, created_at: '2026-01-01T00:00:00Z', status: { type: 'active' }, metadata: {}, items: { data: [], has_more: false } } } });
        observer.emit('response', { requestId, type: 'threads.create', threadId, status: 200, streaming: true, eventCount: 1, durationMs: 2 });
      };
      thread('req-1', 'thr_probe', probeInput('protocol probe'));
      thread('req-2', 'thr_user', { content: [{ type: 'input_text', text: 'hello there' }], attachments: [], inference_options: {} });
      await recorder.flush();
      const files = await readdir(dir);
      expect(files).toEqual([expect.stringMatching(/-thr_user\.cassette\.jsonl$/)]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('dev --record and threads it did not see begin', () => {
  it('says once per thread that it cannot record it (it began before a restart)', async () => {
    const { EventEmitter } = await import('node:events');
    const { createCassetteRecorder } = await import('../../src/cli/dev/recording.js');
    const dir = await mkdtemp(join(tmpdir(), 'dev-record-'));
    try {
      const unknown: string[] = [];
      const recorder = createCassetteRecorder({ dir, env: {}, onUnknownThread: (threadId) => unknown.push(threadId) });
      const observer = new EventEmitter();
      recorder.attach(observer);
      for (const requestId of ['req-1', 'req-2']) {
        observer.emit('request', { requestId, type: 'threads.add_user_message', threadId: 'thr_old', body: { type: 'threads.add_user_message', params: { thread_id: 'thr_old' } } });
        observer.emit('response', { requestId, type: 'threads.add_user_message', threadId: 'thr_old', status: 200, streaming: true, eventCount: 0, durationMs: 1 });
      }
      await recorder.flush();
      expect(unknown).toEqual(['thr_old']);
      expect(recorder.files()).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('NO_COLOR', () => {
  it('turns dev\'s colours off (chalk alone only looks at the terminal)', async () => {
    const { default: chalk } = await import('chalk');
    const { respectNoColor } = await import('../../src/cli/dev/color.js');
    const before = chalk.level;
    try {
      chalk.level = 1;
      respectNoColor({}, true);
      expect(chalk.red('x')).toBe('\u001b[31mx\u001b[39m');
      respectNoColor({ NO_COLOR: '' }, true);
      expect(chalk.level).toBe(1);
      respectNoColor({ NO_COLOR: '1' }, true);
      expect(chalk.red('x')).toBe('x');
      // The same rule as every other command: TERM=dumb and a non-terminal stdout turn it off too.
      chalk.level = 1;
      respectNoColor({ TERM: 'dumb' }, true);
      expect(chalk.level).toBe(0);
      chalk.level = 1;
      respectNoColor({}, false);
      expect(chalk.level).toBe(0);
    } finally {
      chalk.level = before;
    }
  });
});

describe('load errors', () => {
  it('say how to install a package the project cannot find', async () => {
    const { describeLoadError } = await import('../../src/cli/project/load-app.js');
    expect(describeLoadError(new Error("Cannot find package 'fastify' imported from /p/src/app.ts")))
      .toBe("Cannot find package 'fastify' imported from /p/src/app.ts\n(is fastify installed? run `npm install` in the project, or add it with `npm install fastify`)");
    expect(describeLoadError(new Error('Transform failed with 1 error:\n\n/p/src/a.ts:1:2: ERROR: x'))).toBe('Transform failed with 1 error:\n/p/src/a.ts:1:2: ERROR: x');
  });
});
