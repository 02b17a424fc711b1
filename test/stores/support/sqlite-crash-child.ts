/**
 * The process the SQLite crash tests kill with SIGKILL (run with tsx, IPC
 * to the test). Two modes:
 *
 * - `http <db> - <synchronous>`: the Fastify plugin over a SQLiteStore file with a
 *   scripted-style server (a user message, an assistant message streamed as
 *   deltas); posts `{ kind: 'ready', port }`.
 * - `waves <db> <size> <synchronous>`: writes waves of `size` items into one thread, each
 *   wave issued in one turn of the event loop (so it shares one commit),
 *   the next wave only after the previous one is acknowledged; posts
 *   `{ kind: 'sent', wave }` before and `{ kind: 'acked', wave }` after.
 */
import Fastify from 'fastify';
import chatkit from '../../../src/http/index.js';
import { ChatKitServer, type ThreadMetadata, type ThreadStreamEvent } from '../../../src/runtime/index.js';
import { SQLiteStore } from '../../../src/runtime/stores/sqlite/index.js';

type Ctx = { userId: string };
const [mode, path, size, synchronous = 'full'] = process.argv.slice(2) as [string, string, string, 'full' | 'normal'];
if (!path) throw new Error('usage: sqlite-crash-child.ts http|waves <db path> <wave size or -> [full|normal]');

if (mode === 'http') await serve(path);
else if (mode === 'waves') await writeWaves(path, Number(size));
else throw new Error(`unknown mode ${mode}`);

async function serve(dbPath: string): Promise<void> {
  class ScriptedStyleServer extends ChatKitServer<Ctx> {
    async *respond(thread: ThreadMetadata): AsyncGenerator<ThreadStreamEvent> {
      const id = this.store.generateItemId('message', thread, { userId: 'crash' });
      const item = { id, thread_id: thread.id, created_at: new Date().toISOString(), type: 'assistant_message' as const, content: [] };
      yield { type: 'thread.item.added', item };
      for (let i = 0; i < 5; i++) {
        yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: `w${i} ` } };
      }
      yield { type: 'thread.item.done', item: { ...item, content: [{ annotations: [], text: 'w0 w1 w2 w3 w4', type: 'output_text' }] } };
    }
  }
  const store = new SQLiteStore<Ctx>({ url: dbPath, ownerOf: (ctx) => ctx.userId, synchronous });
  await store.migrate();
  const server = new ScriptedStyleServer(store);
  server.logger = { error() {}, warn() {} };
  const app = Fastify({ logger: false });
  await app.register(chatkit, { server, auth: { verify: () => ({ userId: 'crash' }) }, cors: { origins: ['http://localhost:5173'] } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send!({ kind: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
}

async function writeWaves(dbPath: string, waveSize: number): Promise<void> {
  const store = new SQLiteStore<Record<string, never>>({ url: dbPath, synchronous });
  await store.saveThread({ id: 'thr_waves', created_at: new Date().toISOString(), status: { type: 'active' }, metadata: {} }, {});
  // Big items, so a wave's commit takes long enough to be caught in the middle.
  const filler = 'x'.repeat(4000);
  for (let wave = 0; ; wave++) {
    const writes = Array.from({ length: waveSize }, (_, i) =>
      store.addThreadItem(
        'thr_waves',
        {
          id: `w${wave}_${i}`,
          thread_id: 'thr_waves',
          created_at: new Date().toISOString(),
          type: 'assistant_message',
          content: [{ type: 'output_text', text: filler, annotations: [] }],
        },
        {},
      ),
    );
    process.send!({ kind: 'sent', wave });
    await Promise.all(writes);
    process.send!({ kind: 'acked', wave });
  }
}
