/**
 * Text deltas (every token of a reply) are serialized by a direct path; for
 * any value at all its output must be byte for byte the generic
 * serializer's, or the generic one must take over.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { genericJSON, toJSON } from '../../src/runtime/protocol/serialize.js';

const TEXT_DELTA = 'assistant_message.content_part.text_delta';

/** Text with what JSON must escape: quotes, backslashes, control characters, astral and lone surrogates. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', 'null', '"metadata"', '\\', '"', '\n\t\u0000\u001f', '\ud800', '\udfff', '😀', '\u2028'),
);
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e21, 1.5e-7, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER));
const anyValue = fc.oneof(text, number, fc.constant(null), fc.constant(undefined), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }));

/** Builds an object from entries in the given order. */
const objectOf = (entries: [string, unknown][]) => Object.fromEntries(entries);

/** Delta-like events: the exact shape most of the time, then every way of straying from it. */
const deltaLike = fc
  .record({
    itemId: fc.oneof(text, anyValue),
    index: fc.oneof(number, anyValue),
    delta: fc.oneof(text, anyValue),
    eventType: fc.constantFrom('thread.item.updated', 'thread.item.updated', 'thread.item.added'),
    updateType: fc.constantFrom(TEXT_DELTA, TEXT_DELTA, 'assistant_message.content_part.added'),
    shuffleEvent: fc.boolean(),
    shuffleUpdate: fc.boolean(),
    extraEvent: fc.option(fc.tuple(fc.constantFrom('extra', 'metadata', 'toJSON_', '0'), anyValue), { nil: undefined }),
    extraUpdate: fc.option(fc.tuple(fc.constantFrom('extra', 'annotations', '1'), anyValue), { nil: undefined }),
  })
  .map((r) => {
    const updateEntries: [string, unknown][] = [['type', r.updateType], ['content_index', r.index], ['delta', r.delta]];
    if (r.shuffleUpdate) updateEntries.reverse();
    if (r.extraUpdate) updateEntries.push(r.extraUpdate);
    const eventEntries: [string, unknown][] = [['type', r.eventType], ['item_id', r.itemId], ['update', objectOf(updateEntries)]];
    if (r.shuffleEvent) eventEntries.reverse();
    if (r.extraEvent) eventEntries.push(r.extraEvent);
    return objectOf(eventEntries);
  });

/** The exact shape, with every kind of id, index and delta. */
const exactDelta = fc
  .record({ itemId: fc.oneof(text, anyValue), index: number, delta: text })
  .map(({ itemId, index, delta }) => ({ type: 'thread.item.updated', item_id: itemId, update: { type: TEXT_DELTA, content_index: index, delta } }));

describe('the text-delta serialization path', () => {
  test.each([
    ['of the exact shape', exactDelta],
    ['delta-like, straying from the shape', deltaLike],
  ])('writes exactly what the generic serializer writes, for any value %s', (_, values) => {
    fc.assert(
      fc.property(values as fc.Arbitrary<object>, (event) => {
        expect(toJSON(event)).toBe(genericJSON(event));
      }),
      { numRuns: 4000 },
    );
  });

  test('an ordinary delta takes it, and the text is the wire form', () => {
    const event = { type: 'thread.item.updated', item_id: 'msg_1', update: { type: TEXT_DELTA, content_index: 0, delta: 'Hi "there"\n' } };
    expect(toJSON(event)).toBe(
      '{"type":"thread.item.updated","item_id":"msg_1","update":{"type":"assistant_message.content_part.text_delta","content_index":0,"delta":"Hi \\"there\\"\\n"}}',
    );
  });

  test('objects that are not plain, and null fields, fall back to the generic rules', () => {
    class Update {
      type = TEXT_DELTA;
      content_index = 0;
      delta = 'x';
      toJSON() {
        return { custom: true };
      }
    }
    const classed = { type: 'thread.item.updated', item_id: 'msg_1', update: new Update() };
    expect(toJSON(classed)).toBe('{"type":"thread.item.updated","item_id":"msg_1","update":{"custom":true}}');
    const nullDelta = { type: 'thread.item.updated', item_id: 'msg_1', update: { type: TEXT_DELTA, content_index: 0, delta: null } };
    expect(toJSON(nullDelta)).toBe('{"type":"thread.item.updated","item_id":"msg_1","update":{"type":"assistant_message.content_part.text_delta","content_index":0}}');
  });
});
