import { describe, expect, it } from 'vitest';
import type { ThreadItem } from '../../src/runtime/index.js';
import { NotImplementedError } from '../../src/runtime/index.js';
import { ThreadItemConverter, simpleToAgentInput } from '../../src/runtime/agents/index.js';

const base = { thread_id: 'thr_1', created_at: '2026-01-01T00:00:00.000Z' };
const user = (id: string, extra: Partial<Extract<ThreadItem, { type: 'user_message' }>> = {}): ThreadItem => ({
  ...base, id, type: 'user_message', content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {}, ...extra,
});
const userText = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });

describe('simpleToAgentInput (spec 7.3 wrapper texts)', () => {
  it('converts user and assistant messages, dropping annotations', async () => {
    const items: ThreadItem[] = [
      user('u1'),
      { ...base, id: 'a1', type: 'assistant_message', content: [{ type: 'output_text', text: 'Hello', annotations: [{ type: 'annotation', source: { type: 'url', url: 'https://a', title: 'A' } }] }] },
    ];
    expect(await simpleToAgentInput(items)).toEqual([
      userText('Hi'),
      { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello' }] },
    ]);
  });

  it('adds quoted text only for the last item', async () => {
    const quoted = { quoted_text: 'the part' };
    expect(await simpleToAgentInput([user('u1', quoted), user('u2', quoted)])).toEqual([
      userText('Hi'),
      userText('Hi'),
      userText('The user is referring to this in particular: \nthe part'),
    ]);
  });

  it('renders tags as @text and adds the @-mention context block with one part per unique tag', async () => {
    class Tags extends ThreadItemConverter {
      override async tagToMessageContent(tag: { text: string }) {
        return { type: 'input_text' as const, text: `${tag.text} is a person` };
      }
    }
    const tag = (text: string) => ({ type: 'input_tag' as const, id: text, text, data: {}, interactive: false });
    const item = user('u1', { content: [{ type: 'input_text', text: 'ask ' }, tag('Ada'), { type: 'input_text', text: ' and ' }, tag('Ada')] });
    expect(await new Tags().toAgentInput(item)).toEqual([
      userText('ask @Ada and @Ada'),
      {
        type: 'message',
        role: 'user',
        content: [
          {
            type: 'input_text',
            text:
              '# User-provided context for @-mentions\n' +
              "- When referencing resolved entities, use their canonical names **without** '@'.\n" +
              "- The '@' form appears only in user text and should not be echoed.",
          },
          { type: 'input_text', text: 'Ada is a person' },
        ],
      },
    ]);
  });

  it('needs hooks for attachments, tags and non-string hidden context, and says which', async () => {
    const attachment = { id: 'atc_1', name: 'a.png', mime_type: 'image/png', type: 'image' as const, preview_url: 'https://p' };
    await expect(simpleToAgentInput(user('u1', { attachments: [attachment] }))).rejects.toThrow(/attachmentToMessageContent is not implemented/);
    await expect(
      simpleToAgentInput(user('u1', { content: [{ type: 'input_tag', id: 't', text: 'x', data: {}, interactive: false }] })),
    ).rejects.toBeInstanceOf(NotImplementedError);
    await expect(simpleToAgentInput({ ...base, id: 'h', type: 'hidden_context_item', content: { a: 1 } })).rejects.toThrow(/hiddenContextToInput/);

    class Images extends ThreadItemConverter {
      override async attachmentToMessageContent(a: { id: string }) {
        return { type: 'input_image' as const, image: `https://files/${a.id}` };
      }
    }
    expect(await new Images().toAgentInput(user('u1', { attachments: [attachment] }))).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }, { type: 'input_image', image: 'https://files/atc_1' }] },
    ]);
  });

  it('replays completed client tool calls as a function call and its output, and skips pending ones', async () => {
    const call = { ...base, id: 'tc_1', type: 'client_tool_call' as const, call_id: 'call_abc', name: 'get_selection', arguments: { scope: 'page' } };
    expect(await simpleToAgentInput([{ ...call, status: 'pending' }])).toEqual([]);
    expect(await simpleToAgentInput([{ ...call, status: 'completed', output: { nodes: ['n1', 'n2'] } }])).toEqual([
      { type: 'function_call', callId: 'call_abc', name: 'get_selection', arguments: '{"scope": "page"}', status: 'completed' },
      { type: 'function_call_result', callId: 'call_abc', name: 'get_selection', status: 'completed', output: '{"nodes": ["n1", "n2"]}' },
    ]);
  });

  it('describes widgets, tasks, workflows, structured input, hidden context and images', async () => {
    const items: ThreadItem[] = [
      { ...base, id: 'msg_w', type: 'widget', widget: { type: 'Card', children: [{ type: 'Text', value: 'Hi' }] }, copy_text: 'Hi' },
      { ...base, id: 't1', type: 'task', task: { status_indicator: 'complete', type: 'custom', title: 'Booked', content: 'Room 4' } },
      { ...base, id: 't2', type: 'task', task: { status_indicator: 'none', type: 'thought', content: 'secret' } },
      {
        ...base, id: 'wf', type: 'workflow',
        workflow: {
          type: 'custom', expanded: false,
          tasks: [
            { status_indicator: 'none', type: 'custom', title: 'Only title' },
            { status_indicator: 'none', type: 'custom', content: 'Only content' },
            { status_indicator: 'none', type: 'custom' },
            { status_indicator: 'none', type: 'web_search', queries: ['q'], sources: [] },
          ],
        },
      },
      {
        ...base, id: 'si', type: 'structured_input', status: 'answered',
        inputs: [
          { id: 'p', question: 'Priority?', type: 'multiple_choice', options: [{ value: 'Low' }, { value: 'High' }], answer: { values: ['High', 'Low'], skipped: false } },
          { id: 'n', question: 'Notes?', type: 'freeform', answer: { values: [], skipped: true } },
          { id: 'o', question: 'Other?', type: 'freeform' },
        ],
      },
      { ...base, id: 'h1', type: 'hidden_context_item', content: 'plan: gold' },
      { ...base, id: 'h2', type: 'sdk_hidden_context', content: 'The user cancelled the stream.' },
      { ...base, id: 'img0', type: 'generated_image' },
      { ...base, id: 'img1', type: 'generated_image', image: { id: 'ig', url: 'https://img/1.png' } },
      { ...base, id: 'eot', type: 'end_of_turn' },
    ];
    const task = (text: string) => userText(`A message was displayed to the user that the following task was performed:\n<Task>\n${text}\n</Task>`);
    expect(await simpleToAgentInput(items)).toEqual([
      userText('The following graphical UI widget (id: msg_w) was displayed to the user:{"type":"Card","children":[{"type":"Text","value":"Hi"}]}'),
      task('Booked: Room 4'),
      task('Only title'),
      task('Only content'),
      userText(
        'A structured input request was displayed to the user with the following status: answered\n' +
          '<StructuredInput>\n- Priority?: High, Low\n- Notes?: skipped\n- Other?: unanswered\n</StructuredInput>',
      ),
      userText('Hidden context for the agent (not shown to the user):\n<HiddenContext>\nplan: gold\n</HiddenContext>'),
      userText('Hidden context for the agent (not shown to the user):\n<HiddenContext>\nThe user cancelled the stream.\n</HiddenContext>'),
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'The following image was generated by the agent.' },
          { type: 'input_image', detail: 'auto', image: 'https://img/1.png' },
        ],
      },
    ]);
  });
});
