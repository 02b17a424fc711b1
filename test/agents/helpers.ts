/**
 * Shared pieces for the agents bridge tests: a thread in a MemoryStore, event
 * collection, a deferred, and models that talk to the mock OpenAI server.
 */
import { setTracingDisabled, type Model } from '@openai/agents';
import { MemoryStore, now, type ThreadMetadata, type ThreadStreamEvent } from '../../src/runtime/index.js';
import { AgentContext } from '../../src/runtime/agents/index.js';
import { createModel } from '../../src/runtime/providers/index.js';
import type { MockOpenAI } from '../support/mock-openai.js';

setTracingDisabled(true);

export type Ctx = { userId: string };
export const requestContext: Ctx = { userId: 'u1' };

export async function newThread(store = new MemoryStore<Ctx>()) {
  const thread: ThreadMetadata = { id: store.generateThreadId(requestContext), created_at: now(), status: { type: 'active' }, metadata: {} };
  await store.saveThread(thread, requestContext);
  const agentContext = new AgentContext<Ctx>({ thread, store, requestContext });
  return { store, thread, agentContext };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Event types with the update type for `thread.item.updated`, to compare sequences compactly. */
export function shape(events: ThreadStreamEvent[]): string[] {
  return events.map((event) => {
    if (event.type === 'thread.item.updated') return `updated:${event.update.type}`;
    if (event.type === 'thread.item.added' || event.type === 'thread.item.done') return `${event.type.slice(12)}:${event.item.type}`;
    return event.type;
  });
}

export function textOf(events: ThreadStreamEvent[]): string {
  return events
    .map((event) => (event.type === 'thread.item.updated' && event.update.type === 'assistant_message.content_part.text_delta' ? event.update.delta : ''))
    .join('');
}

export function doneItems(events: ThreadStreamEvent[]) {
  return events.flatMap((event) => (event.type === 'thread.item.done' ? [event.item] : []));
}

/** A real provider model pointed at the mock server: Responses for `openai`, Chat Completions for `gemini`; no retries. */
export function mockServerModel(mock: MockOpenAI, provider: 'openai' | 'gemini'): Model {
  return provider === 'openai'
    ? createModel({ provider: 'openai', model: 'gpt-test', apiKey: 'sk-test', baseURL: mock.baseURL, maxRetries: 0, env: {} })
    : createModel({ provider: 'gemini', model: 'gemini-2.5-flash', apiKey: 'gm-test', baseURL: mock.geminiBaseURL, maxRetries: 0, env: {} });
}
