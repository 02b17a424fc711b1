/**
 * Every failed turn is a red line in `dev`'s output naming the cause and the
 * fix: the provider's status and code (a rejected key, no quota), a provider
 * that cannot be reached (with its URL, credentials stripped), a tool that
 * threw (message and first frames), a tool error the model was told about
 * (a warning under a turn that went on), a 500 (the details the client never
 * sees). Never the key. And a busy port moves dev to the next one.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockOpenAI } from '../support/mock-openai.js';
import { copyFixture, type FixtureCopy } from '../replay/support/fixture.js';
import { post } from '../replay/support/session.js';
import { userInput } from '../support/chatkit.js';
import { freePort } from './support/free-port.js';
import { startDev, startDevOnFixture, type DevOnFixture, type DevProcess } from './support/dev-process.js';

const SLOW = 120_000;
const KEY = 'sk-test-failkey-0123456789abcdef';

describe('dev shows why a turn failed', () => {
  let running: DevOnFixture;
  let project: FixtureCopy;
  let mock: MockOpenAI;
  let dev: DevProcess;
  let endpoint: string;

  beforeAll(async () => {
    running = await startDevOnFixture({ key: KEY });
    ({ project, mock, dev, endpoint } = running);
    await dev.until(async () => ((await post(endpoint, { type: 'threads.list', params: {} })).status === 200 ? true : undefined));
  }, SLOW);

  afterAll(() => running?.close());

  /** Sends one message and returns dev's output for it (up to its summary line and the cause under it). */
  async function failedTurn(text: string, cause: RegExp): Promise<string> {
    const from = dev.output().length;
    const response = await post(endpoint, { type: 'threads.create', params: { input: userInput(text) } });
    expect(response.events.some((event) => event.type === 'error')).toBe(true);
    await dev.waitFor(cause, from);
    return dev.output().slice(from);
  }

  it('a rejected key: a red line with the status, the code and the variable to check, never the key', async () => {
    mock.enqueue({ error: 401 });
    const output = await failedTurn('hello', /OpenAI rejected the key \(401 invalid_api_key\): check OPENAI_API_KEY in \.env/);
    expect(output).toMatch(/✗ +threads\.create +thr_\w+ +200/);
    expect(output).not.toMatch(/✓ +threads\.create/);
    expect(output).not.toContain(KEY);
    expect(output).not.toContain('failkey');
  }, SLOW);

  it('no quota', async () => {
    mock.enqueue({ error: 'insufficient_quota' });
    await failedTurn('hello', /OpenAI says the account is out of quota \(429 insufficient_quota\)/);
  }, SLOW);

  it('a tool that threw: its message and first frames', async () => {
    await project.edit('src/weather.ts', (text) => text.replace('return `${city}: 21°C`;', "throw new Error(`no weather station in ${city}`);"));
    await dev.waitFor(/✓ restarted in \d+ms/);
    mock.enqueue({ toolCalls: [{ name: 'show_weather', arguments: { city: 'Atlantis' } }] });
    const output = await failedTurn('weather?', /Error: no weather station in Atlantis/);
    expect(output).toMatch(/✗ +threads\.create/);
    expect(output).toMatch(/at temperatureIn \(.*weather\.ts:\d+:\d+\)/);

    // As generated projects do it: the server logs through the app's (pino) logger.
    const from = dev.output().length;
    await project.edit('.env', (text) => `${text}FIXTURE_SERVER_LOGGER=app\n`);
    await dev.waitFor(/ChatKit backend listening on/, from);
    mock.enqueue({ toolCalls: [{ name: 'show_weather', arguments: { city: 'Lemuria' } }] });
    const viaApp = await failedTurn('weather?', /Error: no weather station in Lemuria/);
    expect(viaApp).toMatch(/✗ +threads\.create[^\n]*\n +Error: no weather station in Lemuria\n +at temperatureIn/);
  }, SLOW);

  it('a tool error the model was told about (reportToolError): a warning with the tool, the message and the frames under a turn that went on', async () => {
    // As the generated projects' Agents SDK tools do it: errorFunction reportToolError, AgentContext given this request's logger.
    await project.edit('src/chatkit-server.ts', (text) =>
      text
        .replace(
          /import \{ temperatureIn \} from '\.\/weather\.js';/,
          // Next to the copy's own import of the runtime, wherever the copy put it.
          `import { temperatureIn } from './weather.js';\nimport { AgentContext, reportToolError } from '${/from '([^']*)src\/runtime\/index\.js'/.exec(text)![1]}src/runtime/agents/index.js';`,
        )
        .replace('{ signal }: HandlerOptions)', '{ signal, logger }: HandlerOptions)')
        .replace(
          "const summary = temperatureIn(city ?? 'nowhere');",
          "let summary: string;\n        try {\n          summary = temperatureIn(city ?? 'nowhere');\n        } catch (error) {\n" +
            "          const agentContext = new AgentContext<Context>({ thread, store: this.store, requestContext: context, signal, logger });\n" +
            "          summary = reportToolError({ context: agentContext } as never, error, { toolCall: { name: call.name } });\n        }",
        ));
    const restarted = dev.output().length;
    await dev.waitFor(/✓ restarted in \d+ms/, restarted);
    const from = dev.output().length;
    mock.enqueue({ toolCalls: [{ name: 'show_weather', arguments: { city: 'Mu' } }] });
    const response = await post(endpoint, { type: 'threads.create', params: { input: userInput('weather?') } });
    expect(response.events.some((event) => event.type === 'error')).toBe(false);
    await dev.waitFor(/⚠ tool show_weather threw, and the model was told it failed: Error: no weather station in Mu/, from);
    const output = dev.output().slice(from);
    expect(output).toMatch(/✓ +threads\.create[^\n]*\n +⚠ tool show_weather threw[^\n]*\n +at temperatureIn \(.*weather\.ts:\d+:\d+\)/);
    expect(output).not.toMatch(/✗ +threads\.create/);
  }, SLOW);

  it('a 500: the details the client does not get appear in dev', async () => {
    await project.edit('src/chatkit-server.ts', (text) => text.replace(
      'super(new MemoryStore<Context>());',
      "super(new MemoryStore<Context>());\n    this.store.loadThreads = async () => { throw new Error('database \"chatkit\" does not exist'); };",
    ));
    const restarted = dev.output().length;
    await dev.waitFor(/✓ restarted in \d+ms/, restarted);
    const from = dev.output().length;
    const response = await post(endpoint, { type: 'threads.list', params: {} });
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.json)).not.toContain('does not exist');
    await dev.waitFor(/database "chatkit" does not exist/, from);
    expect(dev.output().slice(from)).toMatch(/✗ +threads\.list +- +500/);
  }, SLOW);

  it('a provider that is not listening: its URL and ECONNREFUSED', async () => {
    const closed = await freePort();
    await project.edit('.env', (text) => text.replace(/OPENAI_BASE_URL=.*/, `OPENAI_BASE_URL=http://127.0.0.1:${closed}/v1`));
    const from = dev.output().length;
    await dev.waitFor(/ChatKit backend listening on/, from);
    const output = await failedTurn('hello', /could not reach OpenAI at http:\/\/127\.0\.0\.1:\d+\/v1\/responses \(ECONNREFUSED/);
    expect(output).toContain('OPENAI_BASE_URL');
    expect(dev.output()).not.toContain(KEY);
  }, SLOW);
});

describe('dev on a busy port', () => {
  let blocker: Server;
  let project: FixtureCopy;
  let dev: DevProcess | undefined;

  beforeAll(async () => {
    project = await copyFixture();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await dev?.stop();
    await new Promise((resolve) => blocker.close(resolve));
    await project.remove();
  });

  it('moves to the next free port and says which flag or variable picks another', async () => {
    const busy = (blocker.address() as { port: number }).port;
    dev = startDev(['--port', String(busy), '--cwd', project.root], { OPENAI_API_KEY: KEY });
    const [, moved] = await dev.waitFor(new RegExp(`port ${busy} \\(from --port\\) is in use, so dev listens on (\\d+) instead: .*--port <n> or PORT in \\.env`));
    await dev.waitFor(new RegExp(`listening on http://127\\.0\\.0\\.1:${moved}`));
    const answer = await post(`http://127.0.0.1:${moved}/chatkit/api`, { type: 'threads.list', params: {} });
    expect(answer.status).toBe(200);
  }, SLOW);
});
