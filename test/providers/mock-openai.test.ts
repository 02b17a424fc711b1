/**
 * The mock server itself, through the real `openai` client: the full
 * Responses event sequence (reasoning, annotations, function-call argument
 * deltas), Chat Completions chunks, non-streaming replies, `/models`,
 * mid-stream errors and error bodies.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai.js';

let mock: MockOpenAI;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockOpenAI({ models: ['mock-model', 'gpt-4.1-mini'] });
  client = new OpenAI({ apiKey: 'sk-mock', baseURL: mock.baseURL, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.setScript([]);
  mock.requests.length = 0;
});

describe('mock OpenAI server: Responses', () => {
  it('streams the full event sequence with reasoning, annotations and a function call', async () => {
    mock.setScript({
      chunkSize: 4,
      replies: [
        {
          reasoning: 'The user wants weather.',
          text: 'See example.com. ',
          annotations: [{ url: 'https://example.com', title: 'Example', start_index: 4, end_index: 15 }],
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_1' }],
        },
      ],
    });
    const stream = await client.responses.create({ model: 'gpt-test', input: 'weather?', stream: true });
    const events: any[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    for (const required of [
      'response.reasoning_summary_text.delta',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.annotation.added',
      'response.output_text.done',
      'response.content_part.done',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
    ]) expect(types).toContain(required);
    const text = events.filter((event) => event.type === 'response.output_text.delta').map((event) => event.delta);
    expect(text).toEqual(['See ', 'exam', 'ple.', 'com.', ' ']);
    const args = events.filter((event) => event.type === 'response.function_call_arguments.delta').map((event) => event.delta);
    expect(args.length).toBeGreaterThan(1);
    expect(args.join('')).toBe('{"city":"Paris"}');
    const completed = events.at(-1).response;
    expect(completed.output.map((item: any) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(completed.output[2]).toMatchObject({ call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(completed.output[1].content[0].annotations[0]).toMatchObject({ type: 'url_citation', url: 'https://example.com' });
  });

  it('answers a non-streaming request with the final Response object', async () => {
    mock.setScript([{ text: 'plain answer' }]);
    const response = await client.responses.create({ model: 'gpt-test', input: 'hi' });
    expect(response.output_text).toBe('plain answer');
    expect(response.status).toBe('completed');
  });

  it('turns a scripted mid-stream error into an APIError after the text so far', async () => {
    mock.setScript([{ text: 'partial', streamError: { code: 'server_error', message: 'boom' } }]);
    const stream = await client.responses.create({ model: 'gpt-test', input: 'hi', stream: true });
    const deltas: string[] = [];
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'response.output_text.delta') deltas.push(event.delta);
    })().then(() => undefined, (caught: unknown) => caught);
    expect(deltas.join('')).toBe('partial');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(String((error as Error).message)).toContain('boom');
  });
});

describe('mock OpenAI server: Chat Completions', () => {
  it('streams chunks with tool_calls deltas, usage and [DONE]', async () => {
    mock.setScript([{ text: 'Hi there', toolCalls: [{ name: 'lookup', arguments: '{"id":42}', callId: 'call_9' }] }]);
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: any[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const content = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
    expect(content).toBe('Hi there');
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta?.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, id: 'call_9', function: { name: 'lookup' } });
    expect(calls.map((call: any) => call.function.arguments).join('')).toBe('{"id":42}');
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe('tool_calls');
    expect(chunks.at(-1).usage).toMatchObject({ total_tokens: 15 });
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
  });

  it('ends the raw stream with data: [DONE] and serves the Gemini prefix', async () => {
    const response = await fetch(`${mock.geminiBaseURL}chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gemini-2.5-flash', stream: true, messages: [{ role: 'user', content: 'yo' }] }),
    });
    const text = await response.text();
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(text).toContain('"content":"You s"');
    expect(mock.requests[0].path).toBe('/v1beta/openai/chat/completions');
    expect(mock.requests[0].userText).toBe('yo');
  });

  it('answers a non-streaming completion', async () => {
    mock.setScript([{ text: 'done' }]);
    const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(completion.choices[0].message.content).toBe('done');
    expect(completion.choices[0].finish_reason).toBe('stop');
  });
});

describe('mock OpenAI server: errors and other routes', () => {
  it('lists models', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['mock-model', 'gpt-4.1-mini']);
  });

  it('sends OpenAI error bodies that the client maps to its error classes', async () => {
    mock.setScript([{ error: 401 }, { error: 429 }, { error: 'insufficient_quota' }, { error: 500 }]);
    const attempt = () => client.responses.create({ model: 'm', input: 'x' }).then(() => undefined, (error: unknown) => error as any);
    const unauthorized = await attempt();
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unauthorized).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
    const limited = await attempt();
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited.code).toBe('rate_limit_exceeded');
    expect(limited.headers.get('retry-after')).toBe('20');
    expect((await attempt()).code).toBe('insufficient_quota');
    expect(await attempt()).toBeInstanceOf(OpenAI.InternalServerError);
  });

  it('answers unknown paths with a 404 error body', async () => {
    const response = await fetch(`${mock.url}/v1/embeddings`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('unknown_url');
  });

  it('keeps unmatched replies queued and matches later requests by text', async () => {
    mock.setScript([{ when: 'second', text: 'B' }, { when: /^first/, text: 'A' }]);
    expect((await client.responses.create({ model: 'm', input: 'first message' })).output_text).toBe('A');
    expect(mock.pendingReplies()).toHaveLength(1);
    expect((await client.responses.create({ model: 'm', input: 'unrelated' })).output_text).toBe('You said: unrelated');
    expect((await client.responses.create({ model: 'm', input: 'the SECOND one' })).output_text).toBe('B');
  });
});

describe('mock OpenAI server: observable streaming', () => {
  for (const api of ['responses', 'chat'] as const) {
    it(`${api}: the first deltas reach the client while the response is still open`, async () => {
      mock.setScript({ chunkSize: 4, replies: [{ text: 'one two three four', holdAfterDeltas: 2 }] });
      const stream =
        api === 'responses'
          ? await client.responses.create({ model: 'm', input: 'x', stream: true })
          : await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
      const deltas: string[] = [];
      let openWhenSecondArrived = -1;
      for await (const event of stream as AsyncIterable<any>) {
        const delta = api === 'responses' ? (event.type === 'response.output_text.delta' ? event.delta : '') : (event.choices[0]?.delta?.content ?? '');
        if (!delta) continue;
        deltas.push(delta);
        if (deltas.length === 2) {
          openWhenSecondArrived = mock.openStreams();
          mock.release();
        }
      }
      expect(openWhenSecondArrived).toBe(1);
      expect(mock.openStreams()).toBe(0);
      expect(deltas.join('')).toBe('one two three four');
    });
  }
});
