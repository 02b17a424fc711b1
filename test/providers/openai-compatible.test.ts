/**
 * The `openai-compatible` provider: Chat Completions at a required base URL,
 * with or without a key (a local Ollama has none).
 */
import { describe, expect, it } from 'vitest';
import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';
import { createModel, modelFromEnv, toChatKitError, useMockOpenAI } from './support.js';

const mock = useMockOpenAI();

async function textOf(agent: Agent<any, any>, input: string) {
  const result = await run(agent, input, { stream: true });
  let text = '';
  for await (const event of result) {
    if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') text += event.data.delta;
  }
  await result.completed;
  return text;
}

describe('openai-compatible provider', () => {
  it('sends no Authorization header when there is no key', async () => {
    const model = createModel({ provider: 'openai-compatible', model: 'llama3.2', baseURL: `${mock.url}/v1`, env: {} });
    const text = await textOf(new Agent({ name: 'O', model }), 'hello ollama');
    expect(text).toBe('You said: hello ollama');
    const [request] = mock.requests;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.body.model).toBe('llama3.2');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('reads base URL, key and model from the environment (modelFromEnv)', async () => {
    const env = {
      CHATKIT_MODEL_PROVIDER: 'openai-compatible',
      CHATKIT_MODEL: 'qwen2.5',
      CHATKIT_MODEL_BASE_URL: `${mock.url}/api/v1`,
      CHATKIT_MODEL_API_KEY: 'or-key-SECRET',
      // Must not leak into a non-OpenAI provider's requests.
      OPENAI_API_KEY: 'sk-should-not-be-sent',
      OPENAI_ORG_ID: 'org-should-not-be-sent',
    };
    const selected = modelFromEnv(env);
    expect(selected.provider).toBe('openai-compatible');
    expect(selected.modelName).toBe('qwen2.5');
    expect(selected.describe()).toContain('key from CHATKIT_MODEL_API_KEY');
    expect(selected.describe()).not.toContain('SECRET');
    await textOf(new Agent({ name: 'O', model: selected.model }), 'hi');
    const [request] = mock.requests;
    expect(request.path).toBe('/api/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer or-key-SECRET');
    expect(request.headers['openai-organization']).toBeUndefined();
  });

  it('runs a function tool round trip', async () => {
    const add = tool({
      name: 'add',
      description: 'Adds two numbers',
      parameters: z.object({ a: z.number(), b: z.number() }),
      execute: async ({ a, b }) => String(a + b),
    });
    mock.setScript([{ when: 'add', toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] }]);
    const model = createModel({ provider: 'openai-compatible', model: 'llama3.2', baseURL: mock.baseURL, env: {} });
    const text = await textOf(new Agent({ name: 'O', model, tools: [add] }), 'add 2 and 3');
    // No second scripted reply: the mock echoes the tool output back.
    expect(text).toBe('Tool said: 5');
    expect(mock.requests).toHaveLength(2);
  });

  it('maps a 500 to a retryable error and a connection failure to a retryable error', async () => {
    mock.setScript([{ error: 500 }]);
    const model = createModel({ provider: 'openai-compatible', model: 'm', baseURL: mock.baseURL, env: {} });
    const failure = await textOf(new Agent({ name: 'O', model }), 'hi').then(() => undefined, (error: unknown) => error);
    expect(toChatKitError(failure)).toMatchObject({ allowRetry: true, message: expect.stringMatching(/unavailable/) });

    const unreachable = createModel({ provider: 'openai-compatible', model: 'm', baseURL: 'http://127.0.0.1:9/v1', env: {}, maxRetries: 0 });
    const refused = await textOf(new Agent({ name: 'O', model: unreachable }), 'hi').then(() => undefined, (error: unknown) => error);
    expect(toChatKitError(refused)).toMatchObject({ allowRetry: true, message: expect.stringMatching(/could not reach/) });
  });
});
