/**
 * Doctor test helpers: a healthy fixture project written into a temp dir
 * (its src/app.ts imports this repository's runtime and plugin directly),
 * running the command with captured output, and small broken servers.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { run } from '../../src/cli/doctor/command.js';
import type { DoctorReport } from '../../src/cli/doctor/types.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const url = (path: string) => pathToFileURL(join(REPO, path)).href;

/** An echo ChatKit app in the generated project's shape: buildApp({ env }) with CORS and optional JWT auth. */
export const HEALTHY_APP = `
import Fastify from 'fastify';
import chatkit from '${url('src/http/index.ts')}';
import { ChatKitServer, MemoryStore, now } from '${url('src/runtime/index.ts')}';

class EchoServer extends ChatKitServer<any> {
  async *respond(thread: any, input: any) {
    const text = input?.content.map((part: any) => part.text).join('') ?? '';
    const id = this.store.generateItemId('message', thread, {});
    const item = { id, thread_id: thread.id, created_at: now(), type: 'assistant_message' as const, content: [] as any[] };
    yield { type: 'thread.item.added', item } as any;
    yield { type: 'thread.item.done', item: { ...item, content: [{ annotations: [], text: 'You said: ' + text, type: 'output_text' }] } } as any;
  }
}

export async function buildApp(options: { env?: NodeJS.ProcessEnv; logger?: boolean } = {}) {
  const env = options.env ?? process.env;
  const app = Fastify({ logger: false });
  const origins = (env.CHATKIT_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  const server = new EchoServer(new MemoryStore());
  server.logger = { error() {}, warn() {} } as any;
  await app.register(chatkit, {
    server,
    ...(origins.length ? { cors: { origins } } : {}),
    ...(env.CHATKIT_JWT_SECRET ? { auth: { jwt: { secret: env.CHATKIT_JWT_SECRET } } } : {}),
  });
  return app;
}
`;

/** The generated snippet's shape (frontend/chatkit-options.ts). */
export function frontendOptions(domainKeyExpr = "import.meta.env.VITE_CHATKIT_DOMAIN_KEY ?? 'domain_pk_localhost_dev'"): string {
  return `import type { ChatKitOptions } from '@openai/chatkit';
const apiUrl = import.meta.env.VITE_CHATKIT_API_URL ?? 'http://localhost:8000/chatkit/api';
export function chatKitOptions(): ChatKitOptions {
  return {
    api: {
      url: apiUrl,
      domainKey: ${domainKeyExpr},
      // The place to add an auth header, once auth is on.
      fetch: (input, init) => fetch(input, init),
      uploadStrategy: { type: 'direct', uploadUrl: \`\${apiUrl}/upload\` },
    },
    composer: { attachments: { enabled: true } },
  };
}
`;
}

/** The page that shows ChatKit, loading ChatKit.js as the seed's checklist asks. */
export const HEALTHY_PAGE = `<!doctype html>
<html>
  <head>
    <script src="https://cdn.platform.openai.com/deployments/chatkit/chatkit.js" async></script>
  </head>
  <body>
    <openai-chatkit></openai-chatkit>
    <script type="module" src="./chatkit.ts"></script>
  </body>
</html>
`;

export interface Fixture {
  dir: string;
  write(path: string, text: string): void;
  remove(): void;
}

/** A temp project dir; node_modules links to the repository's so the app's imports resolve. */
export function makeProject(files: Record<string, string> = {}): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('package.json', JSON.stringify({ name: 'fixture', private: true, type: 'module' }));
  write('src/app.ts', HEALTHY_APP);
  write('.env', 'CHATKIT_MODEL_PROVIDER=scripted\n');
  write('frontend/chatkit-options.ts', frontendOptions());
  write('frontend/index.html', HEALTHY_PAGE);
  for (const [path, text] of Object.entries(files)) write(path, text);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface DoctorRun {
  code: number;
  stdout: string;
  stderr: string;
  report?: DoctorReport;
}

/** Runs `doctor` in-process with its own environment (never the test runner's). */
export async function doctor(args: string[], env: NodeJS.ProcessEnv = {}, options: { isTTY?: boolean } = {}): Promise<DoctorRun> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTTY: options.isTTY ?? false,
    env: { PATH: process.env.PATH, ...env },
    cwd: tmpdir(),
  });
  let report: DoctorReport | undefined;
  if (args.includes('--json') && !args.includes('--list-checks')) report = JSON.parse(stdout) as DoctorReport;
  return { code, stdout, stderr, report };
}

export function checkOf(report: DoctorReport | undefined, id: string) {
  const check = report?.checks.find((c) => c.id === id);
  if (!check) throw new Error(`no ${id} check in ${JSON.stringify(report)}`);
  return check;
}

/** Builds the healthy fixture app in this process (diagnostics on, as in development) and listens. */
export async function startFixtureApp(fixture: Fixture, env: Record<string, string>, host = '127.0.0.1'): Promise<{ base: string; port: number; close(): Promise<void> }> {
  const { tsImport } = await import('tsx/esm/api');
  const mod = (await tsImport(pathToFileURL(join(fixture.dir, 'src/app.ts')).href, import.meta.url)) as {
    buildApp(o: object): Promise<{ listen(o: object): Promise<string>; close(): Promise<void>; server: http.Server }>;
  };
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  try {
    const app = await mod.buildApp({ env });
    await app.listen({ port: 0, host });
    const port = (app.server.address() as { port: number }).port;
    return { base: `http://127.0.0.1:${port}`, port, close: () => app.close() };
  } finally {
    process.env.NODE_ENV = previous;
  }
}

/** Listens on a free loopback port and returns the base URL. */
export async function listen(server: http.Server, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

export function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
