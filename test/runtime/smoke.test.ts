import { expect, test } from 'vitest';
import { ScriptedServer, assistantMessage } from '../support/scripted-server.js';
import { normalize, stream, userInput } from '../support/chatkit.js';

test('threads.create streams the golden 9.1 sequence', async () => {
  const server = new ScriptedServer();
  server.respondWith = async function* (thread, _input, _ctx, _opts, self) {
    const id = self.store.generateItemId('message', thread, {});
    const item = assistantMessage(thread, id, '');
    item.content = [];
    yield { type: 'thread.item.added', item };
    yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.added', content_index: 0, content: { annotations: [], text: '', type: 'output_text' } } };
    yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'Hello' } };
    yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: ' there!' } };
    yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.done', content_index: 0, content: { annotations: [], text: 'Hello there!', type: 'output_text' } } };
    yield { type: 'thread.item.done', item: assistantMessage(thread, id, 'Hello there!') };
    thread.title = 'Greeting';
  };
  const events = await stream(server, { type: 'threads.create', params: { input: userInput('Hi') } }, {});
  expect(normalize(events).map((e) => e.type)).toEqual([
    'thread.created', 'thread.item.done', 'stream_options', 'thread.item.added', 'thread.item.updated',
    'thread.item.updated', 'thread.item.updated', 'thread.item.updated', 'thread.item.done', 'thread.updated',
  ]);
  expect(normalize(events)[9]).toEqual({ type: 'thread.updated', thread: { title: 'Greeting', id: '<thr1>', created_at: '<ts>', status: { type: 'active' }, metadata: {}, items: { data: [], has_more: false } } });
});
