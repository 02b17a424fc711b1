/**
 * The ChatKit protocol layer on its own, without an agent: `respond` turns
 * one user message into the events ChatKit renders (an assistant message
 * that is added, grows delta by delta, and is done). The `agent` template
 * replaces the hand-written events with `streamAgentResponse`.
 */
import {
  ChatKitServer,
  now,
  type AssistantMessageItem,
  type AttachmentStore,
  type HandlerOptions,
  type Store,
  type ThreadMetadata,
  type ThreadStreamEvent,
  type UserMessageItem,
} from 'create-chatkit-backend/runtime';
import { streamModelText } from 'create-chatkit-backend/providers';
import type { RequestContext } from './context.js';
import type { ChatModel } from './model.js';

const INSTRUCTIONS = 'You are a helpful assistant inside a chat widget. Answer briefly and in plain text.';

export class AppChatKitServer extends ChatKitServer<RequestContext> {
  constructor(
    store: Store<RequestContext>,
    attachmentStore: AttachmentStore<RequestContext>,
    private readonly model: ChatModel,
  ) {
    super(store, attachmentStore);
  }

  override async *respond(
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    context: RequestContext,
    { signal }: HandlerOptions,
  ): AsyncGenerator<ThreadStreamEvent> {
    // `null` follows a client tool output; this template has no client tools.
    if (input === null) return;
    const userText = input.content.map((part) => part.text).join('');

    const item: AssistantMessageItem = {
      id: this.store.generateItemId('message', thread, context),
      thread_id: thread.id,
      created_at: now(),
      type: 'assistant_message',
      content: [],
    };
    yield { type: 'thread.item.added', item };
    yield {
      type: 'thread.item.updated',
      item_id: item.id,
      update: { type: 'assistant_message.content_part.added', content_index: 0, content: { type: 'output_text', text: '', annotations: [] } },
    };

    // Each delta is sent the moment the model produces it.
    let answer = '';
    for await (const delta of streamModelText(this.model, userText, { signal, instructions: INSTRUCTIONS })) {
      answer += delta;
      yield {
        type: 'thread.item.updated',
        item_id: item.id,
        update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta },
      };
    }
    const content = { type: 'output_text' as const, text: answer, annotations: [] };
    yield {
      type: 'thread.item.updated',
      item_id: item.id,
      update: { type: 'assistant_message.content_part.done', content_index: 0, content },
    };
    // `done` is what gets saved: the full text, not the deltas.
    yield { type: 'thread.item.done', item: { ...item, content: [content] } };

    // Setting the title is sent to the client as a `thread.updated` event.
    thread.title ??= userText.slice(0, 60) || 'New chat';
  }
}
