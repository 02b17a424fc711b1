/**
 * End to end: the real `openai` client and `@openai/agents` talk over HTTP to
 * the local mock OpenAI-compatible server (Responses for `openai`, Chat
 * Completions at `/v1beta/openai/` for `gemini`), or run offline on the
 * `scripted` provider; a real ChatKitServer turns the runs into ChatKit
 * events through `AgentContext` and `streamAgentResponse`. The agent and tool
 * code is the same for every provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, type InputGuardrail, type Model } from '@openai/agents';
import type { Widgets } from '@openai/chatkit';
import type { ThreadItem, ThreadStreamEvent } from '../../src/runtime/index.js';
import type { AgentContext } from '../../src/runtime/agents/index.js';
import { PROVIDER_ERROR_MESSAGES, createModel, type ScriptedTurn } from '../../src/runtime/providers/index.js';
import { startMockOpenAI, type MockOpenAI, type MockReply } from '../support/mock-openai.js';
import { call, parseFrames, stream, streamText, userInput } from '../support/chatkit.js';
import { AgentChatServer } from './chat-server.js';
import { deferred, doneItems, mockServerModel, requestContext, shape, textOf, type Ctx } from './helpers.js';
import { taskListWidget, taskTools, type TaskRow } from './tools.js';

type ProviderName = 'openai' | 'gemini' | 'scripted';

let mock: MockOpenAI;
beforeAll(async () => {
  mock = await startMockOpenAI();
});
afterAll(async () => {
  await mock?.close();
});

/** One scenario's model behaviour, written for the mock server and for the scripted provider. */
interface Scenario {
  replies: MockReply[];
  turns: ScriptedTurn[];
}

function modelFor(provider: ProviderName, scenario: Scenario): Model {
  mock.setScript({ replies: scenario.replies, chunkSize: 4 });
  switch (provider) {
    case 'openai':
    case 'gemini':
      return mockServerModel(mock, provider);
    case 'scripted':
      return createModel({ provider: 'scripted', script: { turns: scenario.turns }, env: {} });
  }
}

function serverFor(provider: ProviderName, scenario: Scenario, options: { tasks?: TaskRow[]; inputGuardrails?: InputGuardrail[] } = {}) {
  const tools = taskTools({ tasks: options.tasks ?? [] });
  const agent = new Agent<AgentContext<Ctx>>({
    name: 'Tasks',
    instructions: 'When a tool shows a widget, answer with one short sentence.',
    model: modelFor(provider, scenario),
    tools: [tools.listTasks, tools.draftNote, tools.getSelection],
    toolUseBehavior: { stopAtToolNames: ['get_selection'] },
    inputGuardrails: options.inputGuardrails ?? [],
  });
  return new AgentChatServer(agent);
}

const create = (text: string) => ({ type: 'threads.create', params: { input: userInput(text) } });

async function itemsOf(server: AgentChatServer, threadId: string): Promise<ThreadItem[]> {
  return (await call(server, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } }, requestContext)).data;
}

function threadIdOf(events: ThreadStreamEvent[]): string {
  const created = events.find((event) => event.type === 'thread.created');
  if (!created || created.type !== 'thread.created') throw new Error('no thread.created event');
  return created.thread.id;
}

function assistantTexts(events: ThreadStreamEvent[]): string[] {
  return doneItems(events).flatMap((item) => (item.type === 'assistant_message' ? [item.content.map((part) => part.text).join('')] : []));
}

describe.each<ProviderName>(['openai', 'gemini', 'scripted'])('agents bridge on the %s provider', (provider) => {
  it('streams the answer as text_delta events', async () => {
    const server = serverFor(provider, {
      replies: [{ when: 'hello', text: 'Hello! How can I help you today?' }],
      turns: [{ when: 'hello', text: 'Hello! How can I help you today?' }],
    });
    const requestsBefore = mock.requests.length;
    const events = await stream(server, create('hello there'), requestContext);

    const deltas = events.filter((e) => e.type === 'thread.item.updated' && e.update.type === 'assistant_message.content_part.text_delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(textOf(events)).toBe('Hello! How can I help you today?');
    expect(assistantTexts(events)).toEqual(['Hello! How can I help you today?']);
    const items = await itemsOf(server, threadIdOf(events));
    expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);

    const paths = mock.requests.slice(requestsBefore).map((request) => request.path);
    if (provider === 'openai') expect(paths).toEqual(['/v1/responses']);
    if (provider === 'gemini') expect(paths).toEqual(['/v1beta/openai/chat/completions']);
    if (provider === 'scripted') expect(paths).toEqual([]);
  });

  it('a zod tool streams the task ListView (empty state), then the agent answers', async () => {
    const server = serverFor(provider, {
      replies: [
        { when: 'tasks', toolCalls: [{ name: 'list_tasks', arguments: { filter: null } }] },
        { when: 'tasks', text: 'Here are your tasks.' },
      ],
      turns: [{ when: 'tasks', toolCalls: [{ name: 'list_tasks', arguments: { filter: null } }], text: 'Here are your tasks.' }],
    });
    const events = await stream(server, create('show my tasks'), requestContext);
    const afterUser = shape(events).slice(shape(events).indexOf('stream_options') + 1);
    expect(afterUser[0]).toBe('done:widget');
    expect(afterUser.slice(1, 3)).toEqual(['added:assistant_message', 'updated:assistant_message.content_part.added']);
    expect(afterUser.at(-1)).toBe('done:assistant_message');

    const widget = doneItems(events).find((item) => item.type === 'widget');
    const emptyState = taskListWidget([]) satisfies Widgets.WidgetRoot;
    expect(widget).toMatchObject({ type: 'widget', widget: emptyState, copy_text: '' });
    expect(assistantTexts(events)).toEqual(['Here are your tasks.']);
    expect((await itemsOf(server, threadIdOf(events))).map((item) => item.type)).toEqual(['user_message', 'widget', 'assistant_message']);
  });

  it('shows the tasks that exist, with the same tool code', async () => {
    const tasks: TaskRow[] = [
      { id: '1', name: 'Write docs', status: 'active', description: 'for the bridge' },
      { id: '2', name: 'Ship', status: 'done' },
    ];
    const server = serverFor(
      provider,
      {
        replies: [{ when: 'tasks', toolCalls: [{ name: 'list_tasks', arguments: { filter: null } }] }, { when: 'tasks', text: 'Two tasks.' }],
        turns: [{ when: 'tasks', toolCalls: [{ name: 'list_tasks', arguments: { filter: null } }], text: 'Two tasks.' }],
      },
      { tasks },
    );
    const events = await stream(server, create('list tasks'), requestContext);
    const widget = doneItems(events).find((item) => item.type === 'widget');
    expect(widget).toMatchObject({ widget: taskListWidget(tasks), copy_text: 'Write docs, Ship' });
    expect(widget?.type === 'widget' && widget.widget.type === 'ListView' && widget.widget.children).toHaveLength(2);
  });

  it('a streaming widget grows by value_delta', async () => {
    const note = 'Dear Harry, see you at the station';
    const server = serverFor(provider, {
      replies: [{ when: 'note', toolCalls: [{ name: 'draft_note', arguments: { text: note } }] }, { when: 'note', text: 'Noted.' }],
      turns: [{ when: 'note', toolCalls: [{ name: 'draft_note', arguments: { text: note } }], text: 'Noted.' }],
    });
    const events = await stream(server, create('write a note'), requestContext);
    const widgetEvents = events.filter(
      (e) => (e.type === 'thread.item.added' || e.type === 'thread.item.done') ? e.item.type === 'widget' : e.type === 'thread.item.updated' && e.update.type.startsWith('widget'),
    );
    expect(shape(widgetEvents)).toEqual([
      'added:widget',
      ...note.split(/(?= )/).map(() => 'updated:widget.streaming_text.value_delta'),
      'done:widget',
    ]);
    const deltas = widgetEvents.flatMap((e) => (e.type === 'thread.item.updated' && e.update.type === 'widget.streaming_text.value_delta' ? [e.update] : []));
    expect(deltas.map((delta) => delta.delta).join('')).toBe(note);
    expect(deltas.every((delta) => delta.component_id === 'note' && delta.done === false)).toBe(true);
    const done = doneItems(widgetEvents)[0];
    expect(done?.type === 'widget' && done.widget.children[1]).toEqual({ type: 'Markdown', id: 'note', value: note, streaming: true });
    expect(assistantTexts(events)).toEqual(['Noted.']);
  });

  it('completes a client tool round trip through threads.add_client_tool_output', async () => {
    const server = serverFor(provider, {
      replies: [
        { when: 'selected', toolCalls: [{ name: 'get_selection', arguments: { scope: 'page' }, callId: 'call_sel1' }] },
        { when: 'selected', text: 'You selected 2 nodes.' },
      ],
      turns: [{ when: 'selected', toolCalls: [{ name: 'get_selection', arguments: { scope: 'page' }, callId: 'call_sel1' }], text: 'You selected 2 nodes.' }],
    });
    const first = await stream(server, create('what is selected?'), requestContext);
    const threadId = threadIdOf(first);
    const pending = doneItems(first).at(-1);
    expect(pending).toMatchObject({ type: 'client_tool_call', status: 'pending', call_id: 'call_sel1', name: 'get_selection', arguments: { scope: 'page' } });
    expect(pending!.id).toMatch(provider === 'openai' ? /^fc_/ : /^tc_[0-9a-f]{24}$/);
    expect(assistantTexts(first)).toEqual([]);

    const requestsBefore = mock.requests.length;
    const second = await stream(server, { type: 'threads.add_client_tool_output', params: { thread_id: threadId, result: { nodes: ['n1', 'n2'] } } }, requestContext);
    expect(second[0]).toEqual({ type: 'stream_options', stream_options: { allow_cancel: true } });
    expect(assistantTexts(second)).toEqual(['You selected 2 nodes.']);

    const items = await itemsOf(server, threadId);
    expect(items.map((item) => item.type)).toEqual(['user_message', 'client_tool_call', 'assistant_message']);
    expect(items[1]).toMatchObject({ status: 'completed', call_id: 'call_sel1', output: { nodes: ['n1', 'n2'] } });

    if (provider !== 'scripted') {
      // The model saw the call and the browser's answer, paired by call id.
      const body = mock.requests.slice(requestsBefore).at(-1)!.body;
      const wire = JSON.stringify(body);
      expect(wire).toContain('call_sel1');
      // Written as Python's json.dumps writes it, as the reference sends it.
      expect(wire).toContain('{\\"nodes\\": [\\"n1\\", \\"n2\\"]}');
    }
  });

  it('an input guardrail trip removes what was already streamed', async () => {
    const textSeen = deferred();
    const noSecrets: InputGuardrail = {
      name: 'no_secrets',
      // Runs in parallel with the model; it decides only once text is on screen, so there is something to remove.
      execute: async () => {
        await textSeen.promise;
        return { tripwireTriggered: true, outputInfo: { reason: 'secret' } };
      },
    };
    const server = serverFor(
      provider,
      { replies: [{ when: 'secret', text: 'Sure, the secret code is 1234.' }], turns: [{ when: 'secret', text: 'Sure, the secret code is 1234.' }] },
      { inputGuardrails: [noSecrets] },
    );
    server.onEvent = (event) => {
      if (event.type === 'thread.item.updated' && event.update.type === 'assistant_message.content_part.text_delta') textSeen.resolve();
    };
    const events = await stream(server, create('tell me the secret'), requestContext);
    const messageId = events.find((e) => e.type === 'thread.item.added' && e.item.type === 'assistant_message');
    expect(messageId).toBeDefined();
    const id = messageId!.type === 'thread.item.added' ? messageId!.item.id : '';
    expect(textOf(events).length).toBeGreaterThan(0);
    expect(events).toContainEqual({ type: 'thread.item.removed', item_id: id });
    expect(events.at(-1)).toEqual({ type: 'error', code: 'custom', message: 'That request is not allowed here.', allow_retry: false });
    expect((await itemsOf(server, threadIdOf(events))).map((item) => item.type)).toEqual(['user_message']);
  });

  it('stops streaming and keeps the partial answer when the client goes away', async () => {
    const answer = 'This answer is long enough to be cut off somewhere in the middle of it.';
    const server = serverFor(provider, {
      // Paced frames so the client can leave mid-answer (pacing only; nothing here measures time).
      replies: [{ when: 'long', text: answer, delayMs: 15 }],
      turns: [{ when: 'long', text: answer, delayMs: 15 }],
    });
    const controller = new AbortController();
    let deltas = 0;
    server.onEvent = (event) => {
      // Leave on the second delta: the first one has reached the client by then.
      if (event.type === 'thread.item.updated' && event.update.type === 'assistant_message.content_part.text_delta' && ++deltas === 2) {
        controller.abort();
      }
    };
    const events = parseFrames(await streamText(server, create('a long answer please'), requestContext, controller.signal));
    expect(events.some((e) => e.type === 'thread.item.done' && e.item.type === 'assistant_message')).toBe(false);
    expect(server.lastRun?.cancelled).toBe(true);

    const items = await itemsOf(server, threadIdOf(events));
    expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    const partial = items[1]!.type === 'assistant_message' ? items[1]!.content[0]!.text : '';
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(answer.length);
    expect(answer.startsWith(partial)).toBe(true);
  });

  it.each([
    [401, PROVIDER_ERROR_MESSAGES.keyRejected, false],
    [429, PROVIDER_ERROR_MESSAGES.rateLimited, true],
  ] as const)('a provider %i becomes a ChatKit error event', async (status, message, allowRetry) => {
    const server = serverFor(provider, {
      replies: [{ when: 'fail', error: status }],
      turns: [{ when: 'fail', error: { status, message: 'provider said no' } }],
    });
    const events = await stream(server, create('please fail'), requestContext);
    expect(events.at(-1)).toEqual({ type: 'error', code: 'custom', message, allow_retry: allowRetry });
    expect(JSON.stringify(events)).not.toContain('sk-test');
    expect((await itemsOf(server, threadIdOf(events))).map((item) => item.type)).toEqual(['user_message']);
  });
});
