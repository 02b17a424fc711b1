import { describe, expect, it } from 'vitest';
import type { Widgets } from '@openai/chatkit';
import type { ThreadStreamEvent } from '../../src/runtime/index.js';
import { accumulateText, streamWidget } from '../../src/runtime/widgets/index.js';
import { collect, states } from './helpers.js';
import { normalize } from '../support/chatkit.js';

const thread = { id: 'thr_0123456789abcdef01234567' };

describe('streamWidget', () => {
  it('sends a static widget as a single thread.item.done with its copy text', async () => {
    const widget = {
      type: 'ListView',
      children: [{ type: 'ListViewItem', key: 'a', children: [{ type: 'Text', value: 'Option A' }] }],
      limit: 5,
    } satisfies Widgets.ListView;
    const events = await collect(streamWidget(thread, widget, { copyText: 'Option A' }));
    expect(normalize(events)).toEqual([
      {
        type: 'thread.item.done',
        item: { id: '<msg1>', thread_id: '<thr1>', created_at: '<ts>', type: 'widget', widget, copy_text: 'Option A' },
      },
    ]);
  });

  it('uses the id generator it is given, with the message type', async () => {
    const asked: string[] = [];
    const events = await collect(
      streamWidget(thread, { type: 'Card', children: [] }, { generateId: (type) => (asked.push(type), 'msg_custom') }),
    );
    expect(asked).toEqual(['message']);
    expect((events[0] as Extract<ThreadStreamEvent, { type: 'thread.item.done' }>).item.id).toBe('msg_custom');
    expect(events[0]).not.toHaveProperty('item.copy_text');
  });

  it('streams a sequence as added, value deltas, a root replace and done (the spec 7.4 capture)', async () => {
    const title = { type: 'Title', value: 'Draft' } satisfies Widgets.Title;
    const body = (value: string) => ({ id: 'body', type: 'Markdown', value, streaming: true }) satisfies Widgets.Markdown;
    const send = { type: 'Button', label: 'Send', onClickAction: { type: 'send' } } satisfies Widgets.Button;
    const draft = (value: string, ...extra: Widgets.WidgetComponent[]) =>
      ({ type: 'Card', children: [title, body(value), ...extra] }) satisfies Widgets.Card;

    const events = await collect(streamWidget(thread, states(draft(''), draft('Dear'), draft('Dear Harry,'), draft('Dear Harry,', send))));
    expect(normalize(events)).toEqual([
      { type: 'thread.item.added', item: { id: '<msg1>', thread_id: '<thr1>', created_at: '<ts>', type: 'widget', widget: draft('') } },
      { type: 'thread.item.updated', item_id: '<msg1>', update: { type: 'widget.streaming_text.value_delta', component_id: 'body', delta: 'Dear', done: false } },
      { type: 'thread.item.updated', item_id: '<msg1>', update: { type: 'widget.streaming_text.value_delta', component_id: 'body', delta: ' Harry,', done: false } },
      { type: 'thread.item.updated', item_id: '<msg1>', update: { type: 'widget.root.updated', widget: draft('Dear Harry,', send) } },
      { type: 'thread.item.done', item: { id: '<msg1>', thread_id: '<thr1>', created_at: '<ts>', type: 'widget', widget: draft('Dear Harry,', send) } },
    ]);
  });

  it('fails clearly on an empty sequence', async () => {
    await expect(collect(streamWidget(thread, states<Widgets.Card>()))).rejects.toThrow(/ended before yielding a first widget state/);
  });
});

describe('accumulateText', () => {
  const base = { type: 'Markdown', id: 'answer', value: '', streaming: true } satisfies Widgets.Markdown;

  it('grows the component with every text delta of an Agents SDK run, then stops streaming', async () => {
    const run = states(
      { type: 'raw_model_stream_event', data: { type: 'response_started' } },
      { type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: 'Hel' } },
      { type: 'run_item_stream_event', name: 'message_output_created', item: {} },
      { type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: 'lo' } },
    );
    expect(await collect(accumulateText(run, base))).toEqual([
      base,
      { ...base, value: 'Hel' },
      { ...base, value: 'Hello' },
      { ...base, value: 'Hello', streaming: false },
    ]);
  });

  it('wraps each state into a root that streamWidget turns into deltas', async () => {
    const wrap = (answer: Widgets.Markdown) => ({ type: 'Card', children: [answer] }) satisfies Widgets.Card;
    const roots = accumulateText(states('Dear', ' Harry'), base, wrap);
    const updates = (await collect(streamWidget(thread, roots)))
      .filter((e) => e.type === 'thread.item.updated')
      .map((e) => (e as Extract<ThreadStreamEvent, { type: 'thread.item.updated' }>).update);
    expect(updates).toEqual([
      { type: 'widget.streaming_text.value_delta', component_id: 'answer', delta: 'Dear', done: false },
      { type: 'widget.streaming_text.value_delta', component_id: 'answer', delta: ' Harry', done: false },
      { type: 'widget.root.updated', widget: wrap({ ...base, value: 'Dear Harry', streaming: false }) },
    ]);
  });
});
