/** Driving a recorded session over real HTTP: text, a widget tool, a client tool round trip. */
import { parseSseEvents } from '../../../src/cli/replay/sse.js';
import type { MockReply } from '../../support/mock-openai.js';
import { userInput } from '../../support/chatkit.js';

export const SESSION_REPLIES: MockReply[] = [
  { text: 'Hello! Ask me about the weather.' },
  { toolCalls: [{ name: 'show_weather', arguments: { city: 'Paris' } }] },
  { text: 'Here is the weather in Paris.' },
  { toolCalls: [{ name: 'get_location', arguments: {} }] },
  { text: 'You are in Lyon.' },
];

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; events: any[]; json?: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return { status: response.status, events: parseSseEvents(text) };
  return { status: response.status, events: [], json: text ? JSON.parse(text) : undefined };
}

/** Runs the five-model-call session; returns the thread id. */
export async function driveSession(endpoint: string, headers: Record<string, string> = {}): Promise<string> {
  const created = await post(endpoint, { type: 'threads.create', params: { input: userInput('hello') } }, headers);
  const threadId = created.events.find((e) => e.type === 'thread.created')?.thread?.id;
  if (!threadId) throw new Error(`no thread.created in ${JSON.stringify(created)}`);
  await post(endpoint, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('weather please') } }, headers);
  const located = await post(endpoint, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('where am I?') } }, headers);
  if (!located.events.some((e) => e.item?.type === 'client_tool_call')) throw new Error(`no client tool call in ${JSON.stringify(located.events)}`);
  await post(endpoint, { type: 'threads.add_client_tool_output', params: { thread_id: threadId, result: { city: 'Lyon' } } }, headers);
  await post(endpoint, { type: 'items.list', params: { thread_id: threadId, limit: 20, order: 'asc' } }, headers);
  return threadId;
}
