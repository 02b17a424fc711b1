/**
 * The `openai` provider (Responses API) through the real `openai` client and
 * `@openai/agents` runner, over HTTP to the local mock.
 */
import { describe, expect, it } from 'vitest';
import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';
import { createModel, toChatKitError, CustomStreamError, useMockOpenAI, textDeltas } from './support.js';

const KEY = 'sk-test-openai-SECRET-1234';
const mock = useMockOpenAI();

const openaiModel = () => createModel({ provider: 'openai', apiKey: KEY, baseURL: mock.baseURL, env: {} });

describe('openai provider', () => {
  it('streams text from POST /v1/responses in several deltas', async () => {
    mock.setScript({ replies: [{ text: 'Hello from the Responses API.' }], chunkSize: 6 });
    const agent = new Agent({ name: 'A', instructions: 'Be brief.', model: openaiModel() });
    const result = await run(agent, 'hi there', { stream: true });
    const deltas = await textDeltas(result);
    await result.completed;
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe('Hello from the Responses API.');
    expect(result.finalOutput).toBe('Hello from the Responses API.');
    expect(mock.requests).toHaveLength(1);
    const [request] = mock.requests;
    expect(request.path).toBe('/v1/responses');
    expect(request.body.model).toBe('gpt-4.1-mini');
    expect(request.body.stream).toBe(true);
    expect(request.body.instructions).toBe('Be brief.');
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('runs a zod function tool and sends its output back on the next call', async () => {
    const seen: unknown[] = [];
    const getWeather = tool({
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        seen.push(city);
        return `sunny in ${city}`;
      },
    });
    mock.setScript([
      { when: 'weather', text: 'Let me check. ', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_w1' }] },
      { when: (request) => JSON.stringify(request.body).includes('sunny in Paris'), text: 'It is sunny in Paris.' },
    ]);
    const agent = new Agent({ name: 'A', model: openaiModel(), tools: [getWeather] });
    const result = await run(agent, 'what is the weather in Paris?', { stream: true });
    const deltas = await textDeltas(result);
    await result.completed;
    expect(seen).toEqual(['Paris']);
    expect(deltas.join('')).toBe('Let me check. It is sunny in Paris.');
    expect(result.finalOutput).toBe('It is sunny in Paris.');
    expect(mock.requests).toHaveLength(2);
    const toolSchema = mock.requests[0].body.tools[0];
    expect(toolSchema).toMatchObject({ type: 'function', name: 'get_weather', strict: true });
    const secondInput = mock.requests[1].body.input;
    expect(secondInput).toContainEqual(expect.objectContaining({ type: 'function_call_output', call_id: 'call_w1', output: 'sunny in Paris' }));
    expect(mock.pendingReplies()).toEqual([]);
  });

  it('maps a 401 to a non-retryable error that does not contain the key', async () => {
    mock.setScript([{ error: 401 }]);
    const agent = new Agent({ name: 'A', model: openaiModel() });
    const failure = await run(agent, 'hi', { stream: true }).then(async (result) => {
      await textDeltas(result);
      await result.completed;
    }).then(() => undefined, (error: unknown) => error);
    expect((failure as { status?: number }).status).toBe(401);
    // The provider's own message quotes the key, which is why it is never forwarded.
    expect(String((failure as Error).message)).toContain(KEY);
    const mapped = toChatKitError(failure);
    expect(mapped).toBeInstanceOf(CustomStreamError);
    expect(mapped.allowRetry).toBe(false);
    expect(mapped.message).toMatch(/model API key was rejected/);
    expect(mapped.message).not.toContain(KEY);
    expect(mapped.message).not.toContain('SECRET');
  });

  it('maps a 429 to a retryable error', async () => {
    mock.setScript([{ error: 429 }]);
    const agent = new Agent({ name: 'A', model: openaiModel() });
    const result = await run(agent, 'hi', { stream: true });
    const failure = await textDeltas(result).then(() => result.completed).then(() => undefined, (error: unknown) => error);
    expect((failure as { status?: number }).status).toBe(429);
    const mapped = toChatKitError(failure);
    expect(mapped.allowRetry).toBe(true);
    expect(mapped.message).toMatch(/too many requests/);
  });
});

describe('injected fetch', () => {
  it('carries every request of the openai and gemini providers (gemini sees the cleaned body)', async () => {
    const seen: { url: string; body: any }[] = [];
    const recording = async (input: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(input), body: JSON.parse(String(init?.body)) });
      return fetch(input, init);
    };
    const weather = tool({ name: 'weather', description: 'w', parameters: z.object({ city: z.string() }), execute: async () => 'ok' });
    const openai = createModel({ provider: 'openai', apiKey: KEY, baseURL: mock.baseURL, env: {}, fetch: recording });
    const gemini = createModel({ provider: 'gemini', model: 'gemini-2.5-flash', apiKey: 'g', baseURL: mock.geminiBaseURL, env: {}, fetch: recording });
    for (const model of [openai, gemini]) {
      const result = await run(new Agent({ name: 'A', model, tools: [weather] }), 'hi', { stream: true });
      await textDeltas(result);
      await result.completed;
    }
    expect(seen.map((entry) => new URL(entry.url).pathname)).toEqual(['/v1/responses', '/v1beta/openai/chat/completions']);
    expect(JSON.stringify(seen[0].body.tools)).toContain('additionalProperties');
    expect(JSON.stringify(seen[1].body.tools)).not.toContain('additionalProperties');
    expect(mock.requests).toHaveLength(2);
  });
});

describe('Responses enrichment through the runner', () => {
  it('passes reasoning and annotation events through as raw model events and run items', async () => {
    mock.setScript([
      { reasoning: 'Thinking about sources.', text: 'See example.com.', annotations: [{ url: 'https://example.com', title: 'Example', start_index: 4, end_index: 15 }] },
    ]);
    const result = await run(new Agent({ name: 'A', model: openaiModel() }), 'sources?', { stream: true });
    const rawTypes: string[] = [];
    const itemNames: string[] = [];
    for await (const event of result) {
      if (event.type === 'raw_model_stream_event' && event.data.type === 'model') rawTypes.push((event.data.event as { type: string }).type);
      if (event.type === 'run_item_stream_event') itemNames.push(event.name);
    }
    await result.completed;
    expect(rawTypes).toContain('response.reasoning_summary_text.delta');
    expect(rawTypes).toContain('response.output_text.annotation.added');
    expect(itemNames).toEqual(['reasoning_item_created', 'message_output_created']);
    expect(result.finalOutput).toBe('See example.com.');
  });
});
