import fc from 'fast-check';
import { expect, test } from 'vitest';
import { sseText } from '../../src/http/core/sse-writer.js';
import { sseFrame } from '../../src/runtime/index.js';

test('sseText is byte for byte what sseFrame encodes', () => {
  const samples: unknown[] = [
    { type: 'thread.item.updated', item_id: 'msg_1', update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'héllo 👋 "quoted"\n' } },
    { type: 'error', code: 'stream.error', message: null, allow_retry: true },
    { type: 'thread.item.done', item: { id: 'a', type: 'user_message', attachments: [{ id: 'atc', name: 'x', mime_type: 'image/png', type: 'image', metadata: { secret: 1 } }] } },
  ];
  for (const sample of samples) expect(Buffer.from(sseText(sample))).toEqual(Buffer.from(sseFrame(sample)));
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      expect(Buffer.from(sseText({ type: 'x', value }))).toEqual(Buffer.from(sseFrame({ type: 'x', value })));
    }),
    { numRuns: 300 },
  );
});
