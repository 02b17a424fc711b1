/**
 * What only some providers send, over HTTP to the mock server: citations
 * (Responses streams them; Chat Completions only has them in the final
 * message) and reasoning summaries (Responses).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '@openai/agents';
import type { AgentContext } from '../../src/runtime/agents/index.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai.js';
import { stream, userInput } from '../support/chatkit.js';
import { AgentChatServer } from './chat-server.js';
import { taskTools } from './tools.js';
import { doneItems, mockServerModel, requestContext, shape, textOf, type Ctx } from './helpers.js';

let mock: MockOpenAI;
beforeAll(async () => {
  mock = await startMockOpenAI();
});
afterAll(async () => {
  await mock?.close();
});

function server(provider: 'openai' | 'gemini') {
  return new AgentChatServer(new Agent<AgentContext<Ctx>>({ name: 'A', model: mockServerModel(mock, provider) }));
}

const create = (text: string) => ({ type: 'threads.create', params: { input: userInput(text) } });
const text = 'See the docs for details.';
const citation = { url: 'https://docs.example', title: 'Docs', start_index: 8, end_index: 12 };
const annotation = { type: 'annotation', source: { type: 'url', url: 'https://docs.example', title: 'Docs' }, index: 12 };

describe('citations', () => {
  it('Responses: streamed as annotation_added and kept in the final message', async () => {
    mock.setScript([{ when: 'docs', text, annotations: [citation] }]);
    const events = await stream(server('openai'), create('where are the docs?'), requestContext);
    const message = doneItems(events).find((item) => item.type === 'assistant_message');
    expect(message).toMatchObject({ content: [{ text, annotations: [annotation] }] });
    expect(events).toContainEqual({
      type: 'thread.item.updated',
      item_id: message!.id,
      update: { type: 'assistant_message.content_part.annotation_added', content_index: 0, annotation_index: 0, annotation },
    });
    // The Responses message id is the ChatKit item id.
    expect(message!.id).toMatch(/^msg_/);
    expect(message!.id).not.toMatch(/^msg_[0-9a-f]{24}$/);
  });

  it('Chat Completions (Gemini): present in the final message', async () => {
    mock.setScript([{ when: 'docs', text, annotations: [citation] }]);
    const events = await stream(server('gemini'), create('where are the docs?'), requestContext);
    expect(textOf(events)).toBe(text);
    expect(doneItems(events).find((item) => item.type === 'assistant_message')).toMatchObject({ content: [{ text, annotations: [annotation] }] });
  });
});

describe('reasoning', () => {
  it('Responses: a reasoning summary becomes a reasoning workflow closed before the answer', async () => {
    mock.setScript([{ when: 'think', reasoning: 'Weighing the options.', text: 'Option B.' }]);
    const events = await stream(server('openai'), create('think about it'), requestContext);
    const afterOptions = shape(events).slice(shape(events).indexOf('stream_options') + 1);
    expect(afterOptions.slice(0, 5)).toEqual([
      'added:workflow',
      'updated:workflow.task.added',
      'updated:workflow.task.updated',
      'done:workflow',
      'added:assistant_message',
    ]);
    expect(doneItems(events).find((item) => item.type === 'workflow')).toMatchObject({
      workflow: { type: 'reasoning', tasks: [{ type: 'thought', content: 'Weighing the options.' }], summary: { duration: expect.any(Number) }, expanded: false },
    });
    expect(textOf(events)).toBe('Option B.');
  });
});

describe('a whole Responses turn, as the reference streams it', () => {
  it('reasoning, a tool that shows a widget, then a two-sentence answer: event by event', async () => {
    mock.setScript([
      { when: 'tasks', reasoning: 'Listing first.', toolCalls: [{ name: 'list_tasks', arguments: { filter: null }, callId: 'call_l1' }] },
      { when: 'tasks', text: 'Here they are. Anything else?' },
    ]);
    const { listTasks } = taskTools({ tasks: [{ id: 't1', name: 'Buy milk', status: 'active' }] });
    const chat = new AgentChatServer(new Agent<AgentContext<Ctx>>({ name: 'A', model: mockServerModel(mock, 'openai'), tools: [listTasks] }));
    const events = await stream(chat, create('show my tasks'), requestContext);
    const responded = chat.responded.at(-1)!;
    expect(shape(responded).filter((step) => step !== 'updated:assistant_message.content_part.text_delta')).toEqual([
      'added:workflow',
      'updated:workflow.task.added',
      'updated:workflow.task.updated',
      // The widget closes the reasoning workflow.
      'done:workflow',
      'done:widget',
      // The message opens with its Responses id and its part; output_text.done closes the part.
      'added:assistant_message',
      'updated:assistant_message.content_part.added',
      'updated:assistant_message.content_part.done',
      'done:assistant_message',
    ]);
    const message = doneItems(responded).find((item) => item.type === 'assistant_message')!;
    expect(message.id).toMatch(/^msg_mock\d+$/); // the Responses item id, reused
    expect(responded.filter((e) => e.type === 'thread.item.updated' && e.item_id === message.id).every((e) => e.type === 'thread.item.updated' && 'content_index' in e.update && e.update.content_index === 0)).toBe(true);
    expect(textOf(events)).toBe('Here they are. Anything else?');
  });
});
