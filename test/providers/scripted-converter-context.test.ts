/**
 * The scripted model matches a turn against what the user typed, skipping the
 * user-role messages a ThreadItemConverter adds around it (widgets, hidden
 * context, tasks, quoted text, @-mention context…). It recognises them by how
 * they begin, so these tests feed it the real converter's output: a change to
 * a wrapper text that the scripted model does not follow fails here.
 */
import { describe, expect, it } from 'vitest';
import type { AgentInputItem, ModelRequest } from '@openai/agents';
import type { ThreadItem, UserMessageTagContent } from '../../src/runtime/index.js';
import { ThreadItemConverter } from '../../src/runtime/agents/index.js';
import { CONVERTER_CONTEXT_PREFIXES } from '../../src/runtime/providers/scripted-input.js';
import { ScriptedModel } from './support.js';

const base = { thread_id: 'thr_1', created_at: '2026-01-01T00:00:00.000Z' };

class TagsAsText extends ThreadItemConverter {
  override async tagToMessageContent(tag: UserMessageTagContent) {
    return { type: 'input_text' as const, text: `${tag.text} is a customer` };
  }
}

/** What the user typed, with a quoted passage and an @-mention (each adds a context message after it). */
const typed: ThreadItem = {
  ...base,
  id: 'u1',
  type: 'user_message',
  content: [
    { type: 'input_text', text: 'find the order of ' },
    { type: 'input_tag', id: 'ada', text: 'Ada', data: {}, interactive: false },
  ],
  attachments: [],
  inference_options: {},
  quoted_text: 'order 42',
};

/** One item of every kind the converter wraps as a user-role message. */
const contextItems: ThreadItem[] = [
  { ...base, id: 'w1', type: 'widget', widget: { type: 'Card', children: [] } },
  { ...base, id: 'h1', type: 'hidden_context_item', content: 'the user is on the orders page' },
  { ...base, id: 's1', type: 'sdk_hidden_context', content: 'the previous reply was cancelled' },
  { ...base, id: 't1', type: 'task', task: { type: 'custom', status_indicator: 'none', title: 'Looked up orders' } },
  { ...base, id: 'wf1', type: 'workflow', workflow: { type: 'custom', tasks: [{ type: 'custom', status_indicator: 'none', content: 'Checked stock' }], expanded: false } },
  { ...base, id: 'si1', type: 'structured_input', status: 'pending', inputs: [{ id: 'q1', type: 'freeform', question: 'Which order?' }] },
  { ...base, id: 'g1', type: 'generated_image', image: { id: 'img_1', url: 'https://example.test/i.png' } },
];

/**
 * The typed message converted on its own, as the last item (only then is its
 * quoted text added), followed by the context items: every wrapper text comes
 * after the message the scripted model must find.
 */
async function converted(): Promise<AgentInputItem[]> {
  const converter = new TagsAsText();
  return [...(await converter.toAgentInput(typed)), ...(await converter.toAgentInput(contextItems))];
}

function textOf(item: AgentInputItem): string {
  const content = (item as { content?: unknown }).content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : '')).join('');
}

describe('scripted model and the converter wrapper texts', () => {
  it('recognises every user-role message the converter adds as context', async () => {
    const input = await converted();
    const contextMessages = input.filter((item) => (item as { role?: string }).role === 'user').map(textOf).slice(1);
    // quoted text, @-mention context, and one for each item after the user's message
    expect(contextMessages).toHaveLength(2 + contextItems.length);
    for (const text of contextMessages) {
      expect(CONVERTER_CONTEXT_PREFIXES.some((prefix) => text.startsWith(prefix)), text).toBe(true);
    }
  });

  it('answers the message the user typed, not the context around it', async () => {
    const input = await converted();
    const request = { input, tools: [], handoffs: [] } as unknown as ModelRequest;
    expect(new ScriptedModel().stepFor(request)).toEqual({ text: 'You said: find the order of @Ada' });
  });
});
