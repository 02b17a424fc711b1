/**
 * The widget scenarios of chatkit-python's tests (`test_widgets.py`'s diff
 * table, `test_chatkit_server.py`'s streamed widgets), checked against the
 * update types and payloads the reference produces.
 */
import { describe, expect, it } from 'vitest';
import type { Widgets } from '@openai/chatkit';
import type { WidgetRoot } from '../../src/runtime/index.js';
import { diffWidget, streamWidget } from '../../src/runtime/widgets/index.js';
import { collect, states } from './helpers.js';

const card = (...children: Widgets.CardChild[]): Widgets.Card => ({ type: 'Card', children });
const text = (props: Omit<Widgets.TextComponent, 'type'>): Widgets.TextComponent => ({ type: 'Text', ...props });

describe('reference parity: diffWidget', () => {
  const cases: [string, WidgetRoot, WidgetRoot, string[]][] = [
    ['no change', card(), card(), []],
    [
      'text appended to a streaming Text with an id',
      card(text({ id: 'text', value: 'Hello', streaming: true })),
      card(text({ id: 'text', value: 'Hello, world!', streaming: true })),
      ['widget.streaming_text.value_delta'],
    ],
    [
      'streaming turning false',
      card(text({ id: 'text', value: 'Hello', streaming: true })),
      card(text({ id: 'text', value: 'Hello, world!', streaming: false })),
      ['widget.root.updated'],
    ],
    ['a Text without an id whose value is replaced', card(text({ value: 'Hello' })), card(text({ value: 'world!' })), ['widget.root.updated']],
  ];
  for (const [name, before, after, expected] of cases) {
    it(name, () => {
      expect(diffWidget(before, after).map((update) => update.type)).toEqual(expected);
    });
  }
});

describe('reference parity: streamed widgets', () => {
  const thread = { id: 'test-thread-id' };

  it('streams each appended piece as a value delta between added and done', async () => {
    const render = (n: number) => card(text({ id: 'text', value: 'Hello, world'.slice(0, n) }));
    const events = await collect(streamWidget(thread, states(render(0), render(3), render(6), render(12))));
    expect(events.map((event) => event.type)).toEqual(['thread.item.added', 'thread.item.updated', 'thread.item.updated', 'thread.item.updated', 'thread.item.done']);
    expect(events[0]).toMatchObject({ item: { type: 'widget', widget: render(0) } });
    const deltas = events.flatMap((event) => (event.type === 'thread.item.updated' && event.update.type === 'widget.streaming_text.value_delta' ? [[event.update.component_id, event.update.delta]] : []));
    expect(deltas).toEqual([['text', 'Hel'], ['text', 'lo,'], ['text', ' world']]);
    expect(events[4]).toMatchObject({ item: { type: 'widget', widget: render(12) } });
  });

  it('replaces the root when an id-ed Text is not appended to', async () => {
    const events = await collect(streamWidget(thread, states(card(text({ id: 'text', value: 'Hello' })), card(text({ id: 'text', value: 'World' })))));
    expect(events).toMatchObject([
      { type: 'thread.item.added', item: { widget: card(text({ id: 'text', value: 'Hello' })) } },
      { type: 'thread.item.updated', update: { type: 'widget.root.updated', widget: card(text({ id: 'text', value: 'World' })) } },
      { type: 'thread.item.done', item: { widget: card(text({ id: 'text', value: 'World' })) } },
    ]);
    expect(events).toHaveLength(3);
  });
});
