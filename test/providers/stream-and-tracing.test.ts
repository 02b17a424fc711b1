/**
 * `streamModelText` on every provider, the trace export switch, and the same
 * tool code running unchanged under openai, gemini and scripted.
 */
import { describe, expect, it } from 'vitest';
import { Agent, run, setTraceProcessors, setTracingDisabled, tool, type TracingProcessor } from '@openai/agents';
import { z } from 'zod';
import { createModel, streamModelText, toChatKitError, type CreateModelOptions, useMockOpenAI } from './support.js';

const mock = useMockOpenAI();

const optionsFor = (provider: 'openai' | 'gemini' | 'scripted'): CreateModelOptions => {
  if (provider === 'openai') return { provider, apiKey: 'sk-test', baseURL: mock.baseURL, env: {} };
  if (provider === 'gemini') return { provider, model: 'gemini-2.5-flash', apiKey: 'g-test', baseURL: mock.geminiBaseURL, env: {} };
  return {
    provider,
    env: {},
    script: { turns: [{ when: 'tasks', toolCalls: [{ name: 'list_tasks', arguments: { owner: 'ana' } }], text: 'Those are your tasks.' }] },
  };
};

describe('streamModelText', () => {
  for (const provider of ['openai', 'gemini', 'scripted'] as const) {
    it(`yields the text deltas of one ${provider} response`, async () => {
      mock.setScript({ chunkSize: 3, replies: [{ text: 'Echo, echo, echo.' }] });
      const model = createModel(optionsFor(provider));
      const deltas: string[] = [];
      for await (const delta of streamModelText(model, 'hello world', { instructions: 'Reply briefly.' })) deltas.push(delta);
      expect(deltas.length).toBeGreaterThan(1);
      const expected = provider === 'scripted' ? 'You said: hello world' : 'Echo, echo, echo.';
      expect(deltas.join('')).toBe(expected);
      if (provider !== 'scripted') {
        const [request] = mock.requests;
        const instructions = provider === 'openai' ? request.body.instructions : request.body.messages[0].content;
        expect(instructions).toBe('Reply briefly.');
      }
    });
  }

  it('throws the provider error, which maps to a ChatKit error', async () => {
    mock.setScript([{ error: 401 }]);
    const model = createModel(optionsFor('openai'));
    const error = await (async () => {
      for await (const _ of streamModelText(model, 'hi')) void _;
    })().then(() => undefined, (caught: unknown) => caught);
    expect(toChatKitError(error).allowRetry).toBe(false);
  });
});

describe('the same tool code on every provider', () => {
  for (const provider of ['openai', 'gemini', 'scripted'] as const) {
    it(`${provider}: the tool runs with the run context and the answer follows`, async () => {
      mock.setScript([
        { when: 'tasks', toolCalls: [{ name: 'list_tasks', arguments: { owner: 'ana' } }] },
        { when: 'tasks', text: 'Those are your tasks.' },
      ]);
      const seen: unknown[] = [];
      const listTasks = tool({
        name: 'list_tasks',
        description: 'List tasks for an owner',
        parameters: z.object({ owner: z.string() }),
        execute: async ({ owner }, runContext) => {
          seen.push([owner, (runContext?.context as { userId: string }).userId]);
          return 'Buy milk';
        },
      });
      const agent = new Agent<{ userId: string }>({ name: 'Tasks', model: createModel(optionsFor(provider)), tools: [listTasks] });
      const result = await run(agent, 'show my tasks', { stream: true, context: { userId: 'u7' } });
      let text = '';
      for await (const event of result) {
        if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') text += event.data.delta;
      }
      await result.completed;
      expect(seen).toEqual([['ana', 'u7']]);
      expect(text).toBe('Those are your tasks.');
    });
  }
});

describe('trace export', () => {
  it('is turned off by createModel unless tracing: true', async () => {
    const traces: string[] = [];
    const recorder: TracingProcessor = {
      onTraceStart: async (trace) => void traces.push(trace.traceId),
      onTraceEnd: async () => {},
      onSpanStart: async () => {},
      onSpanEnd: async () => {},
      shutdown: async () => {},
      forceFlush: async () => {},
    };
    // Only the recorder: nothing may reach the network even when tracing is on.
    setTraceProcessors([recorder]);

    setTracingDisabled(false);
    const quiet = createModel({ provider: 'scripted', env: {} });
    await run(new Agent({ name: 'T', model: quiet }), 'hi');
    expect(traces).toEqual([]);

    setTracingDisabled(false);
    const traced = createModel({ provider: 'scripted', env: {}, tracing: true });
    await run(new Agent({ name: 'T', model: traced }), 'hi');
    expect(traces).toHaveLength(1);
  });
});
