/**
 * doctor for CI: `--format github` annotations, one JSON document on stdout
 * for every `--json` run (usage errors too), `--online` failing when the
 * provider cannot be reached or rejects the key, placeholder keys named as
 * such, and the ChatKit.js script check.
 */
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOf, closeServer, doctor, listen, makeProject, type Fixture } from './support.js';
import { startMockOpenAI } from '../support/mock-openai.js';
import { freePort } from '../dev/support/free-port.js';

const fixtures: Fixture[] = [];
const project = (env: string) => {
  const fixture = makeProject({ '.env': env });
  fixtures.push(fixture);
  return fixture;
};
afterAll(() => fixtures.forEach((f) => f.remove()));

const KEY = 'sk-proj-' + 'OnlineCheck'.repeat(3);

describe('doctor --online', () => {
  it('passes when the provider accepts the key and lists the model', async () => {
    const mock = await startMockOpenAI();
    try {
      const f = project(`CHATKIT_MODEL_PROVIDER=openai\nOPENAI_API_KEY=${KEY}\nOPENAI_BASE_URL=${mock.baseURL}\nCHATKIT_MODEL=mock-model\n`);
      const { code, report } = await doctor(['keys', '--online', '--json', '--cwd', f.dir]);
      expect(checkOf(report, 'keys')).toMatchObject({ status: 'pass', evidence: expect.arrayContaining([expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:\d+\/v1\/models: HTTP 200/)]) });
      expect(code).toBe(0);
    } finally {
      await mock.close();
    }
  });

  it('fails (exit 1) when the provider cannot be reached, naming the URL and the socket error', async () => {
    const port = await freePort();
    const f = project(`CHATKIT_MODEL_PROVIDER=openai\nOPENAI_API_KEY=${KEY}\nOPENAI_BASE_URL=http://127.0.0.1:${port}/v1\n`);
    const { code, report, stdout } = await doctor(['keys', '--online', '--json', '--cwd', f.dir]);
    expect(code).toBe(1);
    expect(checkOf(report, 'keys')).toMatchObject({ status: 'fail', message: `could not reach openai at http://127.0.0.1:${port}/v1 (ECONNREFUSED)` });
    expect(stdout).not.toContain(KEY);
  });

  it('fails (exit 1) when the provider rejects the key, with status and code but never the key', async () => {
    const server = http.createServer((request, response) => {
      const presented = String(request.headers.authorization ?? '').replace('Bearer ', '');
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${presented}.`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
    const base = await listen(server);
    try {
      const f = project(`CHATKIT_MODEL_PROVIDER=openai\nOPENAI_API_KEY=${KEY}\nOPENAI_BASE_URL=${base}/v1\n`);
      const { code, report, stdout } = await doctor(['keys', '--online', '--json', '--cwd', f.dir]);
      expect(code).toBe(1);
      expect(checkOf(report, 'keys')).toMatchObject({ status: 'fail', message: 'openai rejected the key (401 invalid_api_key)' });
      expect(stdout).not.toContain(KEY);
    } finally {
      await closeServer(server);
    }
  });
});

describe('placeholder keys', () => {
  for (const placeholder of ['sk-...', 'your-key-here', '<your openai key>', 'sk-xxxxxxxx']) {
    it(`${placeholder} is "not a real key"`, async () => {
      const f = project(`CHATKIT_MODEL_PROVIDER=openai\nOPENAI_API_KEY=${placeholder}\n`);
      const { code, report } = await doctor(['keys', '--json', '--cwd', f.dir]);
      expect(code).toBe(1);
      expect(checkOf(report, 'keys')).toMatchObject({ status: 'fail', message: `OPENAI_API_KEY is ${JSON.stringify(placeholder)}, a placeholder, not a real key` });
    });
  }
});

describe('--json always prints one JSON document', () => {
  for (const [what, args] of [
    ['an unknown option', ['--json', '--bogus']],
    ['a bad --timeout', ['--json', '--timeout', 'soon']],
    ['an unknown check', ['--json', 'no-such-check']],
    ['an unknown --format', ['--json', '--format', 'xml']],
    ['--format json', ['--format', 'json', '--bogus']],
  ] as const) {
    it(`on ${what}: exit 2, the error in the document and on stderr`, async () => {
      const { code, stdout, stderr } = await doctor([...args]);
      expect(code).toBe(2);
      const document = JSON.parse(stdout);
      expect(document).toMatchObject({ schemaVersion: 1, ok: false, checks: [], error: { code: 'usage', message: expect.any(String) } });
      expect(stderr).toContain(document.error.message.split(' (see --help)')[0]);
    });
  }

  it('outside a project without --url: exit 2 and a no-project document', async () => {
    const { code, stdout } = await doctor(['--json']);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'no-project', message: expect.stringMatching(/no project at .*pass --cwd/) } });
  });
});

describe('--format github', () => {
  it('prints the report, then an ::error per failure and a ::warning per warning (::error with --strict), escaped', async () => {
    const f = project('CHATKIT_MODEL_PROVIDER=openai\n');
    // ChatKit rendered on a page that never loads ChatKit.js: a warning.
    f.write('frontend/index.html', '<!doctype html>\n<html><head><title>x</title></head><body><openai-chatkit></openai-chatkit></body></html>\n');
    const { code, stdout } = await doctor(['keys', 'chatkit-script', '--format', 'github', '--cwd', f.dir]);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ Provider key (keys): OPENAI_API_KEY is not set');
    expect(stdout).toMatch(/^::error title=doctor%3A Provider key \(keys\)::OPENAI_API_KEY is not set%0A.*%0Afix: Put your key in .env/m);
    expect(stdout).toMatch(/^::warning title=doctor%3A ChatKit\.js script on the page \(chatkit-script\)::ChatKit is rendered but no page loads ChatKit\.js/m);
    expect(stdout).toContain('<script src="https://cdn.platform.openai.com/deployments/chatkit/chatkit.js" async></script>');
    // Every annotation is one line: the message's own line breaks are escaped.
    for (const line of stdout.split('\n').filter((l) => l.startsWith('::'))) expect(line).toMatch(/^::(error|warning) title=[^:]+::\S/);

    const strict = await doctor(['chatkit-script', '--format', 'github', '--strict', '--cwd', f.dir]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^::error title=doctor%3A ChatKit\.js script on the page/m);
  });

  it('a usage error is an annotation too', async () => {
    const { code, stdout } = await doctor(['--format', 'github', '--timeout', 'x']);
    expect(code).toBe(2);
    expect(stdout).toBe('::error title=doctor could not run::--timeout must be a positive number of milliseconds, got "x"\n');
  });
});

describe('chatkit-script', () => {
  it('passes when a page loads ChatKit.js, warns with the tag when none does, and skips without a page', async () => {
    const f = project('CHATKIT_MODEL_PROVIDER=scripted\n');
    expect(checkOf((await doctor(['chatkit-script', '--json', '--cwd', f.dir])).report, 'chatkit-script')).toMatchObject({ status: 'pass', message: 'ChatKit.js is loaded (frontend/index.html)' });

    // A Next.js layout without the script, and a component that renders ChatKit.
    f.write('frontend/index.html', '<!doctype html><html><body><!-- <script src="https://cdn.platform.openai.com/deployments/chatkit/chatkit.js"></script> --><div id="root"></div></body></html>\n');
    f.write('frontend/app/layout.tsx', 'export default function Layout({ children }) { return <html><head /><body>{children}</body></html>; }\n');
    f.write('frontend/ChatKitPanel.tsx', "import { ChatKit, useChatKit } from '@openai/chatkit-react';\nexport function Panel() { const { control } = useChatKit({}); return <ChatKit control={control} />; }\n");
    const warned = checkOf((await doctor(['chatkit-script', '--json', '--cwd', f.dir])).report, 'chatkit-script');
    expect(warned).toMatchObject({ status: 'warn', fix: ['Add to the <head> of frontend/app/layout.tsx: <script src="https://cdn.platform.openai.com/deployments/chatkit/chatkit.js" async></script>'] });

    const component = project('CHATKIT_MODEL_PROVIDER=scripted\n');
    component.write('frontend/index.html', '');
    const { rmSync } = await import('node:fs');
    rmSync(`${component.dir}/frontend/index.html`);
    component.write('frontend/ChatKitPanel.tsx', "import { ChatKit, useChatKit } from '@openai/chatkit-react';\nexport function Panel() { const { control } = useChatKit({}); return <ChatKit control={control} />; }\n");
    expect(checkOf((await doctor(['chatkit-script', '--json', '--cwd', component.dir])).report, 'chatkit-script').status).toBe('skip');
  });
});
