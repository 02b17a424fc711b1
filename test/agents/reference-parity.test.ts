/**
 * The scenarios of chatkit-python's agents tests, driven through
 * `streamAgentResponse` with the same inputs (raw Responses events, run
 * items, context events) and checked against the ChatKit events the
 * reference produces: types, order, ids, indexes and payloads.
 *
 * `FakeRun` stands in for a streamed run the way the reference's tests push
 * events into a `RunResultStreaming`: events are added by hand, and the run
 * ends, or fails with a guardrail trip, when the test says so.
 */
import { describe, expect, it } from 'vitest';
import {
  Agent,
  InputGuardrailTripwireTriggered,
  OutputGuardrailTripwireTriggered,
  RunItemStreamEvent,
  RunRawModelStreamEvent,
  RunToolCallItem,
  type RunStreamEvent,
} from '@openai/agents';
import type { Widgets } from '@openai/chatkit';
import {
  MemoryStore,
  NotImplementedError,
  now,
  type HiddenContextItem,
  type ThreadItem,
  type ThreadMetadata,
  type ThreadStreamEvent,
  type UserMessageTagContent,
  type WorkflowItem,
} from '../../src/runtime/index.js';
import type { StoreItemType } from '../../src/runtime/ids.js';
import {
  AgentContext,
  ResponseStreamConverter,
  ThreadItemConverter,
  simpleToAgentInput,
  streamAgentResponse,
  type FileCitation,
  type URLCitation,
} from '../../src/runtime/agents/index.js';
import { pythonJsonDumps } from '../../src/runtime/agents/python-json.js';
import { accumulateText } from '../../src/runtime/widgets/index.js';
import { collect, type Ctx } from './helpers.js';

// ---------------------------------------------------------------- fixtures

/** Ids as the reference's mock store makes them: `<type>_id`. */
class FixedIdStore extends MemoryStore<Ctx> {
  override generateItemId(type: StoreItemType): string {
    return `${type}_id`;
  }
}

const requestContext: Ctx = { userId: 'u1' };

async function setup(existing: ThreadItem[] = []) {
  const store = new FixedIdStore();
  const thread: ThreadMetadata = { id: 'thr_123', created_at: now(), status: { type: 'active' }, metadata: {} };
  await store.saveThread(thread, requestContext);
  for (const item of existing) await store.addThreadItem(thread.id, item, requestContext);
  const ctx = new AgentContext<Ctx>({ thread, store, requestContext });
  return { store, thread, ctx };
}

type Ending = { error?: unknown };

class FakeRun implements AsyncIterable<RunStreamEvent> {
  private readonly queue: (RunStreamEvent | Ending)[] = [];
  private wake: (() => void) | undefined;

  add(event: RunStreamEvent): void {
    this.push(event);
  }
  raw(event: Record<string, unknown>): void {
    this.push(new RunRawModelStreamEvent({ type: 'model', event }));
  }
  toolCalled(rawItem: Record<string, unknown>): void {
    this.push(new RunItemStreamEvent('tool_called', new RunToolCallItem(rawItem as never, new Agent({ name: 'Assistant' }))));
  }
  done(): void {
    this.push({});
  }
  fail(error: unknown): void {
    this.push({ error });
  }

  private push(entry: RunStreamEvent | Ending): void {
    this.queue.push(entry);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RunStreamEvent> {
    while (true) {
      const entry = this.queue.shift();
      if (!entry) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if ('type' in entry) {
        yield entry;
        continue;
      }
      if (entry.error) throw entry.error;
      return;
    }
  }
}

const inputTrip = () => new InputGuardrailTripwireTriggered('input guardrail tripped', { guardrail: { type: 'input', name: 'g' }, output: { tripwireTriggered: true, outputInfo: null } } as never);
const outputTrip = () => new OutputGuardrailTripwireTriggered('output guardrail tripped', { guardrail: { type: 'output', name: 'g' }, output: { tripwireTriggered: true, outputInfo: null } } as never);

const card = (children: Widgets.CardChild[]): Widgets.Card => ({ type: 'Card', children });
const text = (props: Omit<Widgets.TextComponent, 'type'>): Widgets.TextComponent => ({ type: 'Text', ...props });

const message = (id: string, content: unknown[], status = 'completed') => ({ id, type: 'message', role: 'assistant', status, content });
const outputText = (value: string, annotations: unknown[] = []) => ({ type: 'output_text', text: value, annotations });
const updated = (item_id: string, update: Record<string, unknown>) => ({ type: 'thread.item.updated', item_id, update });

function thoughtWorkflow(ctx: AgentContext<Ctx>): WorkflowItem {
  expect(ctx.workflowItem).not.toBeNull();
  return ctx.workflowItem!;
}

// ---------------------------------------------------------------- widgets from the context

describe('reference parity: widgets streamed by a tool', () => {
  it('a single widget is one done event, whatever run items pass by', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    run.toolCalled({ type: 'function_call', callId: 'call_1', name: 'show', arguments: '{}' });
    await ctx.streamWidget(card([text({ value: 'Hello, world!' })]));
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events).toEqual([
      { type: 'thread.item.done', item: expect.objectContaining({ id: 'message_id', thread_id: 'thr_123', type: 'widget', widget: card([text({ value: 'Hello, world!' })]) }) },
    ]);
  });

  it('a sequence of states with an id-ed Text streams as added, value_delta, done', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    const render = (n: number) => card([text({ id: 'text', value: 'Hello, world'.slice(0, n) })]);
    await ctx.streamWidget((async function* () {
      yield render(0);
      yield render(12);
    })());
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events).toMatchObject([
      { type: 'thread.item.added', item: { type: 'widget', widget: render(0) } },
      // `done` is true: the Text does not say it is still streaming.
      updated('message_id', { type: 'widget.streaming_text.value_delta', component_id: 'text', delta: 'Hello, world', done: true }),
      { type: 'thread.item.done', item: { type: 'widget', widget: render(12) } },
    ]);
    expect(events).toHaveLength(3);
  });

  it('a state that changes more than text replaces the whole widget with root.updated', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    const first = card([text({ id: 'text', value: 'Hello!' })]);
    const second = card([text({ key: 'other text', value: 'World!', streaming: false })]);
    await ctx.streamWidget((async function* () {
      yield first;
      yield second;
    })());
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events).toMatchObject([
      { type: 'thread.item.added', item: { widget: first } },
      updated('message_id', { type: 'widget.root.updated', widget: second }),
      { type: 'thread.item.done', item: { widget: second } },
    ]);
    expect(events).toHaveLength(3);
  });
});

// ---------------------------------------------------------------- client tool calls

describe('reference parity: client tool calls', () => {
  it('uses the raw function call id and call id for the pending item', async () => {
    const { ctx } = await setup();
    ctx.clientToolCall('get_selection', {});
    const run = new FakeRun();
    run.toolCalled({ type: 'function_call', id: 'fc_123', callId: 'call_123', name: 'get_selection', arguments: '{}', status: 'completed' });
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events).toEqual([
      {
        type: 'thread.item.done',
        item: { id: 'fc_123', thread_id: 'thr_123', created_at: expect.any(String), type: 'client_tool_call', status: 'pending', call_id: 'call_123', name: 'get_selection', arguments: {} },
      },
    ]);
  });

  it('generates both ids when the run had no function call', async () => {
    const { ctx } = await setup();
    ctx.clientToolCall('get_selection', { scope: 'page' });
    const run = new FakeRun();
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events).toMatchObject([{ type: 'thread.item.done', item: { id: 'tool_call_id', call_id: 'tool_call_id', arguments: { scope: 'page' } } }]);
  });
});

// ---------------------------------------------------------------- merging

describe('reference parity: merging context events with the run', () => {
  it('yields context events before the run produces anything, and ends only when the run ends', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    await ctx.stream({ type: 'thread.item.added', item: { id: '123', thread_id: 'thr_123', created_at: now(), type: 'widget', widget: card([text({ id: 'text', value: 'Hello, world!' })]) } });
    const stream = streamAgentResponse(ctx, run);
    expect((await stream.next()).value).toMatchObject({ type: 'thread.item.added' });
    let settled = false;
    const next = stream.next().then((result) => ((settled = true), result));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    run.done();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('yields both a context event and a raw text delta', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    await ctx.stream({ type: 'thread.item.added', item: { id: '123', thread_id: 'thr_123', created_at: now(), type: 'widget', widget: card([text({ id: 'text', value: 'Hello, world!' })]) } });
    run.raw({ type: 'response.output_text.delta', delta: 'Hello, world!', content_index: 0, item_id: '123', logprobs: [], output_index: 0, sequence_number: 0 });
    const stream = streamAgentResponse(ctx, run);
    const first = (await stream.next()).value as ThreadStreamEvent;
    const second = (await stream.next()).value as ThreadStreamEvent;
    expect(new Set([first.type, second.type])).toEqual(new Set(['thread.item.added', 'thread.item.updated']));
    run.done();
    expect((await stream.next()).done).toBe(true);
  });
});

// ---------------------------------------------------------------- raw Responses events

describe('reference parity: raw Responses event mapping', () => {
  const cases: [string, Record<string, unknown>, ThreadStreamEvent][] = [
    [
      'output_text.delta → text_delta',
      { type: 'response.output_text.delta', delta: 'Hello, world!', content_index: 0, item_id: '123', logprobs: [], output_index: 0, sequence_number: 0 },
      updated('123', { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'Hello, world!' }) as ThreadStreamEvent,
    ],
    [
      'content_part.added → content_part.added with its index and text',
      { type: 'response.content_part.added', part: outputText('New content'), content_index: 1, item_id: '123', output_index: 0, sequence_number: 1 },
      updated('123', { type: 'assistant_message.content_part.added', content_index: 1, content: { annotations: [], text: 'New content', type: 'output_text' } }) as ThreadStreamEvent,
    ],
    [
      'output_text.done → content_part.done without annotations',
      { type: 'response.output_text.done', text: 'Final text', content_index: 0, item_id: '123', logprobs: [], output_index: 0, sequence_number: 2 },
      updated('123', { type: 'assistant_message.content_part.done', content_index: 0, content: { annotations: [], text: 'Final text', type: 'output_text' } }) as ThreadStreamEvent,
    ],
    [
      'output_text.annotation.added (file citation) → annotation_added',
      {
        type: 'response.output_text.annotation.added',
        annotation: { type: 'file_citation', file_id: 'file_123', filename: 'file.txt', index: 5 },
        content_index: 0, item_id: '123', annotation_index: 0, output_index: 0, sequence_number: 3,
      },
      updated('123', {
        type: 'assistant_message.content_part.annotation_added',
        content_index: 0,
        annotation_index: 0,
        annotation: { type: 'annotation', source: { type: 'file', filename: 'file.txt', title: 'file.txt' }, index: 5 },
      }) as ThreadStreamEvent,
    ],
  ];
  for (const [name, raw, expected] of cases) {
    it(name, async () => {
      const { ctx } = await setup();
      const run = new FakeRun();
      run.raw(raw);
      run.done();
      expect(await collect(streamAgentResponse(ctx, run))).toEqual([expected]);
    });
  }

  it('ignores a reasoning_text content part', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    run.raw({ type: 'response.content_part.added', part: { type: 'reasoning_text', text: 'hmm' }, content_index: 0, item_id: 'rs_1', output_index: 0 });
    run.done();
    expect(await collect(streamAgentResponse(ctx, run))).toEqual([]);
  });

  it('drops an annotation it cannot convert and keeps the indexes compact', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    const annotations = [
      { type: 'file_citation', file_id: 'file_invalid', filename: '', index: 0 },
      { type: 'container_file_citation', container_id: 'container_1', file_id: 'file_123', filename: 'container.txt', start_index: 0, end_index: 3 },
      { type: 'url_citation', url: 'https://example.com', title: 'Example', start_index: 1, end_index: 5 },
    ];
    annotations.forEach((annotation, n) =>
      run.raw({ type: 'response.output_text.annotation.added', annotation, content_index: 0, item_id: 'item_123', annotation_index: n, output_index: 0, sequence_number: n }),
    );
    run.done();
    expect(await collect(streamAgentResponse(ctx, run))).toEqual([
      updated('item_123', {
        type: 'assistant_message.content_part.annotation_added', content_index: 0, annotation_index: 0,
        annotation: { type: 'annotation', source: { type: 'file', filename: 'container.txt', title: 'container.txt' }, index: 3 },
      }),
      updated('item_123', {
        type: 'assistant_message.content_part.annotation_added', content_index: 0, annotation_index: 1,
        annotation: { type: 'annotation', source: { type: 'url', url: 'https://example.com', title: 'Example' }, index: 5 },
      }),
    ]);
  });

  it('uses a custom converter for streamed annotations and for the final message', async () => {
    const { ctx } = await setup();
    const calls: string[] = [];
    class Custom extends ResponseStreamConverter {
      override async fileCitationToAnnotation(_citation: FileCitation) {
        calls.push('file_citation');
        return { type: 'annotation' as const, source: { type: 'file' as const, filename: 'report.pdf', title: 'Usage Report', description: 'Usage report for the month of January' }, index: 111 };
      }
      override async urlCitationToAnnotation(_citation: URLCitation) {
        calls.push('url_citation');
        return { type: 'annotation' as const, source: { type: 'url' as const, url: 'https://custom.example/url', title: 'Custom' }, index: 222 };
      }
    }
    const run = new FakeRun();
    run.raw({
      type: 'response.output_text.annotation.added',
      annotation: { type: 'file_citation', file_id: 'file_123', filename: 'file.txt', index: 0 },
      content_index: 0, item_id: 'm_1', annotation_index: 0, output_index: 0, sequence_number: 0,
    });
    run.raw({
      type: 'response.output_item.done',
      item: message('m_1', [outputText('Hello!', [{ type: 'url_citation', url: 'https://example.com', title: 'Example', start_index: 0, end_index: 7 }])]),
      output_index: 0, sequence_number: 1,
    });
    run.done();
    const events = await collect(streamAgentResponse(ctx, run, { converter: new Custom() }));
    expect(events).toEqual([
      updated('m_1', {
        type: 'assistant_message.content_part.annotation_added', content_index: 0, annotation_index: 0,
        annotation: { type: 'annotation', source: { type: 'file', filename: 'report.pdf', title: 'Usage Report', description: 'Usage report for the month of January' }, index: 111 },
      }),
      {
        type: 'thread.item.done',
        item: {
          id: 'm_1', thread_id: 'thr_123', created_at: expect.any(String), type: 'assistant_message',
          content: [{ type: 'output_text', text: 'Hello!', annotations: [{ type: 'annotation', source: { type: 'url', url: 'https://custom.example/url', title: 'Custom' }, index: 222 }] }],
        },
      },
    ]);
    expect(calls).toEqual(['file_citation', 'url_citation']);
  });

  it('converts every content part and annotation type of a finished message, ignoring other output items', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    run.raw({
      type: 'response.output_item.done',
      item: { id: 'fs_0', type: 'file_search_call', status: 'completed', queries: ['Hello, world!'], results: [{ file_id: 'f_123', filename: 'test.txt', text: 'Hello, world!', score: 1 }] },
      output_index: 0, sequence_number: 0,
    });
    run.raw({
      type: 'response.output_item.done',
      item: message('1', [
        outputText('Hello, world!', [
          { type: 'file_citation', file_id: 'f_123', index: 0, filename: 'test.txt' },
          { type: 'container_file_citation', container_id: 'container_1', file_id: 'f_456', filename: 'container.txt', start_index: 0, end_index: 3 },
          { type: 'url_citation', url: 'https://www.google.com', title: 'Google', start_index: 0, end_index: 10 },
          { type: 'file_path', file_id: '123', index: 0 },
        ]),
        outputText("Can't do that"),
      ]),
      output_index: 0, sequence_number: 0,
    });
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'thread.item.done',
      item: {
        id: '1',
        type: 'assistant_message',
        content: [
          {
            type: 'output_text',
            text: 'Hello, world!',
            annotations: [
              { type: 'annotation', source: { type: 'file', filename: 'test.txt', title: 'test.txt' }, index: 0 },
              { type: 'annotation', source: { type: 'file', filename: 'container.txt', title: 'container.txt' }, index: 3 },
              { type: 'annotation', source: { type: 'url', url: 'https://www.google.com', title: 'Google' }, index: 10 },
            ],
          },
          { type: 'output_text', text: "Can't do that", annotations: [] },
        ],
      },
    });
  });

  it('streams a whole Responses message with the Responses ids and content indexes, ignoring the normalized twins', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    const normalized = (data: Record<string, unknown>) => run.add(new RunRawModelStreamEvent(data as never));
    normalized({ type: 'response_started' });
    run.raw({ type: 'response.created', response: { id: 'resp_1' } });
    run.raw({ type: 'response.output_item.added', item: message('msg_1', [], 'in_progress'), output_index: 0 });
    run.raw({ type: 'response.content_part.added', item_id: 'msg_1', content_index: 0, part: outputText('') });
    normalized({ type: 'output_text_delta', delta: 'One', itemId: 'msg_1' });
    run.raw({ type: 'response.output_text.delta', item_id: 'msg_1', content_index: 0, delta: 'One' });
    run.raw({ type: 'response.output_text.done', item_id: 'msg_1', content_index: 0, text: 'One' });
    run.raw({ type: 'response.content_part.added', item_id: 'msg_1', content_index: 1, part: outputText('') });
    normalized({ type: 'output_text_delta', delta: 'Two', itemId: 'msg_1' });
    run.raw({ type: 'response.output_text.delta', item_id: 'msg_1', content_index: 1, delta: 'Two' });
    run.raw({ type: 'response.output_text.done', item_id: 'msg_1', content_index: 1, text: 'Two' });
    run.raw({ type: 'response.output_item.done', item: message('msg_1', [outputText('One'), outputText('Two')]), output_index: 0 });
    normalized({ type: 'response_done', response: { id: 'resp_1', usage: {}, output: [message('msg_1', [outputText('One'), outputText('Two')])] } });
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    const part = (t: string) => ({ annotations: [], text: t, type: 'output_text' });
    expect(events).toEqual([
      { type: 'thread.item.added', item: { id: 'msg_1', thread_id: 'thr_123', created_at: expect.any(String), type: 'assistant_message', content: [] } },
      updated('msg_1', { type: 'assistant_message.content_part.added', content_index: 0, content: part('') }),
      updated('msg_1', { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'One' }),
      updated('msg_1', { type: 'assistant_message.content_part.done', content_index: 0, content: part('One') }),
      updated('msg_1', { type: 'assistant_message.content_part.added', content_index: 1, content: part('') }),
      updated('msg_1', { type: 'assistant_message.content_part.text_delta', content_index: 1, delta: 'Two' }),
      updated('msg_1', { type: 'assistant_message.content_part.done', content_index: 1, content: part('Two') }),
      { type: 'thread.item.done', item: { id: 'msg_1', thread_id: 'thr_123', created_at: expect.any(String), type: 'assistant_message', content: [part('One'), part('Two')] } },
    ]);
  });
});

describe('Responses-like streams that announce no message (not in the reference)', () => {
  it('still sends the final message whole, once', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    const normalized = (data: Record<string, unknown>) => run.add(new RunRawModelStreamEvent(data as never));
    normalized({ type: 'response_started' });
    run.raw({ type: 'response.created', response: { id: 'resp_1' } });
    normalized({ type: 'output_text_delta', delta: 'Hi' });
    normalized({ type: 'response_done', response: { id: 'resp_1', usage: {}, output: [message('m_x', [outputText('Hi')])] } });
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events.map((e) => e.type)).toEqual(['thread.item.added', 'thread.item.updated', 'thread.item.updated', 'thread.item.done']);
    expect(events.at(-1)).toMatchObject({ item: { id: 'message_id', type: 'assistant_message', content: [{ text: 'Hi' }] } });
  });

  it('treats the next model response on its own: a Responses answer, then a model that only sends normalized events', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    const normalized = (data: Record<string, unknown>) => run.add(new RunRawModelStreamEvent(data as never));
    run.raw({ type: 'response.output_item.added', item: message('msg_r', [], 'in_progress'), output_index: 0 });
    run.raw({ type: 'response.output_item.done', item: message('msg_r', [outputText('First')]), output_index: 0 });
    normalized({ type: 'response_done', response: { id: 'resp_1', usage: {}, output: [message('msg_r', [outputText('First')])] } });
    run.raw({ type: 'response.completed', response: { id: 'resp_1' } });
    normalized({ type: 'output_text_delta', delta: 'Second' });
    normalized({ type: 'response_done', response: { id: 'r2', usage: {}, output: [message('x', [outputText('Second')])] } });
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    const done = events.flatMap((e) => (e.type === 'thread.item.done' ? [e.item] : []));
    expect(done).toMatchObject([
      { id: 'msg_r', content: [{ text: 'First' }] },
      { id: 'message_id', content: [{ text: 'Second' }] },
    ]);
  });
});

// ---------------------------------------------------------------- guardrails

describe('reference parity: guardrail trips', () => {
  for (const [name, trip] of [['input', inputTrip], ['output', outputTrip]] as const) {
    it(`${name}: removes the run's message and the context's items, then rethrows`, async () => {
      const { ctx } = await setup();
      const run = new FakeRun();
      run.raw({ type: 'response.output_item.added', item: message('1', [outputText('Hello, world!')]), output_index: 0, sequence_number: 0 });
      await ctx.stream({ type: 'thread.item.added', item: { id: '2', thread_id: 'thr_123', created_at: now(), type: 'assistant_message', content: [{ type: 'output_text', text: 'Hello, world!', annotations: [] }] } });
      await ctx.stream({ type: 'thread.item.done', item: { id: '3', thread_id: 'thr_123', created_at: now(), type: 'widget', widget: card([text({ id: 'text', value: 'Hello, world!' })]) } });
      const stream = streamAgentResponse(ctx, run);
      const events: ThreadStreamEvent[] = [];
      for (let n = 0; n < 3; n++) events.push((await stream.next()).value as ThreadStreamEvent);
      run.fail(trip());
      const error = await (async () => {
        try {
          for await (const event of stream) events.push(event);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(name === 'input' ? InputGuardrailTripwireTriggered : OutputGuardrailTripwireTriggered);
      const removed = events.flatMap((event) => (event.type === 'thread.item.removed' ? [event.item_id] : []));
      expect(new Set(removed)).toEqual(new Set(['1', '2', '3']));
    });
  }
});

// ---------------------------------------------------------------- generated images

describe('reference parity: image generation', () => {
  const added = { type: 'response.output_item.added', item: { type: 'image_generation_call', id: 'img_call_1' }, output_index: 0, sequence_number: 0 };
  const finished = { type: 'response.output_item.done', item: { type: 'image_generation_call', id: 'img_call_1', result: 'dGVzdA==' }, output_index: 0, sequence_number: 2 };

  it('adds an image item with a message id, then finishes it with a data URL', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    run.raw(added);
    run.raw(finished);
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events).toEqual([
      { type: 'thread.item.added', item: { id: 'message_id', thread_id: 'thr_123', created_at: expect.any(String), type: 'generated_image' } },
      { type: 'thread.item.done', item: { id: 'message_id', thread_id: 'thr_123', created_at: expect.any(String), type: 'generated_image', image: { id: 'img_call_1', url: 'data:image/png;base64,dGVzdA==' } } },
    ]);
    expect(events[0]).not.toHaveProperty('item.image');
  });

  it('asks a custom converter for the URL of the final image', async () => {
    const { ctx } = await setup();
    const calls: [string, string, number | undefined][] = [];
    class Custom extends ResponseStreamConverter {
      override async base64ImageToUrl(imageId: string, base64Image: string, partialImageIndex?: number) {
        calls.push([imageId, base64Image, partialImageIndex]);
        return `https://example.com/${imageId}`;
      }
    }
    const run = new FakeRun();
    run.raw(added);
    run.raw(finished);
    run.done();
    const events = await collect(streamAgentResponse(ctx, run, { converter: new Custom() }));
    expect(events).toMatchObject([{ type: 'thread.item.added' }, { type: 'thread.item.done', item: { image: { id: 'img_call_1', url: 'https://example.com/img_call_1' } } }]);
    expect(calls).toEqual([['img_call_1', 'dGVzdA==', undefined]]);
  });

  it('reports partial images as progress over the expected count', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    run.raw(added);
    run.raw({ type: 'response.image_generation_call.partial_image', partial_image_b64: 'dGVzdA==', partial_image_index: 1, item_id: 'img_call_1', output_index: 0, sequence_number: 1 });
    run.raw(finished);
    run.done();
    const events = await collect(streamAgentResponse(ctx, run, { converter: new ResponseStreamConverter({ partialImages: 3 }) }));
    expect(events).toHaveLength(3);
    expect(events[1]).toEqual(updated('message_id', { type: 'generated_image.updated', image: { id: 'img_call_1', url: 'data:image/png;base64,dGVzdA==' }, progress: 1 / 3 }));
    expect(events[2]).toMatchObject({ type: 'thread.item.done', item: { image: { id: 'img_call_1', url: 'data:image/png;base64,dGVzdA==' } } });
  });
});

// ---------------------------------------------------------------- reasoning workflows

describe('reference parity: reasoning workflows', () => {
  const reasoningAdded = { type: 'response.output_item.added', item: { id: 'resp_1', type: 'reasoning', summary: [] }, output_index: 0, sequence_number: 0 };
  const thought = (content: string) => ({ status_indicator: 'none', type: 'thought', content });

  it('streams the first thought and adds later ones whole', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    run.raw(reasoningAdded);
    run.raw({ type: 'response.reasoning_summary_text.delta', item_id: 'resp_1', summary_index: 0, delta: 'Think' });
    run.raw({ type: 'response.reasoning_summary_text.delta', item_id: 'resp_1', summary_index: 0, delta: 'ing 1' });
    run.raw({ type: 'response.reasoning_summary_text.done', item_id: 'resp_1', summary_index: 0, text: 'Thinking 1' });
    run.raw({ type: 'response.reasoning_summary_text.delta', item_id: 'resp_1', summary_index: 1, delta: 'Think' });
    run.raw({ type: 'response.reasoning_summary_text.delta', item_id: 'resp_1', summary_index: 1, delta: 'ing 2' });
    run.raw({ type: 'response.reasoning_summary_text.done', item_id: 'resp_1', summary_index: 1, text: 'Thinking 2' });
    run.done();
    const stream = streamAgentResponse(ctx, run);
    const next = async () => (await stream.next()).value as ThreadStreamEvent;

    expect(await next()).toEqual({
      type: 'thread.item.added',
      item: { id: 'workflow_id', thread_id: 'thr_123', created_at: expect.any(String), type: 'workflow', workflow: { type: 'reasoning', tasks: [], expanded: false } },
    });
    expect(thoughtWorkflow(ctx).workflow.type).toBe('reasoning');
    expect(await next()).toEqual(updated('workflow_id', { type: 'workflow.task.added', task_index: 0, task: thought('Think') }));
    expect(await next()).toEqual(updated('workflow_id', { type: 'workflow.task.updated', task_index: 0, task: thought('Thinking 1') }));
    expect(await next()).toEqual(updated('workflow_id', { type: 'workflow.task.updated', task_index: 0, task: thought('Thinking 1') }));
    // The second thought's deltas are not streamed; it arrives whole with its done.
    expect(await next()).toEqual(updated('workflow_id', { type: 'workflow.task.added', task_index: 1, task: thought('Thinking 2') }));
    expect(thoughtWorkflow(ctx).workflow.tasks).toHaveLength(2);
    expect(await collect(stream)).toEqual([]);
  });

  it('ends the workflow (duration summary, collapsed) when a message starts', async () => {
    const { ctx } = await setup();
    const run = new FakeRun();
    run.raw(reasoningAdded);
    run.raw({ type: 'response.reasoning_summary_text.done', item_id: 'resp_1', summary_index: 0, text: 'Thinking 1' });
    run.raw({ type: 'response.output_item.added', item: message('m_1', [], 'in_progress'), output_index: 0, sequence_number: 0 });
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events).toEqual([
      { type: 'thread.item.added', item: expect.objectContaining({ id: 'workflow_id', type: 'workflow' }) },
      updated('workflow_id', { type: 'workflow.task.added', task_index: 0, task: thought('Thinking 1') }),
      {
        type: 'thread.item.done',
        item: {
          id: 'workflow_id', thread_id: 'thr_123', created_at: expect.any(String), type: 'workflow',
          workflow: { type: 'reasoning', tasks: [thought('Thinking 1')], summary: { duration: expect.any(Number) }, expanded: false },
        },
      },
      { type: 'thread.item.added', item: { id: 'm_1', thread_id: 'thr_123', created_at: expect.any(String), type: 'assistant_message', content: [] } },
    ]);
    expect(ctx.workflowItem).toBeNull();
  });

  it('keeps a summary the workflow already has when a message ends it', async () => {
    const { ctx } = await setup();
    ctx.workflowItem = { id: 'wf_1', thread_id: 'thr_123', created_at: now(), type: 'workflow', workflow: { type: 'custom', tasks: [], summary: { title: 'Test' }, expanded: true } };
    const run = new FakeRun();
    run.raw({ type: 'response.output_item.added', item: message('m_1', [], 'in_progress'), output_index: 0, sequence_number: 0 });
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events[0]).toMatchObject({ type: 'thread.item.done', item: { id: 'wf_1', workflow: { summary: { title: 'Test' }, expanded: false } } });
    expect(ctx.workflowItem).toBeNull();
  });

  it('adds reasoning summaries to a custom workflow a tool left open instead of opening another', async () => {
    const { ctx } = await setup();
    await ctx.addWorkflowTask({ type: 'custom', title: 'Searching' });
    const run = new FakeRun();
    run.raw(reasoningAdded);
    run.raw({ type: 'response.reasoning_summary_text.delta', item_id: 'resp_1', summary_index: 0, delta: 'Hm' });
    run.raw({ type: 'response.reasoning_summary_text.done', item_id: 'resp_1', summary_index: 0, text: 'Hmm' });
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events).toEqual([
      { type: 'thread.item.added', item: expect.objectContaining({ id: 'workflow_id', workflow: expect.objectContaining({ type: 'custom' }) }) },
      updated('workflow_id', { type: 'workflow.task.added', task_index: 1, task: thought('Hmm') }),
    ]);
  });
});

// ---------------------------------------------------------------- workflows across turns

describe('reference parity: a workflow across turns', () => {
  // Explicit, increasing timestamps: the store orders items by creation.
  const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
  const workflow = (): WorkflowItem => ({
    id: 'wf_prev', thread_id: 'thr_123', created_at: at(1), type: 'workflow',
    workflow: { type: 'custom', tasks: [{ type: 'custom', title: 'Asking the page', status_indicator: 'none' }], expanded: false },
  });
  const toolCall: ThreadItem = {
    id: 'fc_1', thread_id: 'thr_123', created_at: at(2), type: 'client_tool_call', status: 'completed',
    call_id: 'call_1', name: 'get_selection', arguments: {}, output: { text: 'x' },
  };
  const userMessage: ThreadItem = {
    id: 'msg_u', thread_id: 'thr_123', created_at: at(2), type: 'user_message', content: [{ type: 'input_text', text: 'hi' }], attachments: [], inference_options: {},
  } as ThreadItem;

  async function firstEventsOfAnswer(existing: ThreadItem[]) {
    const { ctx } = await setup(existing);
    const run = new FakeRun();
    run.raw({ type: 'response.output_item.added', item: message('m_1', [], 'in_progress'), output_index: 0 });
    run.done();
    return collect(streamAgentResponse(ctx, run));
  }

  it('continues the workflow when it is the last item: the answer closes it', async () => {
    const events = await firstEventsOfAnswer([workflow()]);
    expect(events.map((e) => e.type)).toEqual(['thread.item.done', 'thread.item.added']);
    expect(events[0]).toMatchObject({ item: { id: 'wf_prev', workflow: { summary: { duration: expect.any(Number) }, expanded: false } } });
  });

  it('continues the workflow when a client tool call follows it', async () => {
    const events = await firstEventsOfAnswer([workflow(), toolCall]);
    expect(events[0]).toMatchObject({ type: 'thread.item.done', item: { id: 'wf_prev' } });
  });

  it('does not continue a workflow that anything else follows', async () => {
    const events = await firstEventsOfAnswer([workflow(), userMessage]);
    expect(events).toMatchObject([{ type: 'thread.item.added', item: { id: 'm_1' } }]);
  });

  it('saves a workflow still open at the end of the run, without a done event', async () => {
    const { ctx, store } = await setup();
    await ctx.addWorkflowTask({ type: 'custom', title: 'Asking the page' });
    ctx.clientToolCall('get_selection', {});
    const run = new FakeRun();
    run.toolCalled({ type: 'function_call', id: 'fc_9', callId: 'call_9', name: 'get_selection', arguments: '{}' });
    run.done();
    const events = await collect(streamAgentResponse(ctx, run));
    expect(events.map((e) => (e.type === 'thread.item.added' || e.type === 'thread.item.done' ? `${e.type}:${e.item.type}` : e.type))).toEqual([
      'thread.item.added:workflow',
      'thread.item.done:client_tool_call',
    ]);
    const saved = await store.loadThreadItems('thr_123', null, 10, 'asc', requestContext);
    expect(saved.data).toMatchObject([{ id: 'workflow_id', type: 'workflow', workflow: { tasks: [{ title: 'Asking the page' }] } }]);
  });
});

// ---------------------------------------------------------------- accumulateText

describe('reference parity: accumulateText', () => {
  it('grows a Text from raw Responses text deltas and ends with streaming false', async () => {
    const run = new FakeRun();
    const delta = (value: string) => run.raw({ type: 'response.output_text.delta', delta: value, content_index: 0, item_id: '123', logprobs: [], output_index: 0, sequence_number: 0 });
    delta('Hello, ');
    delta('world!');
    run.done();
    const states = await collect(accumulateText(run, { type: 'Text', key: 'text', value: '', streaming: true }));
    expect(states).toEqual([
      { type: 'Text', key: 'text', value: '', streaming: true },
      { type: 'Text', key: 'text', value: 'Hello, ', streaming: true },
      { type: 'Text', key: 'text', value: 'Hello, world!', streaming: true },
      { type: 'Text', key: 'text', value: 'Hello, world!', streaming: false },
    ]);
  });

  it('counts text once when a Responses run sends both normalized and raw deltas', async () => {
    const run = new FakeRun();
    for (const part of ['Hello, ', 'world!']) {
      run.add(new RunRawModelStreamEvent({ type: 'output_text_delta', delta: part }));
      run.raw({ type: 'response.output_text.delta', delta: part, content_index: 0, item_id: '123', output_index: 0 });
    }
    run.done();
    const states = await collect(accumulateText(run, { type: 'Text', value: '' }));
    expect(states.at(-1)).toEqual({ type: 'Text', value: 'Hello, world!', streaming: false });
    expect(states).toHaveLength(4);
  });
});

// ---------------------------------------------------------------- ThreadItemConverter

describe('reference parity: ThreadItemConverter wrapper texts', () => {
  const base = { thread_id: 'thr_123', created_at: '2026-01-01T00:00:00.000Z' };
  const userMessage = (id: string, content: Extract<ThreadItem, { type: 'user_message' }>['content'], quoted_text?: string): ThreadItem => ({
    ...base, id, type: 'user_message', content, attachments: [], inference_options: {}, ...(quoted_text ? { quoted_text } : {}),
  });
  const userInput = (...texts: string[]) => ({ type: 'message', role: 'user', content: texts.map((value) => ({ type: 'input_text', text: value })) });

  it('quotes the quoted text of the last user message only, after it', async () => {
    const input = await simpleToAgentInput([
      userMessage('1', [{ type: 'input_text', text: 'Hello!' }], 'Hi!'),
      userMessage('2', [{ type: 'input_text', text: "I'm well, thank you!" }], 'How are you doing?'),
    ]);
    expect(input).toEqual([
      userInput('Hello!'),
      userInput("I'm well, thank you!"),
      userInput('The user is referring to this in particular: \nHow are you doing?'),
    ]);
  });

  it('replays assistant messages part by part and describes widgets with their JSON', async () => {
    const input = await simpleToAgentInput([
      { ...base, id: 'a1', type: 'assistant_message', content: [{ type: 'output_text', text: 'How are you doing?', annotations: [] }, { type: 'output_text', text: "Can't do that", annotations: [] }] },
      { ...base, id: 'wd_123', type: 'widget', widget: card([text({ value: 'Hello, world!' })]) },
    ]);
    expect(input).toHaveLength(2);
    expect(input[0]).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'How are you doing?' }, { type: 'output_text', text: "Can't do that" }] });
    const widgetText = (input[1] as { content: { text: string }[] }).content[0]!.text;
    expect(widgetText.startsWith('The following graphical UI widget (id: wd_123) was displayed to the user:{')).toBe(true);
    expect(widgetText).toContain('Hello, world!');
    expect(widgetText).not.toContain('created_at');
  });

  it('renders tags as @text and adds the @-mention context with the converted tags', async () => {
    class TagConverter extends ThreadItemConverter {
      override async tagToMessageContent(tag: UserMessageTagContent) {
        return { type: 'input_text' as const, text: `${tag.text} ${String((tag.data as { key: string }).key)}` };
      }
    }
    const input = await new TagConverter().toAgentInput([userMessage('1', [{ type: 'input_tag', id: 'hello', text: 'Hello!', data: { key: 'value' }, interactive: false }])]);
    expect(input).toEqual([
      userInput('@Hello!'),
      userInput(
        "# User-provided context for @-mentions\n- When referencing resolved entities, use their canonical names **without** '@'.\n- The '@' form appears only in user text and should not be echoed.",
        'Hello! value',
      ),
    ]);
  });

  it('throws NotImplementedError for a tag when no tag conversion is given', async () => {
    await expect(simpleToAgentInput([userMessage('1', [{ type: 'input_tag', id: 'hello', text: 'Hello!', data: {}, interactive: false }])])).rejects.toBeInstanceOf(NotImplementedError);
  });

  it('describes a generated image and skips one without an image', async () => {
    expect(await simpleToAgentInput([{ ...base, id: 'img_item_1', type: 'generated_image', image: { id: 'img_1', url: 'https://example.com/img.png' } }])).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'The following image was generated by the agent.' }, { type: 'input_image', detail: 'auto', image: 'https://example.com/img.png' }] },
    ]);
    expect(await simpleToAgentInput([{ ...base, id: 'img_item_1', type: 'generated_image' }])).toEqual([]);
  });

  it('wraps string hidden context, and needs an override for other content', async () => {
    expect(await simpleToAgentInput([{ ...base, id: 'h1', type: 'hidden_context_item', content: 'User pressed the red button' }])).toEqual([
      userInput('Hidden context for the agent (not shown to the user):\n<HiddenContext>\nUser pressed the red button\n</HiddenContext>'),
    ]);
    const structured: ThreadItem = { ...base, id: 'h2', type: 'hidden_context_item', content: { harry: 'potter', hermione: 'granger' } };
    await expect(simpleToAgentInput([structured])).rejects.toBeInstanceOf(NotImplementedError);
    class HiddenConverter extends ThreadItemConverter {
      override async hiddenContextToInput(item: HiddenContextItem) {
        return { type: 'message' as const, role: 'user' as const, content: [{ type: 'input_text' as const, text: `<HIDDEN>${Object.keys(item.content as object).join(',')}</HIDDEN>` }] };
      }
    }
    expect(await new HiddenConverter().toAgentInput([structured])).toEqual([userInput('<HIDDEN>harry,hermione</HIDDEN>')]);
  });

  it('replays a task, skips a pending client tool call and replays a completed one with json.dumps text', async () => {
    const call = { ...base, type: 'client_tool_call' as const, name: 'xyz', arguments: { foo: 'bar' }, call_id: 'ctc_123' };
    const input = await simpleToAgentInput([
      userMessage('1', [{ type: 'input_text', text: 'Call a client tool call xyz' }], 'Hi!'),
      { ...base, id: 'tsk_123', type: 'task', task: { type: 'custom', title: 'Called xyx', status_indicator: 'none' } },
      { ...call, id: 'ctc_123', status: 'pending' },
      { ...call, id: 'ctc_123_done', status: 'completed', output: { success: true } },
    ]);
    expect(input).toEqual([
      userInput('Call a client tool call xyz'),
      userInput('A message was displayed to the user that the following task was performed:\n<Task>\nCalled xyx\n</Task>'),
      { type: 'function_call', callId: 'ctc_123', name: 'xyz', arguments: '{"foo": "bar"}', status: 'completed' },
      { type: 'function_call_result', callId: 'ctc_123', name: 'xyz', status: 'completed', output: '{"success": true}' },
    ]);
  });

  it('lists structured input answers with the request status', async () => {
    const input = await simpleToAgentInput([
      {
        ...base, id: 'si_123', type: 'structured_input', status: 'answered',
        inputs: [
          { type: 'multiple_choice', id: 'subject', question: 'Which subject is this lesson for?', options: [{ value: 'Math' }, { value: 'Science' }], answer: { values: ['Math'], skipped: false } },
          { type: 'freeform', id: 'details', question: 'Anything else to know?', answer: { values: [], skipped: true } },
        ],
      },
    ]);
    expect(input).toEqual([
      userInput(
        'A structured input request was displayed to the user with the following status: answered\n<StructuredInput>\n- Which subject is this lesson for?: Math\n- Anything else to know?: skipped\n</StructuredInput>',
      ),
    ]);
  });
});

describe('pythonJsonDumps', () => {
  it("writes what Python's json.dumps writes", () => {
    // Expected text produced by CPython 3: json.dumps({...}) of the same value.
    const value = { a: 1, b: [1.5, 'é\n"', null, true], c: {}, d: [], e: 1e-7, g: 0.0001, h: '\x7f\x01', j: 1e-5, k: '😀' };
    expect(pythonJsonDumps(value)).toBe(
      '{"a": 1, "b": [1.5, "\\u00e9\\n\\"", null, true], "c": {}, "d": [], "e": 1e-07, "g": 0.0001, "h": "\\u007f\\u0001", "j": 1e-05, "k": "\\ud83d\\ude00"}',
    );
  });
});
