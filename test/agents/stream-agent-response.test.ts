import { describe, expect, it } from 'vitest';
import { Agent, run, tool, type RunContext } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall, modelStream } from '@openai/agents/testing';
import { z } from 'zod';
import type { Widgets } from '@openai/chatkit';
import type { ThreadStreamEvent } from '../../src/runtime/index.js';
import { AgentContext, streamAgentResponse } from '../../src/runtime/agents/index.js';
import { collect, doneItems, newThread, shape, textOf, type Ctx } from './helpers.js';

const usage = { requests: 1, inputTokens: 0, outputTokens: 0, totalTokens: 0 };

describe('streamAgentResponse on normalized events (any provider)', () => {
  it('streams a scripted answer as an assistant message with a generated id', async () => {
    const { agentContext, thread } = await newThread();
    const model = new ScriptedModel([
      modelStream([
        { type: 'response_started' },
        { type: 'output_text_delta', delta: 'Hel' },
        { type: 'output_text_delta', delta: 'lo!' },
        { type: 'response_done', response: { id: 'r1', usage, output: [assistantMessage('Hello!')] } },
      ]),
    ]);
    const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model });
    const events = await collect(streamAgentResponse(agentContext, await run(agent, 'hi', { context: agentContext, stream: true })));
    expect(shape(events)).toEqual([
      'added:assistant_message',
      'updated:assistant_message.content_part.added',
      'updated:assistant_message.content_part.text_delta',
      'updated:assistant_message.content_part.text_delta',
      'updated:assistant_message.content_part.done',
      'done:assistant_message',
    ]);
    const [added] = events as [Extract<ThreadStreamEvent, { type: 'thread.item.added' }>];
    expect(added.item).toMatchObject({ thread_id: thread.id, type: 'assistant_message', content: [] });
    expect(added.item.id).toMatch(/^msg_[0-9a-f]{24}$/);
    expect(events[4]).toEqual({
      type: 'thread.item.updated',
      item_id: added.item.id,
      update: { type: 'assistant_message.content_part.done', content_index: 0, content: { annotations: [], text: 'Hello!', type: 'output_text' } },
    });
    expect(doneItems(events)).toEqual([
      { id: added.item.id, thread_id: thread.id, created_at: expect.any(String), type: 'assistant_message', content: [{ annotations: [], text: 'Hello!', type: 'output_text' }] },
    ]);
  });

  it('does not reuse a Chat Completions chunk id as the item id, and opens one message per model response', async () => {
    const { agentContext } = await newThread();
    const echo = tool({ name: 'noop', description: 'nothing', parameters: z.object({}), execute: async () => 'ok' });
    const chunkMessage = (id: string, text: string) => ({ ...assistantMessage(text), id });
    const model = new ScriptedModel([
      modelStream([
        { type: 'output_text_delta', delta: 'First', itemId: 'chatcmpl-1' },
        { type: 'response_done', response: { id: 'chatcmpl-1', usage, output: [chunkMessage('chatcmpl-1', 'First'), functionCall('noop', {}, { callId: 'c1', id: 'chatcmpl-1' })] } },
      ]),
      modelStream([
        { type: 'output_text_delta', delta: 'Second', itemId: 'chatcmpl-2' },
        { type: 'response_done', response: { id: 'chatcmpl-2', usage, output: [chunkMessage('chatcmpl-2', 'Second')] } },
      ]),
    ]);
    const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model, tools: [echo] });
    const events = await collect(streamAgentResponse(agentContext, await run(agent, 'hi', { context: agentContext, stream: true })));
    const done = doneItems(events);
    expect(done.map((item) => item.type === 'assistant_message' && item.content[0]?.text)).toEqual(['First', 'Second']);
    expect(done.every((item) => /^msg_[0-9a-f]{24}$/.test(item.id))).toBe(true);
    expect(new Set(done.map((item) => item.id)).size).toBe(2);
  });

  it('emits a message that arrived only in response_done (a model that sends no deltas)', async () => {
    const { agentContext } = await newThread();
    const model = new ScriptedModel([
      modelStream([{ type: 'response_done', response: { id: 'r1', usage, output: [assistantMessage('Whole answer')] } }]),
    ]);
    const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model });
    const events = await collect(streamAgentResponse(agentContext, await run(agent, 'hi', { context: agentContext, stream: true })));
    expect(doneItems(events)).toMatchObject([{ type: 'assistant_message', content: [{ text: 'Whole answer' }] }]);
  });
});

describe('streamAgentResponse with raw Responses events', () => {
  it('reuses the Responses message id and adds citations', async () => {
    const { agentContext } = await newThread();
    const citation = { type: 'url_citation', url: 'https://a.example', title: 'A', start_index: 0, end_index: 5 };
    const raw = (event: Record<string, unknown>) => ({ type: 'model' as const, event });
    const model = new ScriptedModel([
      modelStream([
        { type: 'response_started' },
        raw({ type: 'response.output_item.added', output_index: 0, item: { id: 'msg_resp1', type: 'message', role: 'assistant', status: 'in_progress', content: [] } }),
        raw({ type: 'response.content_part.added', item_id: 'msg_resp1', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }),
        { type: 'output_text_delta', delta: 'Hello', itemId: 'msg_resp1' },
        raw({ type: 'response.output_text.delta', item_id: 'msg_resp1', output_index: 0, content_index: 0, delta: 'Hello' }),
        raw({ type: 'response.output_text.annotation.added', item_id: 'msg_resp1', output_index: 0, content_index: 0, annotation_index: 0, annotation: { type: 'file_citation', file_id: 'f', index: 1 } }),
        raw({ type: 'response.output_text.annotation.added', item_id: 'msg_resp1', output_index: 0, content_index: 0, annotation_index: 1, annotation: citation }),
        raw({ type: 'response.output_item.done', output_index: 0, item: { id: 'msg_resp1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello', annotations: [citation] }] } }),
        { type: 'response_done', response: { id: 'r1', usage, output: [assistantMessage('Hello', { id: 'msg_resp1' })] } },
      ]),
    ]);
    const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model });
    const events = await collect(streamAgentResponse(agentContext, await run(agent, 'hi', { context: agentContext, stream: true })));
    const annotation = { type: 'annotation', source: { type: 'url', url: 'https://a.example', title: 'A' }, index: 5 };
    expect(events.filter((e) => e.type === 'thread.item.updated' && e.update.type === 'assistant_message.content_part.annotation_added')).toEqual([
      // The file citation without a filename is dropped, so the URL citation gets index 0.
      { type: 'thread.item.updated', item_id: 'msg_resp1', update: { type: 'assistant_message.content_part.annotation_added', content_index: 0, annotation_index: 0, annotation } },
    ]);
    expect(textOf(events)).toBe('Hello');
    expect(doneItems(events)).toMatchObject([{ id: 'msg_resp1', content: [{ text: 'Hello', annotations: [annotation] }] }]);
  });

  it('turns reasoning summaries into a reasoning workflow that closes when the answer starts', async () => {
    const { agentContext } = await newThread();
    const raw = (event: Record<string, unknown>) => ({ type: 'model' as const, event });
    const model = new ScriptedModel([
      modelStream([
        raw({ type: 'response.output_item.added', output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } }),
        raw({ type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', summary_index: 0, delta: 'Think' }),
        raw({ type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', summary_index: 0, delta: 'ing' }),
        raw({ type: 'response.reasoning_summary_text.done', item_id: 'rs_1', summary_index: 0, text: 'Thinking' }),
        raw({ type: 'response.reasoning_summary_text.done', item_id: 'rs_1', summary_index: 1, text: 'More' }),
        raw({ type: 'response.output_item.added', output_index: 1, item: { id: 'msg_r', type: 'message', role: 'assistant', status: 'in_progress', content: [] } }),
        raw({ type: 'response.content_part.added', item_id: 'msg_r', output_index: 1, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }),
        { type: 'output_text_delta', delta: 'Answer', itemId: 'msg_r' },
        raw({ type: 'response.output_text.delta', item_id: 'msg_r', output_index: 1, content_index: 0, delta: 'Answer' }),
        raw({ type: 'response.output_text.done', item_id: 'msg_r', output_index: 1, content_index: 0, text: 'Answer' }),
        raw({ type: 'response.output_item.done', output_index: 1, item: { id: 'msg_r', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Answer', annotations: [] }] } }),
        { type: 'response_done', response: { id: 'r1', usage, output: [assistantMessage('Answer', { id: 'msg_r' })] } },
      ]),
    ]);
    const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model });
    const events = await collect(streamAgentResponse(agentContext, await run(agent, 'hi', { context: agentContext, stream: true })));
    expect(shape(events)).toEqual([
      'added:workflow',
      'updated:workflow.task.added',
      'updated:workflow.task.updated',
      'updated:workflow.task.updated',
      'updated:workflow.task.added',
      'done:workflow',
      'added:assistant_message',
      'updated:assistant_message.content_part.added',
      'updated:assistant_message.content_part.text_delta',
      'updated:assistant_message.content_part.done',
      'done:assistant_message',
    ]);
    const updates = events.flatMap((e) => (e.type === 'thread.item.updated' && e.update.type.startsWith('workflow') ? [e.update] : []));
    expect(updates).toEqual([
      { type: 'workflow.task.added', task_index: 0, task: { status_indicator: 'none', type: 'thought', content: 'Think' } },
      { type: 'workflow.task.updated', task_index: 0, task: { status_indicator: 'none', type: 'thought', content: 'Thinking' } },
      { type: 'workflow.task.updated', task_index: 0, task: { status_indicator: 'none', type: 'thought', content: 'Thinking' } },
      { type: 'workflow.task.added', task_index: 1, task: { status_indicator: 'none', type: 'thought', content: 'More' } },
    ]);
    expect(doneItems(events)[0]).toMatchObject({
      type: 'workflow',
      workflow: { type: 'reasoning', summary: { duration: expect.any(Number) }, expanded: false, tasks: [{ content: 'Thinking' }, { content: 'More' }] },
    });
  });

  it('streams a generated image with progress', async () => {
    const { agentContext } = await newThread();
    const raw = (event: Record<string, unknown>) => ({ type: 'model' as const, event });
    const model = new ScriptedModel([
      modelStream([
        raw({ type: 'response.output_item.added', output_index: 0, item: { id: 'ig_1', type: 'image_generation_call', status: 'in_progress' } }),
        raw({ type: 'response.image_generation_call.partial_image', item_id: 'ig_1', partial_image_index: 1, partial_image_b64: 'AAA' }),
        raw({ type: 'response.output_item.done', output_index: 0, item: { id: 'ig_1', type: 'image_generation_call', status: 'completed', result: 'BBB' } }),
        { type: 'response_done', response: { id: 'r1', usage, output: [assistantMessage('Here it is.')] } },
      ]),
    ]);
    const { ResponseStreamConverter } = await import('../../src/runtime/agents/index.js');
    const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model });
    const result = await run(agent, 'draw', { context: agentContext, stream: true });
    const events = await collect(streamAgentResponse(agentContext, result, { converter: new ResponseStreamConverter({ partialImages: 3 }) }));
    expect(shape(events).slice(0, 3)).toEqual(['added:generated_image', 'updated:generated_image.updated', 'done:generated_image']);
    expect(events[1]).toMatchObject({ update: { image: { id: 'ig_1', url: 'data:image/png;base64,AAA' }, progress: 1 / 3 } });
    expect(doneItems(events)[0]).toMatchObject({ type: 'generated_image', image: { id: 'ig_1', url: 'data:image/png;base64,BBB' } });
  });
});

describe('tools streaming through the AgentContext', () => {
  it('puts a widget, progress and workflow tasks from a zod tool in order, before the answer', async () => {
    const { agentContext } = await newThread();
    const showTasks = tool({
      name: 'show_tasks',
      description: 'Show the task list',
      parameters: z.object({ filter: z.string().nullable() }),
      execute: async (_args, runContext?: RunContext<AgentContext<Ctx>>) => {
        const ctx = runContext!.context;
        await ctx.progress('Loading tasks…', 'search');
        await ctx.addWorkflowTask({ type: 'custom', title: 'Loaded 0 tasks', status_indicator: 'complete' });
        const widget = {
          type: 'ListView',
          status: { text: 'Tasks (0)', icon: 'check-circle' },
          children: [{ type: 'ListViewItem', children: [{ type: 'Text', value: 'No tasks found', color: 'secondary', italic: true }] }],
        } satisfies Widgets.ListView;
        await ctx.streamWidget(widget, { copyText: 'No tasks' });
        return 'Shown to the user.';
      },
    });
    const model = new ScriptedModel([
      [functionCall('show_tasks', { filter: null }, { callId: 'call_1', id: 'fc_1' })],
      [assistantMessage('Here are your tasks.')],
    ]);
    const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model, tools: [showTasks] });
    const events = await collect(streamAgentResponse(agentContext, await run(agent, 'tasks?', { context: agentContext, stream: true })));
    expect(shape(events)).toEqual([
      'progress_update',
      'added:workflow',
      'done:workflow', // the widget closes the workflow above it
      'done:widget',
      'added:assistant_message',
      'updated:assistant_message.content_part.added',
      'updated:assistant_message.content_part.text_delta',
      'updated:assistant_message.content_part.done',
      'done:assistant_message',
    ]);
    expect(events[0]).toEqual({ type: 'progress_update', icon: 'search', text: 'Loading tasks…' });
    expect(doneItems(events)[1]).toMatchObject({ type: 'widget', copy_text: 'No tasks', widget: { type: 'ListView', status: { text: 'Tasks (0)' } } });
    expect(model.lastCall?.request.input).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'function_call_result', callId: 'call_1' })]));
  });

  it('streams a growing widget as value deltas', async () => {
    const { agentContext } = await newThread();
    const draft = tool({
      name: 'draft',
      description: 'Draft a letter',
      parameters: z.object({}),
      execute: async (_args, runContext?: RunContext<AgentContext<Ctx>>) => {
        const card = (value: string, streaming: boolean) =>
          ({ type: 'Card', children: [{ type: 'Markdown', id: 'body', value, streaming }] }) satisfies Widgets.Card;
        async function* states() {
          yield card('', true);
          yield card('Dear', true);
          yield card('Dear Harry,', true);
        }
        await runContext!.context.streamWidget(states());
        return 'drafted';
      },
    });
    const model = new ScriptedModel([[functionCall('draft', {}, { callId: 'c1' })], [assistantMessage('Done.')]]);
    const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model, tools: [draft] });
    const events = await collect(streamAgentResponse(agentContext, await run(agent, 'write', { context: agentContext, stream: true })));
    const widgetUpdates = events.flatMap((e) => (e.type === 'thread.item.updated' && e.update.type.startsWith('widget') ? [e.update] : []));
    expect(widgetUpdates).toEqual([
      { type: 'widget.streaming_text.value_delta', component_id: 'body', delta: 'Dear', done: false },
      { type: 'widget.streaming_text.value_delta', component_id: 'body', delta: ' Harry,', done: false },
    ]);
    expect(shape(events).slice(0, 4)).toEqual(['added:widget', 'updated:widget.streaming_text.value_delta', 'updated:widget.streaming_text.value_delta', 'done:widget']);
  });

  it('stops at a client tool and ends the turn with a pending call; the open workflow is saved without done', async () => {
    const { agentContext, store, thread } = await newThread();
    const getSelection = tool({
      name: 'get_selection',
      description: 'Ask the browser for the selection',
      parameters: z.object({ scope: z.string() }),
      execute: async ({ scope }, runContext?: RunContext<AgentContext<Ctx>>) => {
        await runContext!.context.addWorkflowTask({ type: 'custom', title: 'Asking the page' });
        runContext!.context.clientToolCall('get_selection', { scope });
        return 'sent to the client';
      },
    });
    // The Responses API announces the function call item before the run item arrives.
    const announced = { type: 'model' as const, event: { type: 'response.output_item.added', output_index: 0, item: { id: 'fc_abc', type: 'function_call', call_id: 'call_abc', name: 'get_selection', arguments: '' } } };
    const call = functionCall('get_selection', { scope: 'page' }, { callId: 'call_abc', id: 'fc_abc' });
    const model = new ScriptedModel([modelStream([announced, { type: 'response_done', response: { id: 'r1', usage, output: [call] } }])]);
    const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model, tools: [getSelection], toolUseBehavior: { stopAtToolNames: ['get_selection'] } });
    const events = await collect(streamAgentResponse(agentContext, await run(agent, 'what?', { context: agentContext, stream: true })));
    expect(shape(events)).toEqual(['added:workflow', 'done:client_tool_call']);
    const pending = doneItems(events)[0];
    expect(pending).toEqual({
      id: 'fc_abc', thread_id: thread.id, created_at: expect.any(String), type: 'client_tool_call',
      status: 'pending', call_id: 'call_abc', name: 'get_selection', arguments: { scope: 'page' },
    });
    const stored = await store.loadThreadItems(thread.id, null, 10, 'asc', { userId: 'u1' });
    expect(stored.data).toMatchObject([{ type: 'workflow', workflow: { tasks: [{ title: 'Asking the page' }] } }]);

    // The next turn continues that workflow: the answer closes it with a done for the same id.
    const next = new AgentContext<Ctx>({ thread, store, requestContext: { userId: 'u1' } });
    await store.addThreadItem(thread.id, { ...pending!, status: 'completed', output: { nodes: 2 } } as typeof pending & {}, { userId: 'u1' });
    const answer = new ScriptedModel([[assistantMessage('2 nodes.')]]);
    const events2 = await collect(streamAgentResponse(next, await run(new Agent<AgentContext<Ctx>>({ name: 'A', model: answer }), 'x', { context: next, stream: true })));
    expect(shape(events2).slice(0, 2)).toEqual(['done:workflow', 'added:assistant_message']);
    expect(doneItems(events2)[0]!.id).toBe(stored.data[0]!.id);
  });

  it('generates ids for a client tool call whose function call has no Responses id', async () => {
    const { agentContext } = await newThread();
    const ask = tool({
      name: 'ask', description: 'ask', parameters: z.object({}),
      execute: async (_a, rc?: RunContext<AgentContext<Ctx>>) => (rc!.context.clientToolCall('ask'), 'ok'),
    });
    const model = new ScriptedModel([[functionCall('ask', {}, { callId: 'call_x', id: 'fc_not_announced' })]]);
    const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model, tools: [ask], toolUseBehavior: { stopAtToolNames: ['ask'] } });
    const events = await collect(streamAgentResponse(agentContext, await run(agent, 'x', { context: agentContext, stream: true })));
    expect(doneItems(events)).toMatchObject([{ type: 'client_tool_call', id: expect.stringMatching(/^tc_[0-9a-f]{24}$/), call_id: 'call_x', arguments: {} }]);
  });
});

describe('handoffs', () => {
  it('streams the answer of the agent handed off to; the handoff itself shows nothing', async () => {
    const { agentContext } = await newThread();
    const billing = new Agent<AgentContext<Ctx>>({ name: 'Billing', model: new ScriptedModel([[assistantMessage('Billing here: your invoice is paid.')]]) });
    const triage = new Agent<AgentContext<Ctx>>({
      name: 'Triage',
      model: new ScriptedModel([[assistantMessage('Let me transfer you.'), functionCall('transfer_to_Billing', {}, { callId: 'h1' })]]),
      handoffs: [billing],
    });
    const events = await collect(streamAgentResponse(agentContext, await run(triage, 'invoice?', { context: agentContext, stream: true })));
    expect(doneItems(events).map((item) => item.type === 'assistant_message' && item.content[0]?.text)).toEqual([
      'Let me transfer you.',
      'Billing here: your invoice is paid.',
    ]);
    expect(new Set(shape(events))).toEqual(
      new Set([
        'added:assistant_message',
        'updated:assistant_message.content_part.added',
        'updated:assistant_message.content_part.text_delta',
        'updated:assistant_message.content_part.done',
        'done:assistant_message',
      ]),
    );
  });
});

describe('cancellation', () => {
  it('stops when the signal given to the context and the run aborts, and the run is cancelled', async () => {
    const { thread, store } = await newThread();
    const controller = new AbortController();
    const agentContext = new AgentContext<Ctx>({ thread, store, requestContext: { userId: 'u1' }, signal: controller.signal });
    const never = new Promise<never>(() => {});
    const model = new ScriptedModel([
      modelStream((async function* () {
        yield { type: 'output_text_delta' as const, delta: 'Partial' };
        await never;
      })()),
    ]);
    const result = await run(new Agent<AgentContext<Ctx>>({ name: 'A', model }), 'hi', {
      context: agentContext,
      stream: true,
      signal: controller.signal,
    });
    const seen: ThreadStreamEvent[] = [];
    for await (const event of streamAgentResponse(agentContext, result)) {
      seen.push(event);
      if (event.type === 'thread.item.updated' && event.update.type === 'assistant_message.content_part.text_delta') controller.abort();
    }
    expect(textOf(seen)).toBe('Partial');
    expect(seen.some((e) => e.type === 'thread.item.done')).toBe(false);
    expect(result.cancelled).toBe(true);
  });
});
