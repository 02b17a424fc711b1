/**
 * `ChatKitServer`: the protocol engine. Subclass it, implement `respond`, and
 * hand request bodies to `process()`. Event order, persistence and error
 * behaviour follow the Python reference (`chatkit-python`) exactly; the few
 * deliberate differences are listed in the README ("Where we differ") and
 * marked where they happen.
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
  ThreadStreamEvent,
  TranscriptionResult,
} from './protocol/events.js';
import {
  isHiddenItem,
  now,
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
import { decodePythonBase64 } from './protocol/python-base64.js';
import { NonStreamingResult, StreamingResult, type PreflightMode } from './results.js';
import { EventPipeline, type StreamPlan } from './event-pipeline.js';
import { orderAttachment, pageOf, toMetadata, toThreadResponse } from './thread-response.js';
import type { AttachmentStore, Store } from './store.js';
import { loggableError } from './redact.js';
import { creationMoment, markCreated } from './creation-order.js';
import { withRequestId } from './request-logger.js';

export const DEFAULT_PAGE_SIZE = 20;
export const CANCELLED_STREAM_CONTEXT = 'The user cancelled the stream. Stop responding to the prior request.';

/** Passed to `respond` and `action`: aborted when the client goes away. */
export interface HandlerOptions {
  signal: AbortSignal;
  /** This request's logger: the server's `logger`, with the request id on every line (give it to `AgentContext` for tool errors). */
  logger: ChatKitLogger;
}

export interface ProcessOptions {
  /** Abort to cancel the stream (e.g. when the HTTP client disconnects). */
  signal?: AbortSignal;
  /** Added as `requestId` to every line the runtime logs about this request, so logs and responses can be matched. */
  requestId?: string;
}

/** Pino-compatible: `(objOrMessage, message?)`. `console` fits too. */
export interface ChatKitLogger {
  error(obj: unknown, message?: string): void;
  warn(obj: unknown, message?: string): void;
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
    const note: ThreadItem = {
      id: this.store.generateItemId('sdk_hidden_context', thread, context),
      thread_id: thread.id,
      created_at: now(),
      type: 'sdk_hidden_context',
      content: CANCELLED_STREAM_CONTEXT,
    };
    await this.store.addThreadItem(thread.id, markCreated(note, creationMoment()), context);
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
      const logger = withRequestId(this.logger, options.requestId);
      return new StreamingResult((mode) => this.pipeline(request, context, options.signal, mode, logger));
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
          data: decodePythonBase64(audio_base64, 'params.audio_base64'),
          mime_type,
          // Everything before the first `;`, untrimmed, as the reference's `media_type`.
          media_type: mime_type.split(';', 1)[0]!,
        };
        const result = await this.transcribe(audio, context);
        return toJSON({ text: result.text });
      }
      case 'threads.update': {
        // Only the title changes: metadata a stream saves meanwhile is kept.
        const { thread_id, title } = request.params;
        const thread = await this.store.updateThread(thread_id, (stored) => ({ ...stored, title }), context);
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
  // returns the events to send first plus the handler to run; the
  // `EventPipeline` sends those, then pipes the handler through the
  // persistence rules.

  private pipeline(
    request: StreamingRequest,
    context: TContext,
    signal: AbortSignal | undefined,
    mode: PreflightMode,
    logger: ChatKitLogger,
  ): EventPipeline<TContext> {
    return new EventPipeline<TContext>(
      {
        store: this.store,
        logger,
        plan: (handlerSignal) => this.planStream(request, context, { signal: handlerSignal, logger }, logger),
        streamOptions: (thread) => this.getStreamOptions(thread, context),
        handleStreamCancelled: (thread, pendingItems) => this.handleStreamCancelled(thread, pendingItems, context),
        handlerError: (error) => this.errorEventFor(error, logger),
        preambleError: (error) => this.preambleErrorEvent(error, logger),
      },
      context,
      mode,
      signal,
    );
  }

  /** The single event sent when a streaming request fails before its handler runs. */
  private preambleErrorEvent(error: unknown, logger: ChatKitLogger): ErrorEvent {
    const clientError = isClientError(error);
    if (!clientError) logger.error({ err: loggableError(error) }, 'ChatKit stream failed before its handler ran');
    return {
      type: 'error',
      code: 'stream.error',
      message: clientError ? (error as Error).message : undefined,
      allow_retry: false,
    };
  }

  /** Everything a streaming request does before its handler, in the reference's order. */
  private async planStream(request: StreamingRequest, context: TContext, options: HandlerOptions, logger: ChatKitLogger): Promise<StreamPlan> {
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
        await this.removeDanglingClientToolCalls(thread, context, logger);
        return { prefix: [], thread, handler: () => this.respond(thread, null, context, options) };
      }
      case 'threads.add_structured_input': {
        const { thread_id, item_id, input } = request.params;
        const thread = await this.store.loadThread(thread_id, context);
        const item = await this.store.loadItem(thread_id, item_id, context);
        if (item.type !== 'structured_input') {
          throw new InvalidStateError(`Item ${item_id} is a ${item.type}, not a structured_input`);
        }
        const answered = this.applyStructuredInput(item, input, logger);
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
    // Saved right after it is built, before any item of the reply: created now, for ordering.
    await this.store.addThreadItem(thread.id, markCreated(message, creationMoment()), context);
  }

  private errorEventFor(error: unknown, logger: ChatKitLogger): ErrorEvent {
    if (error instanceof CustomStreamError) {
      return { type: 'error', code: 'custom', message: error.message, allow_retry: error.allowRetry };
    }
    if (error instanceof StreamError) {
      return { type: 'error', code: error.code, allow_retry: error.allowRetry };
    }
    logger.error({ err: loggableError(error) }, 'ChatKit handler failed; the client receives a stream.error event');
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

  private applyStructuredInput(item: StructuredInputItem, submission: StructuredInputSubmission, logger: ChatKitLogger): StructuredInputItem {
    if (item.status !== 'pending') {
      throw new InvalidStateError(`Structured input ${item.id} is not pending (it is ${item.status})`);
    }
    const known = new Set(item.inputs.map((question) => question.id));
    const unknown = Object.keys(submission.answers).filter((id) => !known.has(id));
    if (unknown.length > 0) {
      logger.warn({ itemId: item.id, unknown }, 'Structured input received answers to unknown questions; ignoring them');
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

  private async removeDanglingClientToolCalls(thread: ThreadMetadata, context: TContext, logger: ChatKitLogger): Promise<void> {
    const recent = await this.store.loadThreadItems(thread.id, null, DEFAULT_PAGE_SIZE, 'desc', context);
    for (const item of recent.data) {
      if (item.type === 'client_tool_call' && item.status === 'pending') {
        logger.warn({ callId: item.call_id }, 'Client tool call was never completed; removing it');
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

