import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Widgets } from '@openai/chatkit';
import type { WidgetStreamingTextValueDelta } from '../../src/runtime/index.js';
import { diffWidget } from '../../src/runtime/widgets/index.js';

type Streamed = Widgets.TextComponent | Widgets.Markdown;

type TextCard = { type: 'Card'; children: Streamed[] };
const card = (children: Streamed[]): TextCard => ({ type: 'Card', children }) satisfies Widgets.Card;

/** What ChatKit.js does with a value delta: append to the component with that id. */
function applyDeltas(widget: TextCard, deltas: WidgetStreamingTextValueDelta[]): TextCard {
  const children = widget.children.map((child) => ({ ...child }));
  for (const delta of deltas) {
    const target = children.find((child) => child.id === delta.component_id)!;
    target.value += delta.delta;
  }
  return card(children);
}

const component = fc.record({
  kind: fc.constantFrom<'Text' | 'Markdown'>('Text', 'Markdown'),
  value: fc.string({ maxLength: 12 }),
  appended: fc.string({ maxLength: 12 }),
});

describe('diffWidget (properties)', () => {
  it('value deltas rebuild the new state exactly when only identified text grows', () => {
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 5 }), (parts) => {
        const before = card(parts.map((p, i) => ({ type: p.kind, id: `c${i}`, value: p.value, streaming: true }) as Streamed));
        const after = card(parts.map((p, i) => ({ type: p.kind, id: `c${i}`, value: p.value + p.appended, streaming: true }) as Streamed));
        const updates = diffWidget(before, after);
        expect(updates.every((u) => u.type === 'widget.streaming_text.value_delta')).toBe(true);
        expect(updates).toHaveLength(parts.filter((p) => p.appended !== '').length);
        expect(applyDeltas(before, updates as WidgetStreamingTextValueDelta[])).toEqual(after);
      }),
    );
  });

  it('any other change is one root replace carrying the new state', () => {
    fc.assert(
      fc.property(
        fc.array(component, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.constantFrom('rewrite', 'prop', 'add', 'remove', 'stop'),
        (parts, pick, change) => {
          const index = pick % parts.length;
          const before = card(parts.map((p, i) => ({ type: p.kind, id: `c${i}`, value: `v${p.value}`, streaming: true }) as Streamed));
          const children: Streamed[] = before.children.map((c) => ({ ...c }));
          const target = children[index]!;
          if (change === 'rewrite') target.value = `w${target.value}`;
          if (change === 'prop') target.streaming = undefined;
          if (change === 'stop') target.streaming = false;
          if (change === 'add') children.push({ type: 'Text', value: 'new' });
          if (change === 'remove') children.splice(index, 1);
          const after = card(children);
          // `streaming: undefined` reads as unset, which differs from `true`.
          expect(diffWidget(before, after)).toEqual([{ type: 'widget.root.updated', widget: after }]);
        },
      ),
    );
  });
});
