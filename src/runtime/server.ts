/**
 * `ChatKitServer`: the protocol engine. Subclass it, implement `respond`, and
 * hand request bodies to `process()`. Event order, persistence and error
 * behaviour follow the Python reference (`chatkit-python`) exactly; the one
 * deliberate difference is documented on `process()`.
 */
import {
  ChatKitRequestError,
  CustomStreamError,
  InvalidStateError,
  NotFoundError,
  NotImplementedError,
  StreamError,
} from './errors.js';
import type {
  ErrorEvent,
  StreamOptions,
  SyncCustomActionResponse,
  ThreadItemUpdatedEvent,
  ThreadStreamEvent,
  TranscriptionResult,
} from './protocol/events.js';
import {
  isHiddenItem,
  now,
  type AssistantMessageContent,
  type AssistantMessageItem,
  type Attachment,
  type Page,
  type StructuredInputItem,
  type Thread,
  type ThreadItem,
  type ThreadMetadata,
  type UserMessageItem,
  type WidgetItem,
} from './protocol/items.js';
import { parseRequest } from './protocol/parse.js';
import {
  isStreamingRequest,
  type Action,
  type AudioInput,
  type FeedbackKind,
  type NonStreamingRequest,
  type StreamingRequest,
  type StructuredInputSubmission,
  type UserMessageInput,
} from './protocol/requests.js';
import { toJSON } from './protocol/serialize.js';
import { NonStreamingResult, PreambleError, StreamingResult, type PreflightMode } from './results.js';
import type { AttachmentStore, Store } from './store.js';
import { deepEqual } from './deep-equal.js';

export const DEFAULT_PAGE_SIZE = 20;
export const CANCELLED_STREAM_CONTEXT = 'The user cancelled the stream. Stop responding to the prior request.';

/** Passed to `respond` and `action`: aborted when the client goes away. */
export interface HandlerOptions {
  signal: AbortSignal;
}

export interface ProcessOptions {
  /** Abort to cancel the stream (e.g. when the HTTP client disconnects). */
  signal?: AbortSignal;
}

/** Pino-compatible: `(objOrMessage, message?)`. `console` fits too. */
export interface ChatKitLogger {
  error(obj: unknown, message?: string): void;
  warn(obj: unknown, message?: string): void;
}

/** The abort reason once a stream is over; shared, because `abort()` without one builds a DOMException per stream. */
const STREAM_ENDED = Object.freeze(new Error('The ChatKit stream ended'));

class StreamCancelled extends Error {
  override name = 'StreamCancelled';
}

/** What a streaming request does before its handler: the events to send first, then the handler to run. */
interface StreamPlan {
  prefix: ThreadStreamEvent[];
  thread: ThreadMetadata;
  /** Sent as one `error` event after `prefix` (a failure after the first event). */
  failure?: unknown;
  handler?: () => AsyncIterable<ThreadStreamEvent>;
}

export abstract class ChatKitServer<TContext = unknown> {
  readonly store: Store<TContext>;
  readonly attachmentStore: AttachmentStore<TContext> | undefined;
  /** Where handler exceptions are reported. Replace with your app's logger. */
  logger: ChatKitLogger = console;

  constructor(store: Store<TContext>, attachmentStore?: AttachmentStore<TContext>) {
    this.store = store;
    this.attachmentStore = attachmentStore;
  }

  // ------------------------------------------------------------------ hooks

  /**
   * Streams the response to a new user message, or (with `input === null`) to
   * a client tool output or structured input submission.
   */
  abstract respond(
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    context: TContext,
    options: HandlerOptions,
  ): AsyncIterable<ThreadStreamEvent>;

  /** Reacts to a widget action sent as `threads.custom_action`. */
  action(
    _thread: ThreadMetadata,
    _action: Action,
    _sender: WidgetItem | null,
    _context: TContext,
    _options: HandlerOptions,
  ): AsyncIterable<ThreadStreamEvent> {
    return failingStream(
      new NotImplementedError('action() must be overridden to react to widget actions (threads.custom_action)'),
    );
  }

  /** Reacts to a non-streaming widget action (`threads.sync_custom_action`). The result is not persisted. */
  async syncAction(
    _thread: ThreadMetadata,
    _action: Action,
    _sender: WidgetItem | null,
    _context: TContext,
  ): Promise<SyncCustomActionResponse> {
    throw new NotImplementedError('syncAction() must be overridden to react to sync widget actions (threads.sync_custom_action)');
  }

  /** Records thumbs up/down. Does nothing by default. */
  async addFeedback(_threadId: string, _itemIds: string[], _kind: FeedbackKind, _context: TContext): Promise<void> {}

  /** Dictation (`input.transcribe`). */
  async transcribe(_audio: AudioInput, _context: TContext): Promise<TranscriptionResult> {
    throw new NotImplementedError('transcribe() must be overridden to support dictation (input.transcribe)');
  }

  getStreamOptions(_thread: ThreadMetadata, _context: TContext): StreamOptions {
    return { allow_cancel: true };
  }

  /**
   * Runs when the client goes away mid-stream. By default it keeps the
   * non-empty pending assistant messages (not widgets or workflows) and adds
   * a hidden note so the model does not continue the cancelled answer.
   */
  async handleStreamCancelled(thread: ThreadMetadata, pendingItems: ThreadItem[], context: TContext): Promise<void> {
    for (const item of pendingItems) {
      if (item.type !== 'assistant_message') continue;
      const empty = item.content.length === 0 || item.content.every((part) => !part.text.trim());
      if (!empty) await this.store.addThreadItem(thread.id, item, context);
    }
    await this.store.addThreadItem(
      thread.id,
      {
        id: this.store.generateItemId('sdk_hidden_context', thread, context),
        thread_id: thread.id,
        created_at: now(),
        type: 'sdk_hidden_context',
        content: CANCELLED_STREAM_CONTEXT,
      },
      context,
    );
  }

  // ------------------------------------------------------------------ entry point

  /**
   * Parses one request body and runs it.
   *
   * @throws ChatKitRequestError for a body that is not a valid request, and,
   *   for non-streaming requests, NotFoundError / InvalidStateError /
   *   NotImplementedError from the handler.
   *
   * Difference from the reference: when a streaming request fails before its
   * first event (unknown thread, no pending client tool call, a retry target
   * that is not a user message, a structured input that is not pending), the
   * reference drops the connection; we send one `error` event
   * (`stream.error`, `allow_retry: false`, with a message) and end the stream
   * cleanly. Call `StreamingResult.prepare()` to receive that failure as an
   * exception instead (the Fastify plugin does, to answer 404/409).
   */
  async process(
    body: string | Uint8Array,
    context: TContext,
    options: ProcessOptions = {},
  ): Promise<StreamingResult | NonStreamingResult> {
    const request = parseRequest(body);
    if (isStreamingRequest(request)) {
      return new StreamingResult((mode) => this.runStream(request, context, options.signal, mode));
    }
    return new NonStreamingResult(await this.processNonStreaming(request, context));
  }

  // ------------------------------------------------------------------ non-streaming

  private async processNonStreaming(request: NonStreamingRequest, context: TContext): Promise<string> {
    switch (request.type) {
      case 'threads.get_by_id': {
        const thread = await this.store.loadThread(request.params.thread_id, context);
        const items = await this.store.loadThreadItems(thread.id, null, DEFAULT_PAGE_SIZE, 'asc', context);
        return toJSON(toThreadResponse({ ...thread, items }));
      }
      case 'threads.list': {
        const { limit, after, order } = request.params;
        const page = await this.store.loadThreads(limit || DEFAULT_PAGE_SIZE, after ?? null, order, context);
        return toJSON(pageOf(page.data.map(toThreadResponse), page));
      }
      case 'items.list': {
        const { thread_id, limit, after, order } = request.params;
        const page = await this.store.loadThreadItems(thread_id, after ?? null, limit || DEFAULT_PAGE_SIZE, order, context);
        return toJSON(pageOf(page.data.filter((item) => !isHiddenItem(item)), page));
      }
      case 'items.feedback': {
        // Not in the reference: makes feedback on someone else's thread a 404.
        await this.store.loadThread(request.params.thread_id, context);
        await this.addFeedback(request.params.thread_id, request.params.item_ids, request.params.kind, context);
        return '{}';
      }
      case 'attachments.create': {
        const attachmentStore = this.requireAttachmentStore();
        const attachment = await attachmentStore.createAttachment(request.params, context);
        await this.store.saveAttachment(attachment, context);
        return toJSON(orderAttachment(attachment));
      }
      case 'attachments.delete': {
        const attachmentStore = this.requireAttachmentStore();
        // Not in the reference: check the record first, so nobody can delete
        // bytes of an attachment they cannot see.
        await this.store.loadAttachment(request.params.attachment_id, context);
        await attachmentStore.deleteAttachment(request.params.attachment_id, context);
        await this.store.deleteAttachment(request.params.attachment_id, context);
        return '{}';
      }
      case 'input.transcribe': {
        const { audio_base64, mime_type } = request.params;
        const audio: AudioInput = {
          data: new Uint8Array(Buffer.from(audio_base64, 'base64')),
          mime_type,
          media_type: mime_type.split(';')[0]!.trim(),
        };
        const result = await this.transcribe(audio, context);
        return toJSON({ text: result.text });
      }
      case 'threads.update': {
        const thread = await this.store.loadThread(request.params.thread_id, context);
        thread.title = request.params.title;
        await this.store.saveThread(thread, context);
        return toJSON(toThreadResponse(thread));
      }
      case 'threads.delete': {
        await this.store.deleteThread(request.params.thread_id, context);
        return '{}';
      }
      case 'threads.sync_custom_action': {
        const { thread_id, item_id, action } = request.params;
        const thread = await this.store.loadThread(thread_id, context);
        const sender = item_id ? await this.store.loadItem(thread_id, item_id, context) : null;
        if (sender && sender.type !== 'widget') {
          throw new InvalidStateError(
            `threads.sync_custom_action requires a widget sender item; ${item_id} is a ${sender.type}`,
          );
        }
        const response = await this.syncAction(thread, action as Action, sender, context);
        return toJSON(response ?? {});
      }
    }
  }

  private requireAttachmentStore(): AttachmentStore<TContext> {
    if (!this.attachmentStore) {
      throw new NotImplementedError(
        'No AttachmentStore is configured: pass one as the second argument of the ChatKitServer constructor to accept attachments',
      );
    }
    return this.attachmentStore;
  }

  // ------------------------------------------------------------------ streaming
  //
  // A streaming request runs in two phases. `planStream` does everything
  // before the handler (loading, validating, saving the user message) and
  // returns the events to send first plus the handler to run. `runStream`
  // sends those, then pipes the handler through the persistence rules. It is
  // one generator on purpose: every extra generator layer costs a promise
  // hop per event, and events are the hot path.

  private async *runStream(
    request: StreamingRequest,
    context: TContext,
    outerSignal: AbortSignal | undefined,
    mode: PreflightMode,
  ): AsyncGenerator<ThreadStreamEvent, void, undefined> {
    const controller = new AbortController();
    const signal = controller.signal;
    const abort = () => controller.abort(outerSignal?.reason);
    if (outerSignal?.aborted) abort();
    else outerSignal?.addEventListener('abort', abort, { once: true });

    // One abort listener per stream, rejecting whichever `next()` is pending.
    let rejectPending: ((reason: unknown) => void) | undefined;
    const onAbort = () => rejectPending?.(new StreamCancelled());
    signal.addEventListener('abort', onAbort, { once: true });

    let plan: StreamPlan;
    let finished = false;
    let pending: Map<string, ThreadItem> | undefined;
    let iterator: AsyncIterator<ThreadStreamEvent> | undefined;
    let thread: ThreadMetadata | undefined;
    try {
      try {
        plan = await this.planStream(request, context, { signal });
      } catch (error) {
        if (mode.preflight) throw new PreambleError(error);
        yield this.preambleErrorEvent(error);
        finished = true;
        return;
      }
      for (const event of plan.prefix) yield event;
      if (plan.failure !== undefined) {
        yield this.preambleErrorEvent(plan.failure);
        finished = true;
        return;
      }
      if (!plan.handler) {
        finished = true;
        return;
      }
      thread = plan.thread;
      yield { type: 'stream_options', stream_options: this.getStreamOptions(thread, context) };

      // Checked after every event, so it compares in place against a copy of
      // the client-visible fields rather than serializing the thread.
      const current = thread;
      let snapshot = structuredClone(threadState(current));
      const changed = () => {
        const state = threadState(current);
        if (deepEqual(state, snapshot)) return false;
        snapshot = structuredClone(state);
        return true;
      };
      // Items streamed but not yet done, kept up to date so a cancellation can save them.
      pending = new Map();
      try {
        iterator = plan.handler()[Symbol.asyncIterator]();
        const it = iterator;
        const next = (): Promise<IteratorResult<ThreadStreamEvent>> => {
          if (signal.aborted) return Promise.reject(new StreamCancelled());
          return new Promise((resolve, reject) => {
            rejectPending = reject;
            it.next().then(resolve, reject);
          });
        };
        while (true) {
          const step = await next();
          rejectPending = undefined;
          if (step.done) break;
          const event = step.value;
          switch (event.type) {
            case 'thread.item.added':
              pending.set(event.item.id, structuredClone(event.item));
              break;
            case 'thread.item.done':
              await this.store.addThreadItem(current.id, event.item, context);
              pending.delete(event.item.id);
              break;
            case 'thread.item.removed':
              await this.store.deleteThreadItem(current.id, event.item_id, context);
              pending.delete(event.item_id);
              break;
            case 'thread.item.replaced':
              await this.store.saveItem(current.id, event.item, context);
              pending.delete(event.item.id);
              break;
            case 'thread.item.updated':
              applyToPending(pending, event);
              break;
          }
          if (!(event.type === 'thread.item.done' && isHiddenItem(event.item))) yield event;
          if (changed()) {
            await this.store.saveThread(toMetadata(current), context);
            yield { type: 'thread.updated', thread: toThreadResponse(current) };
          }
        }
      } catch (error) {
        if (error instanceof StreamCancelled) throw error;
        yield this.errorEventFor(error);
      }
      if (changed()) {
        await this.store.saveThread(toMetadata(current), context);
        yield { type: 'thread.updated', thread: toThreadResponse(current) };
      }
      finished = true;
    } catch (error) {
      if (!(error instanceof StreamCancelled)) throw error;
    } finally {
      rejectPending = undefined;
      signal.removeEventListener('abort', onAbort);
      outerSignal?.removeEventListener('abort', abort);
      // The consumer stopped (or the stream ended): stop any model call still running.
      if (!signal.aborted) controller.abort(STREAM_ENDED);
      if (!finished && pending && thread) {
        // The client went away (abort signal) or the consumer stopped reading mid-handler.
        try {
          await this.handleStreamCancelled(thread, [...pending.values()], context);
        } catch (error) {
          this.logger.error({ err: error }, 'handleStreamCancelled failed');
        }
        // Close the handler so its `finally` blocks run. Not awaited: a handler
        // stuck in an await only reaches its `finally` once that settles.
        iterator?.return?.()?.catch(() => {});
      }
    }
  }

  /** The single event sent when a streaming request fails before its handler runs. */
  private preambleErrorEvent(error: unknown): ErrorEvent {
    const clientError = isClientError(error);
    if (!clientError) this.logger.error({ err: error }, 'ChatKit stream failed before its handler ran');
    return {
      type: 'error',
      code: 'stream.error',
      message: clientError ? (error as Error).message : undefined,
      allow_retry: false,
    };
  }

  /** Everything a streaming request does before its handler, in the reference's order. */
  private async planStream(request: StreamingRequest, context: TContext, options: HandlerOptions): Promise<StreamPlan> {
    switch (request.type) {
      case 'threads.create': {
        const thread: Thread = {
          id: this.store.generateThreadId(context),
          created_at: now(),
          status: { type: 'active' },
          metadata: {},
          items: { data: [], has_more: false },
        };
        // Unlike the reference, attachments are resolved before the thread is
        // saved, so an unknown attachment leaves no empty thread behind.
        const message = await this.buildUserMessage(request.params.input, thread, context);
        await this.store.saveThread(toMetadata(thread), context);
        const created: ThreadStreamEvent = { type: 'thread.created', thread: toThreadResponse(thread) };
        try {
          await this.saveUserMessage(thread, message, context);
        } catch (failure) {
          return { prefix: [created], thread, failure };
        }
        return {
          prefix: [created, { type: 'thread.item.done', item: message }],
          thread,
          handler: () => this.respond(thread, message, context, options),
        };
      }
      case 'threads.add_user_message': {
        const thread = await this.store.loadThread(request.params.thread_id, context);
        const message = await this.buildUserMessage(request.params.input, thread, context);
        await this.saveUserMessage(thread, message, context);
        return {
          prefix: [{ type: 'thread.item.done', item: message }],
          thread,
          handler: () => this.respond(thread, message, context, options),
        };
      }
      case 'threads.add_client_tool_output': {
        const thread = await this.store.loadThread(request.params.thread_id, context);
        const latest = await this.store.loadThreadItems(thread.id, null, 1, 'desc', context);
        const call = latest.data.find((item) => item.type === 'client_tool_call' && item.status === 'pending');
        if (!call || call.type !== 'client_tool_call') {
          throw new InvalidStateError(`The latest item of thread ${thread.id} is not a pending client tool call`);
        }
        call.output = request.params.result;
        call.status = 'completed';
        await this.store.saveItem(thread.id, call, context);
        await this.removeDanglingClientToolCalls(thread, context);
        return { prefix: [], thread, handler: () => this.respond(thread, null, context, options) };
      }
      case 'threads.add_structured_input': {
        const { thread_id, item_id, input } = request.params;
        const thread = await this.store.loadThread(thread_id, context);
        const item = await this.store.loadItem(thread_id, item_id, context);
        if (item.type !== 'structured_input') {
          throw new InvalidStateError(`Item ${item_id} is a ${item.type}, not a structured_input`);
        }
        const answered = this.applyStructuredInput(item, input);
        const self = this;
        return {
          prefix: [],
          thread,
          // The replacement goes through the pipeline so it is persisted like any other.
          handler: async function* () {
            yield { type: 'thread.item.replaced', item: answered };
            yield* self.respond(thread, null, context, options);
          },
        };
      }
      case 'threads.retry_after_item': {
        const { thread_id, item_id } = request.params;
        const thread = await this.store.loadThread(thread_id, context);
        const newer: ThreadItem[] = [];
        for await (const item of this.itemsNewestFirst(thread_id, context)) {
          if (item.id === item_id) {
            if (item.type !== 'user_message') {
              throw new InvalidStateError(`Item ${item_id} is a ${item.type}, not a user message; only a user message can be retried`);
            }
            for (const stale of newer) await this.store.deleteThreadItem(thread_id, stale.id, context);
            return { prefix: [], thread, handler: () => this.respond(thread, item, context, options) };
          }
          newer.push(item);
        }
        return { prefix: [], thread }; // unknown item: an empty stream, as in the reference
      }
      case 'threads.custom_action': {
        const { thread_id, item_id, action } = request.params;
        const thread = await this.store.loadThread(thread_id, context);
        const sender = item_id ? await this.store.loadItem(thread_id, item_id, context) : null;
        if (sender && sender.type !== 'widget') {
          return { prefix: [{ type: 'error', code: 'stream.error', allow_retry: false }], thread };
        }
        return { prefix: [], thread, handler: () => this.action(thread, action as Action, sender, context, options) };
      }
    }
  }

  private async saveUserMessage(thread: ThreadMetadata, message: UserMessageItem, context: TContext): Promise<void> {
    // Attachments are saved again now that they carry the thread id.
    for (const attachment of message.attachments) await this.store.saveAttachment(attachment, context);
    await this.store.addThreadItem(thread.id, message, context);
  }

  private errorEventFor(error: unknown): ErrorEvent {
    if (error instanceof CustomStreamError) {
      return { type: 'error', code: 'custom', message: error.message, allow_retry: error.allowRetry };
    }
    if (error instanceof StreamError) {
      return { type: 'error', code: error.code, allow_retry: error.allowRetry };
    }
    this.logger.error({ err: error }, 'ChatKit handler failed; the client receives a stream.error event');
    return { type: 'error', code: 'stream.error', allow_retry: true };
  }

  // ------------------------------------------------------------------ helpers

  private async buildUserMessage(
    input: UserMessageInput,
    thread: ThreadMetadata,
    context: TContext,
  ): Promise<UserMessageItem> {
    const id = this.store.generateItemId('message', thread, context);
    const attachments: Attachment[] = [];
    for (const attachmentId of input.attachments) {
      const attachment = await this.store.loadAttachment(attachmentId, context);
      attachments.push(orderAttachment({ ...attachment, thread_id: thread.id }));
    }
    return {
      id,
      thread_id: thread.id,
      created_at: now(),
      type: 'user_message',
      content: input.content,
      attachments,
      quoted_text: input.quoted_text,
      inference_options: input.inference_options,
    };
  }

  private applyStructuredInput(item: StructuredInputItem, submission: StructuredInputSubmission): StructuredInputItem {
    if (item.status !== 'pending') {
      throw new InvalidStateError(`Structured input ${item.id} is not pending (it is ${item.status})`);
    }
    const known = new Set(item.inputs.map((question) => question.id));
    const unknown = Object.keys(submission.answers).filter((id) => !known.has(id));
    if (unknown.length > 0) {
      this.logger.warn({ itemId: item.id, unknown }, 'Structured input received answers to unknown questions; ignoring them');
    }
    const inputs = item.inputs.map((question) => {
      const answer = Object.hasOwn(submission.answers, question.id) ? submission.answers[question.id] : undefined;
      let values: string[] | undefined;
      if (submission.status !== 'skipped' && answer && !answer.skipped && answer.values.length > 0) {
        values = question.type === 'multiple_choice' && !question.multiple ? answer.values.slice(0, 1) : answer.values;
      }
      const { id, question: text, answer: _previous, ...rest } = question;
      // `answer` sits right after `question`, where the reference puts it.
      return {
        id,
        question: text,
        answer: values ? { values, skipped: false } : { values: [], skipped: true },
        ...rest,
      } as typeof question;
    });
    return { ...structuredClone(item), inputs, status: submission.status };
  }

  private async removeDanglingClientToolCalls(thread: ThreadMetadata, context: TContext): Promise<void> {
    const recent = await this.store.loadThreadItems(thread.id, null, DEFAULT_PAGE_SIZE, 'desc', context);
    for (const item of recent.data) {
      if (item.type === 'client_tool_call' && item.status === 'pending') {
        this.logger.warn({ callId: item.call_id }, 'Client tool call was never completed; removing it');
        await this.store.deleteThreadItem(thread.id, item.id, context);
      }
    }
  }

  private async *itemsNewestFirst(threadId: string, context: TContext): AsyncGenerator<ThreadItem> {
    let after: string | null = null;
    while (true) {
      const page: Page<ThreadItem> = await this.store.loadThreadItems(threadId, after, DEFAULT_PAGE_SIZE, 'desc', context);
      yield* page.data;
      if (!page.has_more || !page.after) return;
      after = page.after;
    }
  }
}

// -------------------------------------------------------------------- module helpers

// A stream that fails when read, so the error surfaces inside the event pipeline.
// eslint-disable-next-line require-yield
async function* failingStream(error: Error): AsyncGenerator<ThreadStreamEvent, void, undefined> {
  throw error;
}

/** Errors caused by the request rather than by the server. */
function isClientError(error: unknown): boolean {
  return (
    error instanceof NotFoundError ||
    error instanceof InvalidStateError ||
    error instanceof ChatKitRequestError ||
    error instanceof NotImplementedError
  );
}

/** Mirrors item updates onto the pending copies, as the reference does for cancellation. */
function applyToPending(pending: Map<string, ThreadItem>, event: ThreadItemUpdatedEvent): void {
  const item = pending.get(event.item_id);
  if (!item) return;
  const update = event.update;
  if (item.type === 'assistant_message') {
    applyAssistantMessageUpdate(item, update);
  } else if (item.type === 'workflow') {
    if (update.type === 'workflow.task.updated') item.workflow.tasks[update.task_index] = structuredClone(update.task);
    else if (update.type === 'workflow.task.added') item.workflow.tasks.push(structuredClone(update.task));
  }
}

function applyAssistantMessageUpdate(item: AssistantMessageItem, update: ThreadItemUpdatedEvent['update']): void {
  if (!update.type.startsWith('assistant_message.')) return;
  const index = (update as { content_index: number }).content_index;
  while (item.content.length <= index) item.content.push({ annotations: [], text: '', type: 'output_text' });
  const part = item.content[index] as AssistantMessageContent;
  switch (update.type) {
    case 'assistant_message.content_part.added':
    case 'assistant_message.content_part.done':
      item.content[index] = structuredClone(update.content);
      break;
    case 'assistant_message.content_part.text_delta':
      part.text += update.delta;
      break;
    case 'assistant_message.content_part.annotation_added':
      if (update.annotation_index <= part.annotations.length) {
        part.annotations.splice(update.annotation_index, 0, structuredClone(update.annotation));
      } else {
        part.annotations.push(structuredClone(update.annotation));
      }
      break;
  }
}

/** The fields of a thread a handler may change (the thread's `items` never change during a stream). */
function threadState(thread: ThreadMetadata): unknown[] {
  return [thread.id, thread.created_at, thread.title, thread.status, thread.allowed_image_domains, thread.metadata];
}

/** Thread metadata without `items`: what stores save. */
export function toMetadata(thread: ThreadMetadata): ThreadMetadata {
  if (!('items' in thread)) return thread;
  const { items: _items, ...metadata } = thread as Thread;
  return metadata;
}

/**
 * The client's view of a thread: server-side `metadata` is replaced by `{}`,
 * hidden items are filtered out, and keys follow the reference's order.
 */
export function toThreadResponse(thread: ThreadMetadata | Thread): Thread {
  const items: Page<ThreadItem> = 'items' in thread && thread.items ? (thread as Thread).items : { data: [], has_more: false };
  const response: Record<string, unknown> = {};
  if (thread.title != null) response.title = thread.title;
  response.id = thread.id;
  response.created_at = thread.created_at;
  response.status = thread.status ?? { type: 'active' };
  if (thread.allowed_image_domains != null) response.allowed_image_domains = thread.allowed_image_domains;
  response.metadata = {};
  response.items = pageOf(items.data.filter((item) => !isHiddenItem(item)), items);
  return response as unknown as Thread;
}

function pageOf<T>(data: T[], page: Page<unknown>): Page<T> {
  const result: Page<T> = { data, has_more: page.has_more };
  if (page.after != null) result.after = page.after;
  return result;
}

const ATTACHMENT_KEY_ORDER = ['id', 'name', 'mime_type', 'upload_descriptor', 'thread_id', 'metadata', 'type', 'preview_url'];

/** An attachment with its keys in the reference's order (serialization drops `metadata`). */
export function orderAttachment<T extends Attachment>(attachment: T): T {
  const ordered: Record<string, unknown> = {};
  const source = attachment as unknown as Record<string, unknown>;
  for (const key of ATTACHMENT_KEY_ORDER) if (key in source) ordered[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in ordered)) ordered[key] = source[key];
  return ordered as T;
}
