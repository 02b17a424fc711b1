/**
 * Run as `node --expose-gc --import tsx` (by `scripted-memory.test.ts`, or by
 * hand to measure a whole app). Prints, as JSON, the heap after a full GC
 * once warmed up, every 1,000 streams after that, and at the end.
 *
 * - `MODE=model`: `STREAMS` streamed responses straight from the scripted
 *   model, each request carrying a long history (30 messages of 2 KB) and
 *   an abort signal, as the Agents SDK sends them.
 * - default: a ChatKitServer answering with the scripted model through the
 *   agents bridge, the way a generated app does, streams `STREAMS` replies
 *   on a long thread (each `threads.retry_after_item` sends the model the
 *   whole history and replaces the previous answer, so the thread itself
 *   does not grow). `AGENTLESS=1` answers without the agent, `RAW_AGENT=1`
 *   drains the run without the bridge: both tell where growth comes from.
 */
import { Agent, run } from '@openai/agents';
import {
  ChatKitServer,
  MemoryStore,
  StreamingResult,
  type HandlerOptions,
  type ThreadMetadata,
  type UserMessageItem,
} from '../../../src/runtime/index.js';
import { AgentContext, simpleToAgentInput, streamAgentResponse } from '../../../src/runtime/agents/index.js';
import { createModel } from '../../../src/runtime/providers/index.js';

type Ctx = Record<string, never>;
const STREAMS = Number(process.env.STREAMS ?? 10_000);
const WARM_UP = Number(process.env.WARM_UP ?? 1_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

class AppServer extends ChatKitServer<Ctx> {
  readonly agent = new Agent<AgentContext<Ctx>>({ name: 'Assistant', model: createModel({ provider: 'scripted', env: {} }) });

  async *respond(thread: ThreadMetadata, _input: UserMessageItem | null, context: Ctx, { signal }: HandlerOptions) {
    if (process.env.AGENTLESS) {
      yield { type: 'thread.item.done' as const, item: { id: this.store.generateItemId('message', thread, context), thread_id: thread.id, created_at: new Date().toISOString(), type: 'assistant_message' as const, content: [{ type: 'output_text' as const, text: 'x', annotations: [] }] } };
      return;
    }
    const agentContext = new AgentContext<Ctx>({ thread, store: this.store, requestContext: context, signal });
    const recent = await this.store.loadThreadItems(thread.id, null, 40, 'desc', context);
    const result = await run(this.agent, await simpleToAgentInput(recent.data.reverse()), { context: agentContext, stream: true, signal });
    if (process.env.RAW_AGENT) {
      for await (const _event of result);
      await result.completed;
      return;
    }
    yield* streamAgentResponse(agentContext, result);
  }
}

/** After full collections with turns in between, so finalizers (WeakRef and AbortSignal clean-up) run too. */
async function heapAfterGc(): Promise<number> {
  for (let round = 0; round < 4; round++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return process.memoryUsage().heapUsed;
}

if (process.env.MODE === 'model') {
  const model = createModel({ provider: 'scripted', env: {} });
  const history = Array.from({ length: 30 }, (_, n) => ({ role: 'user' as const, content: `message ${n} ${'x'.repeat(2_000)}` }));
  const checkpoints: number[] = [];
  let warmHeap = 0;
  for (let n = 1; n <= STREAMS; n++) {
    const request = {
      // Fresh strings per request, as the SDK builds its input from the thread each time.
      input: history.map((entry) => ({ ...entry, content: Buffer.from(entry.content).toString() })),
      modelSettings: {},
      tools: [],
      handoffs: [],
      outputType: 'text' as const,
      tracing: false as const,
      signal: new AbortController().signal,
    };
    for await (const _event of model.getStreamedResponse(request as never));
    if (n === WARM_UP) warmHeap = await heapAfterGc();
    if (n > WARM_UP && (n - WARM_UP) % 1000 === 0) checkpoints.push(await heapAfterGc());
  }
  process.stdout.write(JSON.stringify({ streams: STREAMS, warmUp: WARM_UP, warmHeap, checkpoints, endHeap: await heapAfterGc() }) + '\n');
  process.exit(0);
}

const server = new AppServer(new MemoryStore<Ctx>());
const ctx: Ctx = {};

async function drain(body: unknown): Promise<void> {
  const result = await server.process(JSON.stringify(body), ctx);
  if (!(result instanceof StreamingResult)) throw new Error('expected a stream');
  for await (const _chunk of result);
}

const message = (n: number) => ({ content: [{ type: 'input_text', text: `message ${n} ${'x'.repeat(2_000)}` }], attachments: [], inference_options: {} });
await drain({ type: 'threads.create', params: { input: message(0) } });
const threadId = (await server.store.loadThreads(1, null, 'desc', ctx)).data[0]!.id;
for (let n = 1; n < 15; n++) await drain({ type: 'threads.add_user_message', params: { thread_id: threadId, input: message(n) } });
const lastUser = (await server.store.loadThreadItems(threadId, null, 2, 'desc', ctx)).data.find((item) => item.type === 'user_message')!;

let warmHeap = 0;
const checkpoints: number[] = [];
for (let n = 1; n <= STREAMS; n++) {
  await drain({ type: 'threads.retry_after_item', params: { thread_id: threadId, item_id: lastUser.id } });
  if (n === WARM_UP) warmHeap = await heapAfterGc();
  if (n > WARM_UP && (n - WARM_UP) % 1000 === 0) checkpoints.push(await heapAfterGc());
}
const endHeap = await heapAfterGc();
const itemCount = (await server.store.loadThreadItems(threadId, null, 1000, 'asc', ctx)).data.length;
process.stdout.write(JSON.stringify({ streams: STREAMS, warmUp: WARM_UP, warmHeap, checkpoints, endHeap, itemCount }) + '\n');
