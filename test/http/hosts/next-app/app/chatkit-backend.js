// One ChatKit backend for the whole app process (route modules may be loaded
// more than once, so it lives on globalThis). The reply streams two events,
// then waits until the test releases it through /api/test-control (or the
// client goes away), then finishes.
import { ChatKitServer, FileAttachmentStore, MemoryStore, now } from 'create-chatkit-backend/runtime';
import { createChatKitHandler } from 'create-chatkit-backend/fetch';

class HeldServer extends ChatKitServer {
  waiting = new Set();

  async *respond(thread, _input, context, { signal }) {
    const id = this.store.generateItemId('message', thread, context);
    const base = { id, thread_id: thread.id, created_at: now(), type: 'assistant_message' };
    yield { type: 'thread.item.added', item: { ...base, content: [] } };
    yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'Hello' } };
    await new Promise((resolve) => {
      this.waiting.add(resolve);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (signal.aborted) return;
    yield { type: 'thread.item.done', item: { ...base, content: [{ annotations: [], text: `Hello ${context.userId}`, type: 'output_text' }] } };
  }

  /** Lets every held reply finish; answers how many were waiting. */
  releaseAll() {
    const count = this.waiting.size;
    for (const resolve of this.waiting) resolve();
    this.waiting.clear();
    return count;
  }
}

function build() {
  const store = new MemoryStore({ ownerOf: (context) => context.userId });
  const server = new HeldServer(store, new FileAttachmentStore({ dir: process.env.CHATKIT_UPLOAD_DIR, uploadPath: '/api/chatkit/upload', signingSecret: 'next-host-test-signing-secret-0123456789' }));
  server.logger = { error() {}, warn() {} };
  const handler = createChatKitHandler({
    server,
    path: '/api/chatkit',
    // Same origin as the page: no CORS needed.
    auth: {
      verify: (request) => {
        const header = request.headers.get('authorization');
        return header?.startsWith('Bearer user-') ? { userId: header.slice('Bearer user-'.length) } : null;
      },
    },
    logger: { error: (obj, message) => console.error(message, obj), warn() {} },
  });
  return { server, handler };
}

export const backend = (globalThis.__chatkitTestBackend ??= build());
