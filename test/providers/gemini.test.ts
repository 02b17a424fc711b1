/**
 * The `gemini` provider: Chat Completions at Gemini's OpenAI-compatible path
 * (`/v1beta/openai/`), with tool schemas cleaned of the keys Gemini rejects.
 */
import { describe, expect, it } from 'vitest';
import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';
import { createModel, toChatKitError, GEMINI_DEFAULT_BASE_URL, useMockOpenAI, textDeltas } from './support.js';

const KEY = 'AIza-test-gemini-SECRET-5678';
const mock = useMockOpenAI();

const geminiModel = (extra: { geminiSchemaCleanup?: boolean } = {}) =>
  createModel({ provider: 'gemini', model: 'gemini-2.5-flash', apiKey: KEY, baseURL: mock.geminiBaseURL, env: {}, ...extra });

const lookupTasks = tool({
  name: 'list_tasks',
  description: 'List the tasks',
  parameters: z.object({ status: z.enum(['open', 'done']), filter: z.object({ owner: z.string() }).optional() }),
  execute: async ({ status }) => `3 ${status} tasks`,
});

describe('gemini provider', () => {
  it('uses the documented default endpoint', () => {
    expect(GEMINI_DEFAULT_BASE_URL).toBe('https://generativelanguage.googleapis.com/v1beta/openai/');
  });

  it('streams text over Chat Completions at /v1beta/openai/chat/completions', async () => {
    mock.setScript([{ text: 'Hello from Gemini, word by word.' }]);
    const agent = new Agent({ name: 'G', model: geminiModel() });
    const result = await run(agent, 'hi', { stream: true });
    const deltas = await textDeltas(result);
    await result.completed;
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe('Hello from Gemini, word by word.');
    const [request] = mock.requests;
    expect(request.path).toBe('/v1beta/openai/chat/completions');
    expect(request.body.model).toBe('gemini-2.5-flash');
    expect(request.body.stream).toBe(true);
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    // An explicit non-GPT-5 name: no reasoning/verbosity fields Gemini would reject.
    expect(request.body).not.toHaveProperty('reasoning_effort');
    expect(request.body).not.toHaveProperty('verbosity');
  });

  it('runs a tool round trip and strips $schema, additionalProperties and strict from the sent schema', async () => {
    mock.setScript([
      { when: 'tasks', toolCalls: [{ name: 'list_tasks', arguments: { status: 'open', filter: null }, callId: 'call_t1' }] },
      { when: (request) => request.body.messages.at(-1)?.role === 'tool', text: 'You have 3 open tasks.' },
    ]);
    const agent = new Agent({ name: 'G', model: geminiModel(), tools: [lookupTasks] });
    const result = await run(agent, 'show my tasks', { stream: true });
    const deltas = await textDeltas(result);
    await result.completed;
    expect(deltas.join('')).toBe('You have 3 open tasks.');
    expect(mock.requests).toHaveLength(2);

    const sent = mock.requests[0].body.tools[0];
    expect(sent.type).toBe('function');
    expect(sent.function.name).toBe('list_tasks');
    expect(sent.function).not.toHaveProperty('strict');
    const text = JSON.stringify(sent.function.parameters);
    expect(text).not.toContain('$schema');
    expect(text).not.toContain('additionalProperties');
    // The rest of the schema is intact, nested objects included.
    expect(sent.function.parameters.properties.status.enum).toEqual(['open', 'done']);
    expect(sent.function.parameters.properties.filter).toBeDefined();
    expect(sent.function.parameters.required).toEqual(['status', 'filter']);

    const toolMessage = mock.requests[1].body.messages.at(-1);
    expect(toolMessage).toMatchObject({ role: 'tool', tool_call_id: 'call_t1', content: '3 open tasks' });
  });

  it('leaves the schema alone when cleanup is turned off (proves the wrapper does the stripping)', async () => {
    mock.setScript([{ text: 'ok' }]);
    const agent = new Agent({ name: 'G', model: geminiModel({ geminiSchemaCleanup: false }), tools: [lookupTasks] });
    const result = await run(agent, 'hi', { stream: true });
    await textDeltas(result);
    await result.completed;
    const sent = mock.requests[0].body.tools[0];
    expect(sent.function.strict).toBe(true);
    expect(JSON.stringify(sent.function.parameters)).toContain('additionalProperties');
  });

  it('maps Gemini-style 400 array bodies (a rejected key is non-retryable) and 401/429 like OpenAI', async () => {
    mock.setScript([
      { when: 'bad', error: { status: 400, body: [{ error: { code: 400, message: `Invalid JSON payload received near ${KEY}`, status: 'INVALID_ARGUMENT' } }] } },
      {
        when: 'invalid key',
        error: {
          status: 400,
          body: [{ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] } }],
        },
      },
      { when: 'key', error: 401 },
      { when: 'busy', error: 429 },
    ]);
    const outcome = async (text: string) => {
      const agent = new Agent({ name: 'G', model: geminiModel() });
      const result = await run(agent, text, { stream: true });
      return textDeltas(result).then(() => result.completed).then(() => undefined, (error: unknown) => error);
    };
    const bad = toChatKitError(await outcome('bad request'));
    expect(bad).toMatchObject({ code: 'stream.error', allowRetry: true });
    expect(bad.message).not.toContain(KEY);
    // Gemini's way of rejecting a key: 400 with reason API_KEY_INVALID.
    expect(toChatKitError(await outcome('invalid key here'))).toMatchObject({ allowRetry: false, message: expect.stringMatching(/key was rejected/) });
    const unauthorized = toChatKitError(await outcome('key please'));
    expect(unauthorized.allowRetry).toBe(false);
    expect(unauthorized.message).not.toContain(KEY);
    expect(toChatKitError(await outcome('busy now')).allowRetry).toBe(true);
  });
});
