import { describe, expect, it } from 'vitest';
import type { Widgets } from '@openai/chatkit';
import { diffWidget } from '../../src/runtime/widgets/index.js';

const card = (...children: Widgets.WidgetComponent[]) => ({ type: 'Card', children }) satisfies Widgets.Card;
const text = (value: string, extra: Partial<Widgets.TextComponent> = {}) =>
  ({ type: 'Text', value, ...extra }) satisfies Widgets.TextComponent;

describe('diffWidget', () => {
  it('finds nothing to send between equal widgets', () => {
    expect(diffWidget(card(), card())).toEqual([]);
    expect(diffWidget(card(text('a', { id: 't' })), card(text('a', { id: 't' })))).toEqual([]);
  });

  it('streams appended text of a Text with an id as a value_delta', () => {
    const before = card(text('Hello', { id: 'text', streaming: true }));
    const after = card(text('Hello, world!', { id: 'text', streaming: true }));
    expect(diffWidget(before, after)).toEqual([
      { type: 'widget.streaming_text.value_delta', component_id: 'text', delta: ', world!', done: false },
    ]);
  });

  it('marks the delta done when the new state is not streaming (only reachable without the streaming prop)', () => {
    const before = card({ type: 'Markdown', id: 'md', value: 'a' });
    const after = card({ type: 'Markdown', id: 'md', value: 'ab' });
    expect(diffWidget(before, after)).toEqual([
      { type: 'widget.streaming_text.value_delta', component_id: 'md', delta: 'b', done: true },
    ]);
  });

  it('replaces the root when streaming flips to false, even as the text grows', () => {
    const before = card(text('Hello', { id: 'text', streaming: true }));
    const after = card(text('Hello, world!', { id: 'text', streaming: false }));
    expect(diffWidget(before, after)).toEqual([{ type: 'widget.root.updated', widget: after }]);
  });

  it('replaces the root when text is rewritten rather than extended', () => {
    const after = card(text('world!'));
    expect(diffWidget(card(text('Hello')), after)).toEqual([{ type: 'widget.root.updated', widget: after }]);
    const rewritten = card(text('Help', { id: 't' }));
    expect(diffWidget(card(text('Hello', { id: 't' })), rewritten)).toEqual([{ type: 'widget.root.updated', widget: rewritten }]);
  });

  it('sends nothing for growing text without an id (the client sees it in the final done)', () => {
    expect(diffWidget(card(text('Hel')), card(text('Hello')))).toEqual([]);
  });

  it('replaces the root when a child is added, a prop changes, or the root type/key/id differs', () => {
    const body = { type: 'Markdown', id: 'body', value: 'Dear Harry,', streaming: true } satisfies Widgets.Markdown;
    const withButton = card(body, { type: 'Button', label: 'Send', onClickAction: { type: 'send' } });
    expect(diffWidget(card(body), withButton)).toEqual([{ type: 'widget.root.updated', widget: withButton }]);

    const colored = card(text('a', { color: 'secondary' }));
    expect(diffWidget(card(text('a')), colored)).toEqual([{ type: 'widget.root.updated', widget: colored }]);

    const list = { type: 'ListView', children: [] } satisfies Widgets.ListView;
    expect(diffWidget(card(), list)).toEqual([{ type: 'widget.root.updated', widget: list }]);
    const keyed = { ...card(), key: 'k' } satisfies Widgets.Card;
    expect(diffWidget(card(), keyed)).toEqual([{ type: 'widget.root.updated', widget: keyed }]);
  });

  it('compares nested props deeply and treats null like unset', () => {
    const withAction = (id: string) =>
      card({ type: 'Button', label: 'Go', onClickAction: { type: 'go', payload: { id } } });
    expect(diffWidget(withAction('1'), withAction('1'))).toEqual([]);
    expect(diffWidget(withAction('1'), withAction('2'))).toHaveLength(1);
    const nulled = card({ type: 'Text', value: 'a', color: null as unknown as string });
    expect(diffWidget(card(text('a')), nulled)).toEqual([]);
  });

  it('streams text nested deep in the tree, one delta per growing component', () => {
    const state = (a: string, b: string) =>
      card({
        type: 'Col',
        children: [
          { type: 'Row', children: [text(a, { id: 'a', streaming: true })] },
          { type: 'Markdown', id: 'b', value: b, streaming: true },
        ],
      });
    expect(diffWidget(state('x', 'y'), state('x1', 'y2'))).toEqual([
      { type: 'widget.streaming_text.value_delta', component_id: 'a', delta: '1', done: false },
      { type: 'widget.streaming_text.value_delta', component_id: 'b', delta: '2', done: false },
    ]);
  });
});
