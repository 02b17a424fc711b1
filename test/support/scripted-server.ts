/**
 * A ChatKitServer whose `respond` and `action` are set per test, like the
 * scripted server the reference's golden examples were captured with.
 */
import {
  ChatKitServer,
  MemoryStore,
  type Action,
  type HandlerOptions,
  type Store,
  type ThreadMetadata,
  type ThreadStreamEvent,
  type UserMessageItem,
  type WidgetItem,
  type AttachmentStore,
} from '../../src/runtime/index.js';

export type RespondFn<C> = (
  thread: ThreadMetadata,
  input: UserMessageItem | null,
  context: C,
  options: HandlerOptions,
  server: ScriptedServer<C>,
) => AsyncIterable<ThreadStreamEvent>;

export type ActionFn<C> = (
  thread: ThreadMetadata,
  action: Action,
  sender: WidgetItem | null,
  context: C,
  options: HandlerOptions,
  server: ScriptedServer<C>,
) => AsyncIterable<ThreadStreamEvent>;

export class ScriptedServer<C = Record<string, unknown>> extends ChatKitServer<C> {
  respondWith: RespondFn<C> = async function* () {};
  actionWith: ActionFn<C> | undefined;
  inputs: (UserMessageItem | null)[] = [];

  constructor(store: Store<C> = new MemoryStore<C>(), attachmentStore?: AttachmentStore<C>) {
    super(store, attachmentStore);
    this.logger = { error() {}, warn() {} };
  }

  respond(thread: ThreadMetadata, input: UserMessageItem | null, context: C, options: HandlerOptions) {
    this.inputs.push(input);
    return this.respondWith(thread, input, context, options, this);
  }

  override action(thread: ThreadMetadata, action: Action, sender: WidgetItem | null, context: C, options: HandlerOptions) {
    if (!this.actionWith) return super.action(thread, action, sender, context, options);
    return this.actionWith(thread, action, sender, context, options, this);
  }
}

/** An assistant message item, built the way the reference builds one. */
export function assistantMessage(thread: ThreadMetadata, id: string, text: string) {
  return {
    id,
    thread_id: thread.id,
    created_at: new Date().toISOString(),
    type: 'assistant_message' as const,
    content: [{ annotations: [], text, type: 'output_text' as const }],
  };
}
