/**
 * The offline `scripted` provider: echo, scripted tool calls with follow-up
 * text, steps, file scripts, error turns and script validation.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent, run, tool, type AgentInputItem } from '@openai/agents';
import { z } from 'zod';
import { createModel, modelFromEnv, toChatKitError, ScriptedModel, ProviderConfigError, parseScript, type ScriptedScript } from './support.js';

async function streamed(agent: Agent<any, any>, input: string | AgentInputItem[]) {
  const result = await run(agent, input, { stream: true });
  const deltas: string[] = [];
  const events: string[] = [];
  for await (const event of result) {
    if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') deltas.push(event.data.delta);
    if (event.type === 'run_item_stream_event') events.push(event.name);
  }
  await result.completed;
  return { deltas, events, result };
}

const listTasks = (calls: unknown[]) =>
  tool({
    name: 'list_tasks',
    description: 'List tasks',
    parameters: z.object({ status: z.string() }),
    execute: async (args, runContext) => {
      calls.push({ args, context: runContext?.context });
      return 'Buy milk; Write report';
    },
  });

const TASKS_SCRIPT: ScriptedScript = {
  turns: [
    { when: 'tasks', toolCalls: [{ name: 'list_tasks', arguments: { status: 'open' } }], text: 'Here are your open tasks.' },
    { when: 'hello', text: 'Hi! How can I help?' },
  ],
};

describe('scripted provider', () => {
  it('echoes the user word by word when there is no script', async () => {
    const model = createModel({ provider: 'scripted', env: {} });
    const { deltas, result } = await streamed(new Agent({ name: 'S', model }), 'hello there world');
    expect(deltas).toEqual(['You ', 'said: ', 'hello ', 'there ', 'world']);
    expect(result.finalOutput).toBe('You said: hello there world');
  });

  it('calls a tool with the run context, then answers with the follow-up text', async () => {
    const calls: any[] = [];
    const model = createModel({ provider: 'scripted', script: TASKS_SCRIPT, env: {} });
    (model as ScriptedModel).keepRequests = 5;
    const agent = new Agent<{ userId: string }>({ name: 'S', model, tools: [listTasks(calls)] });
    const result = await run(agent, 'show my tasks', { stream: true, context: { userId: 'u1' } });
    const names: string[] = [];
    let text = '';
    for await (const event of result) {
      if (event.type === 'run_item_stream_event') names.push(event.name);
      if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') text += event.data.delta;
    }
    await result.completed;
    expect(calls).toEqual([{ args: { status: 'open' }, context: { userId: 'u1' } }]);
    expect(names).toEqual(['tool_called', 'tool_output', 'message_output_created']);
    expect(text).toBe('Here are your open tasks.');

    // The second model call saw the tool's output.
    const scripted = model as ScriptedModel;
    expect(scripted.requests).toHaveLength(2);
    const secondInput = scripted.requests[1].input as any[];
    expect(secondInput.at(-1)).toMatchObject({ type: 'function_call_result', name: 'list_tasks' });
    expect(JSON.stringify(secondInput.at(-1))).toContain('Buy milk');
  });

  it('falls back to echo for unmatched messages and repeats the tool output after an unscripted tool round', async () => {
    const calls: unknown[] = [];
    const model = createModel({
      provider: 'scripted',
      script: { turns: [{ when: 'tasks', toolCalls: [{ name: 'list_tasks', arguments: { status: 'all' } }] }] },
      env: {},
    });
    const agent = new Agent({ name: 'S', model, tools: [listTasks(calls)] });
    expect((await streamed(agent, 'good morning')).result.finalOutput).toBe('You said: good morning');
    expect((await streamed(agent, 'my TASKS please')).result.finalOutput).toBe('Buy milk; Write report');
    expect(calls).toHaveLength(1);
  });

  it('chooses the turn from the latest user message, not from earlier history', async () => {
    const model = createModel({ provider: 'scripted', script: TASKS_SCRIPT, env: {} });
    const history: AgentInputItem[] = [
      { role: 'user', content: 'show my tasks' },
      { role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Here are your open tasks.' }] },
      { role: 'user', content: [{ type: 'input_text', text: 'hello again' }] },
    ];
    const { result } = await streamed(new Agent({ name: 'S', model, tools: [listTasks([])] }), history);
    expect(result.finalOutput).toBe('Hi! How can I help?');
  });

  it('plays explicit steps, text and tool calls in the same response', async () => {
    const calls: unknown[] = [];
    const model = createModel({
      provider: 'scripted',
      script: {
        turns: [
          {
            when: 'plan',
            steps: [
              { text: 'Checking. ', toolCalls: [{ name: 'list_tasks', arguments: { status: 'open' }, callId: 'c1' }] },
              { toolCalls: [{ name: 'list_tasks', arguments: { status: 'done' }, callId: 'c2' }] },
              { text: 'All checked.' },
            ],
          },
        ],
      },
      env: {},
    });
    const { deltas, result } = await streamed(new Agent({ name: 'S', model, tools: [listTasks(calls)] }), 'plan my day');
    expect(calls.map((call: any) => call.args.status)).toEqual(['open', 'done']);
    expect(deltas.join('')).toBe('Checking. All checked.');
    expect(result.finalOutput).toBe('All checked.');
  });

  it('works without streaming (getResponse)', async () => {
    const calls: unknown[] = [];
    const model = createModel({ provider: 'scripted', script: TASKS_SCRIPT, env: {} });
    const result = await run(new Agent({ name: 'S', model, tools: [listTasks(calls)] }), 'tasks?');
    expect(result.finalOutput).toBe('Here are your open tasks.');
    expect(calls).toHaveLength(1);
  });

  it('loads a JSON script file named by CHATKIT_SCRIPT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripted-'));
    const file = join(dir, 'script.json');
    writeFileSync(file, JSON.stringify({ turns: [{ when: 'ping', text: 'pong from file' }] }));
    const selected = modelFromEnv({ CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_SCRIPT: file });
    expect(selected.describe()).toBe(`scripted scripted (offline, script: ${file})`);
    const { result } = await streamed(new Agent({ name: 'S', model: selected.model }), 'ping');
    expect(result.finalOutput).toBe('pong from file');
  });

  it('streams the text of an error turn and then fails with a mappable provider error', async () => {
    const model = createModel({
      provider: 'scripted',
      script: {
        turns: [
          { when: 'quota', error: { status: 429 } },
          { when: 'key', error: { status: 401 } },
          { when: 'crash', text: 'Partial answer', error: { status: 500 } },
          { when: 'offline', error: {} },
        ],
      },
      env: {},
    });
    const agent = new Agent({ name: 'S', model });
    const failure = async (input: string) => {
      const deltas: string[] = [];
      const result = await run(agent, input, { stream: true });
      const error = await (async () => {
        for await (const event of result) {
          if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') deltas.push(event.data.delta);
        }
        await result.completed;
      })().then(() => undefined, (caught: unknown) => caught);
      return { error, deltas };
    };
    expect(toChatKitError((await failure('quota')).error).allowRetry).toBe(true);
    expect(toChatKitError((await failure('key')).error)).toMatchObject({ allowRetry: false, message: expect.stringMatching(/key was rejected/) });
    const crash = await failure('crash now');
    expect(crash.deltas.join('')).toBe('Partial answer');
    expect(toChatKitError(crash.error)).toMatchObject({ allowRetry: true, message: expect.stringMatching(/unavailable/) });
    expect(toChatKitError((await failure('offline')).error)).toMatchObject({ allowRetry: true, message: expect.stringMatching(/could not reach/) });
  });

  it('rejects a tool name the agent does not have, naming the tools it has', async () => {
    const model = createModel({ provider: 'scripted', script: { turns: [{ toolCalls: [{ name: 'lst_tasks' }] }] }, env: {} });
    const error = await streamed(new Agent({ name: 'S', model, tools: [listTasks([])] }), 'hi').then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderConfigError);
    expect((error as Error).message).toContain('"lst_tasks"');
    expect((error as Error).message).toContain('list_tasks');
  });

  it('stops streaming when the signal aborts', async () => {
    const model = createModel({ provider: 'scripted', script: { delayMs: 5, turns: [{ text: 'one two three four five six seven eight' }] }, env: {} });
    const controller = new AbortController();
    const result = await run(new Agent({ name: 'S', model }), 'go', { stream: true, signal: controller.signal });
    const deltas: string[] = [];
    for await (const event of result) {
      if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') {
        deltas.push(event.data.delta);
        if (deltas.length === 2) controller.abort();
      }
    }
    await result.completed.catch(() => undefined);
    expect(deltas.length).toBeLessThan(8);
  });

  it('reports every problem in an invalid script with its path', () => {
    let message = '';
    try {
      parseScript({ turns: [{ when: 3, toolCalls: [{ arguments: 7 }] }, { text: 'x', steps: [] }], extra: true });
    } catch (error) {
      expect(error).toBeInstanceOf(ProviderConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/turns\[0\]\.when: expected a string/);
    expect(message).toMatch(/turns\[0\]\.toolCalls\[0\]\.name: .*expected string/);
    expect(message).toMatch(/turns\[0\]\.toolCalls\[0\]\.arguments: expected an object or a JSON string/);
    expect(message).toMatch(/turns\[1\]\.steps: .*>=1/);
    expect(message).toMatch(/Unrecognized key: "extra"/);
    expect(() => parseScript({ turns: [{ text: 'x', steps: [{ text: 'y' }] }] })).toThrowError(/turns\[0\]: use either "steps"/);
  });

  it('names the file and the problem when a script file is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripted-'));
    expect(() => createModel({ provider: 'scripted', script: join(dir, 'nope.json'), env: {} })).toThrowError(/nope\.json.*CHATKIT_SCRIPT.*does not exist/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "turns": [ ');
    expect(() => modelFromEnv({ CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_SCRIPT: broken })).toThrowError(/broken\.json is not valid JSON/);
  });
});

describe('scripted provider with converted thread history', () => {
  it('matches the message the user typed, not widget or hidden-context messages after it, and resumes after a client tool output', async () => {
    const model = createModel({
      provider: 'scripted',
      script: { turns: [{ when: 'pick a color', toolCalls: [{ name: 'pick_color', arguments: {} }], text: 'Nice color!' }] },
      env: {},
    }) as ScriptedModel;
    // What a converter produces after a client tool call completed: the user's message, a widget
    // shown meanwhile (as a user-role message), then the call and its output.
    const history: AgentInputItem[] = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Please pick a color' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'The following graphical UI widget (id: w_1) was displayed to the user:{}' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hidden context for the agent (not shown to the user):\n<HiddenContext>x</HiddenContext>' }] },
      { type: 'function_call', callId: 'c1', name: 'pick_color', arguments: '{}', status: 'completed' },
      { type: 'function_call_result', callId: 'c1', name: 'pick_color', status: 'completed', output: '"blue"' },
    ];
    const pickColor = tool({ name: 'pick_color', description: 'client tool', parameters: z.object({}), execute: async () => 'never' });
    const { result } = await streamed(new Agent({ name: 'S', model, tools: [pickColor] }), history);
    expect(result.finalOutput).toBe('Nice color!');
  });
});

describe('scripted provider after a client tool', () => {
  it("does not read the browser's result (`{\"ok\":true}`) back as its reply; a tool's sentence is still repeated", async () => {
    const model = createModel({ provider: 'scripted', script: { turns: [{ when: 'dark', toolCalls: [{ name: 'switch_theme', arguments: { theme: 'dark' } }] }] }, env: {} });
    const switchTheme = tool({ name: 'switch_theme', description: 'client tool', parameters: z.object({ theme: z.string() }), execute: async () => 'never' });
    // What the converter sends after ChatKit ran the client tool: the call and the browser's output.
    const history = (output: string): AgentInputItem[] => [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'use dark mode' }] },
      { type: 'function_call', callId: 'c1', name: 'switch_theme', arguments: '{"theme": "dark"}', status: 'completed' },
      { type: 'function_call_result', callId: 'c1', name: 'switch_theme', status: 'completed', output },
    ];
    const agent = new Agent({ name: 'S', model, tools: [switchTheme] });
    const acknowledged = await streamed(agent, history('{"ok": true}'));
    expect(acknowledged.result.finalOutput).toBe('Done.');
    const said = await streamed(agent, history('Switched to the dark theme.'));
    expect(said.result.finalOutput).toBe('Switched to the dark theme.');
  });
});
