/**
 * The state machine behind `streamAgentResponse`: one Agents SDK stream event
 * (or one event a tool queued on the context) in, the ChatKit events it means
 * out. No I/O here; the generator in `stream-agent-response.ts` feeds it.
 *
 * A model response that streams raw Responses events (`data.type ===
 * 'model'`, `response.*`) is translated as chatkit-python does: messages,
 * content parts, citations, reasoning summaries and generated images come
 * from those events, with the Responses item ids and content indexes, and
 * the SDK's normalized text events of that response are ignored.
 *
 * Any other model (Chat Completions, scripted) only emits normalized events:
 * an assistant message with a generated id opens on the first
 * `output_text_delta`, streams one content part and closes on
 * `response_done` with every part the model returned.
 */
import type { RunStreamEvent } from '@openai/agents';
import type { ThreadStreamEvent } from '../protocol/events.js';
import {
  now,
  type AssistantMessageContent,
  type AssistantMessageItem,
  type ClientToolCallItem,
  type ThoughtTask,
  type ThreadItem,
} from '../protocol/items.js';
import { newWorkflowItem, type AgentContext } from './context.js';
import { convertAnnotation, convertContent, outputText, type ResponseStreamConverter } from './response-stream-converter.js';
import { cloneJson } from '../clone.js';

interface OpenMessage {
  id: string;
  text: string;
  closed: boolean;
}

interface FunctionCall {
  callId: string;
  itemId: string | undefined;
  name: string;
}

interface StreamingThought {
  providerItemId: string;
  summaryIndex: number;
  task: ThoughtTask;
}

type RawEvent = Record<string, any>;

const TERMINAL_RESPONSES_EVENTS = new Set(['response.completed', 'response.failed', 'response.incomplete']);

export class RunTranslator<TContext> {
  /** Ids of every item this run put in the thread, for rollback on a guardrail trip. */
  readonly produced = new Set<string>();
  /** The model response in progress streams raw Responses events, which then drive the messages. */
  private responsesStream = false;
  /** The message being streamed from normalized events. */
  private current: OpenMessage | null = null;
  /** Messages of the model response in progress, in order (normalized events). */
  private turnMessages: OpenMessage[] = [];
  private readonly annotationCounts = new Map<string, number>();
  /** Message ids the raw Responses events of this run announced. */
  private readonly announcedMessageIds = new Set<string>();
  private readonly functionCalls: FunctionCall[] = [];
  private lastToolCall: FunctionCall | null = null;
  private streamingThought: StreamingThought | null = null;
  /** Function call ids of non-Responses model responses: Chat Completions puts the chunk id there, not an item id. */
  private readonly chunkFunctionCallIds = new Set<string>();

  constructor(
    private readonly ctx: AgentContext<TContext>,
    private readonly converter: ResponseStreamConverter,
  ) {}

  /** Resumes the workflow the previous turn left open (spec 7.2, start of the run). */
  resumeWorkflow(recentItems: ThreadItem[]): void {
    const [last, secondLast] = recentItems;
    if (last?.type === 'workflow') this.ctx.workflowItem = last;
    else if (last?.type === 'client_tool_call' && secondLast?.type === 'workflow') this.ctx.workflowItem = secondLast;
  }

  // ---------------------------------------------------------------- events queued by tools

  /** Events tools queued: passed through as they are (the context already applied the workflow rule). */
  fromContext(event: ThreadStreamEvent): ThreadStreamEvent[] {
    if (event.type === 'thread.item.added' || event.type === 'thread.item.done') this.produced.add(event.item.id);
    return [event];
  }

  // ---------------------------------------------------------------- events of the run

  async fromRun(event: RunStreamEvent): Promise<ThreadStreamEvent[]> {
    if (event.type === 'run_item_stream_event') {
      this.recordToolCall(event.item);
      return [];
    }
    if (event.type !== 'raw_model_stream_event') return [];
    const data = event.data as RawEvent;
    switch (data.type) {
      case 'response_started': {
        // A new model response: it says below whether it is a Responses stream.
        this.responsesStream = false;
        return this.current && !this.current.closed ? this.closeTurn([]) : [];
      }
      case 'output_text_delta':
        if (this.responsesStream) return [];
        return this.textDelta(String(data.delta ?? ''));
      case 'response_done': {
        const output: RawEvent[] = Array.isArray(data.response?.output) ? data.response.output : [];
        if (this.responsesStream) {
          // This model response is over; the next one says again what it is.
          this.responsesStream = false;
          return this.unannouncedMessages(output);
        }
        for (const item of output) if (item?.type === 'function_call' && typeof item.id === 'string') this.chunkFunctionCallIds.add(item.id);
        return this.closeTurn(output);
      }
      case 'model': {
        const raw = data.event as RawEvent | undefined;
        if (!raw || typeof raw.type !== 'string' || !raw.type.startsWith('response.')) return [];
        // The terminal event follows `response_done`: it ends this response, it does not start one.
        if (TERMINAL_RESPONSES_EVENTS.has(raw.type)) return [];
        const out: ThreadStreamEvent[] = [];
        if (!this.responsesStream) {
          this.responsesStream = true;
          if (this.current && !this.current.closed) out.push(...this.close(this.current));
        }
        out.push(...(await this.fromResponsesEvent(raw)));
        return out;
      }
      default:
        return [];
    }
  }

  /**
   * Remembers the run's tool calls for the client tool call item. As in the
   * reference, a tool call that is not a function call (a hosted tool)
   * clears the last one.
   */
  private recordToolCall(item: unknown): void {
    const runItem = item as { type?: string; rawItem?: RawEvent };
    if (runItem.type !== 'tool_call_item') return;
    const raw = runItem.rawItem;
    if (raw?.type !== 'function_call') {
      this.lastToolCall = null;
      return;
    }
    // The raw item id becomes the client tool call's id (as in the reference), unless it is a Chat Completions chunk id.
    const itemId = typeof raw.id === 'string' && raw.id !== '' && !this.chunkFunctionCallIds.has(raw.id) ? raw.id : undefined;
    const call: FunctionCall = { callId: String(raw.callId ?? raw.call_id ?? ''), itemId, name: String(raw.name ?? '') };
    this.functionCalls.push(call);
    this.lastToolCall = call;
    if (itemId) this.produced.add(itemId);
  }

  // ---------------------------------------------------------------- normalized events (Chat Completions, scripted models)

  private textDelta(delta: string): ThreadStreamEvent[] {
    const out: ThreadStreamEvent[] = [];
    let message = this.current;
    if (!message || message.closed) message = this.open(out);
    message.text += delta;
    out.push(itemUpdated(message.id, { type: 'assistant_message.content_part.text_delta', content_index: 0, delta }));
    return out;
  }

  /** Opens an assistant message with a generated id (Chat Completions ids name a chunk, not a message). */
  private open(out: ThreadStreamEvent[]): OpenMessage {
    const workflowDone = this.ctx.takeWorkflowDone();
    if (workflowDone) out.push(workflowDone);
    const id = this.ctx.generateId('message');
    const message: OpenMessage = { id, text: '', closed: false };
    this.current = message;
    this.turnMessages.push(message);
    this.produced.add(id);
    const item: AssistantMessageItem = { id, thread_id: this.ctx.thread.id, created_at: now(), type: 'assistant_message', content: [] };
    out.push({ type: 'thread.item.added', item });
    out.push(itemUpdated(id, { type: 'assistant_message.content_part.added', content_index: 0, content: outputText() }));
    return message;
  }

  /**
   * Closes a message: `content_part.done` for the streamed part, then the
   * item with every part the model returned (the streamed text if none).
   */
  private close(message: OpenMessage, finalContent?: AssistantMessageContent[] | null): ThreadStreamEvent[] {
    message.closed = true;
    if (this.current === message) this.current = null;
    const content = finalContent && finalContent.length > 0 ? finalContent : [outputText(message.text)];
    const text = content[0]?.text ?? message.text;
    const item: AssistantMessageItem = { id: message.id, thread_id: this.ctx.thread.id, created_at: now(), type: 'assistant_message', content };
    return [
      itemUpdated(message.id, { type: 'assistant_message.content_part.done', content_index: 0, content: outputText(text) }),
      { type: 'thread.item.done', item },
    ];
  }

  /** A message that arrived whole, without deltas: added and done at once, and not tracked as streaming. */
  private wholeMessage(content: AssistantMessageContent[]): ThreadStreamEvent[] {
    const out: ThreadStreamEvent[] = [];
    const opened = this.open(out);
    out.push(...this.close(opened, content));
    this.turnMessages = [];
    return out;
  }

  /** `response_done`: closes what streamed, and emits messages that arrived without any delta. */
  private async closeTurn(output: RawEvent[]): Promise<ThreadStreamEvent[]> {
    const out: ThreadStreamEvent[] = [];
    const outputMessages = output.filter((item) => item?.type === 'message' && item.role === 'assistant');
    const streamed = this.turnMessages;
    this.turnMessages = [];
    for (const [index, outputMessage] of outputMessages.entries()) {
      const message = streamed[index];
      const content = await this.contentOf(outputMessage);
      if (message) {
        if (!message.closed) out.push(...this.close(message, content));
      } else if (content.some((part) => part.text !== '')) {
        out.push(...this.wholeMessage(content));
      }
    }
    for (const message of streamed.slice(outputMessages.length)) if (!message.closed) out.push(...this.close(message));
    this.current = null;
    return out;
  }

  private async contentOf(message: RawEvent): Promise<AssistantMessageContent[]> {
    const parts = Array.isArray(message.content) ? message.content : [];
    const content: AssistantMessageContent[] = [];
    for (const part of parts) {
      const converted = await convertContent(part, this.converter);
      if (converted) content.push(converted);
    }
    return content;
  }

  // ---------------------------------------------------------------- raw Responses events (the reference's rules)

  /**
   * A raw Responses event, handled exactly as chatkit-python does: every
   * message event names its item and content part, so the events are passed
   * through with the Responses ids and indexes, with no state of our own.
   */
  private async fromResponsesEvent(event: RawEvent): Promise<ThreadStreamEvent[]> {
    const out: ThreadStreamEvent[] = [];
    switch (event.type) {
      case 'response.content_part.added': {
        if (event.part?.type === 'reasoning_text') return out;
        const content = (await convertContent(event.part, this.converter)) ?? outputText();
        out.push(itemUpdated(event.item_id, { type: 'assistant_message.content_part.added', content_index: event.content_index, content }));
        return out;
      }
      case 'response.output_text.delta':
        out.push(itemUpdated(event.item_id, { type: 'assistant_message.content_part.text_delta', content_index: event.content_index, delta: String(event.delta ?? '') }));
        return out;
      case 'response.output_text.done':
        out.push(itemUpdated(event.item_id, {
          type: 'assistant_message.content_part.done',
          content_index: event.content_index,
          content: outputText(String(event.text ?? '')),
        }));
        return out;
      case 'response.output_text.annotation.added': {
        const annotation = await convertAnnotation(event.annotation, this.converter);
        if (!annotation) return out;
        // Counted per item and part over the annotations kept, so indexes stay compact when one is dropped.
        const contentIndex = Number(event.content_index ?? 0);
        const key = `${event.item_id}\u0000${contentIndex}`;
        const annotationIndex = this.annotationCounts.get(key) ?? 0;
        this.annotationCounts.set(key, annotationIndex + 1);
        out.push(itemUpdated(event.item_id, {
          type: 'assistant_message.content_part.annotation_added',
          content_index: contentIndex,
          annotation_index: annotationIndex,
          annotation,
        }));
        return out;
      }
      case 'response.output_item.added': {
        const item = event.item as RawEvent | undefined;
        if (item?.type === 'reasoning' && !this.ctx.workflowItem) {
          const workflow = newWorkflowItem(this.ctx, { type: 'reasoning', tasks: [], expanded: false });
          this.ctx.workflowItem = workflow;
          this.produced.add(workflow.id);
          out.push({ type: 'thread.item.added', item: cloneJson(workflow) });
        } else if (item?.type === 'message' && typeof item.id === 'string') {
          this.announcedMessageIds.add(item.id);
          const workflowDone = this.ctx.takeWorkflowDone();
          if (workflowDone) out.push(workflowDone);
          this.produced.add(item.id);
          out.push({ type: 'thread.item.added', item: await this.messageItem(item) });
        } else if (item?.type === 'image_generation_call') {
          const image = { id: this.ctx.generateId('message'), thread_id: this.ctx.thread.id, created_at: now(), type: 'generated_image' as const };
          this.ctx.generatedImageItem = image;
          this.produced.add(image.id);
          out.push({ type: 'thread.item.added', item: { ...image } });
        }
        return out;
      }
      case 'response.reasoning_summary_text.delta':
        return this.reasoningDelta(event);
      case 'response.reasoning_summary_text.done':
        return this.reasoningDone(event);
      case 'response.image_generation_call.partial_image': {
        const image = this.ctx.generatedImageItem;
        if (!image) return out;
        const index = Number(event.partial_image_index ?? 0);
        const url = await this.converter.base64ImageToUrl(event.item_id, event.partial_image_b64, index);
        image.image = { id: event.item_id, url };
        out.push(itemUpdated(image.id, {
          type: 'generated_image.updated',
          image: { ...image.image },
          progress: this.converter.partialImageIndexToProgress(index),
        }));
        return out;
      }
      case 'response.output_item.done': {
        const item = event.item as RawEvent | undefined;
        if (item?.type === 'message' && typeof item.id === 'string') {
          this.announcedMessageIds.add(item.id);
          this.produced.add(item.id);
          out.push({ type: 'thread.item.done', item: await this.messageItem(item) });
        } else if (item?.type === 'image_generation_call' && item.result && this.ctx.generatedImageItem) {
          const image = this.ctx.generatedImageItem;
          image.image = { id: item.id, url: await this.converter.base64ImageToUrl(item.id, item.result) };
          this.ctx.generatedImageItem = null;
          out.push({ type: 'thread.item.done', item: { ...image } });
        }
        return out;
      }
      default:
        return out;
    }
  }

  /**
   * A safety net for a Responses-like stream that announces nothing about
   * its messages (a real Responses stream always does): the final messages
   * are sent whole, as on the normalized path.
   */
  private async unannouncedMessages(output: RawEvent[]): Promise<ThreadStreamEvent[]> {
    const out: ThreadStreamEvent[] = [];
    for (const item of output) {
      if (item?.type !== 'message' || item.role !== 'assistant') continue;
      if (typeof item.id === 'string' && this.announcedMessageIds.has(item.id)) continue;
      const content = await this.contentOf(item);
      if (content.some((part) => part.text !== '')) out.push(...this.wholeMessage(content));
    }
    return out;
  }

  /** A Responses output message as an assistant message item, reusing its id (as the reference does). */
  private async messageItem(message: RawEvent): Promise<AssistantMessageItem> {
    return { id: message.id, thread_id: this.ctx.thread.id, created_at: now(), type: 'assistant_message', content: await this.contentOf(message) };
  }

  private reasoningDelta(event: RawEvent): ThreadStreamEvent[] {
    const workflow = this.ctx.workflowItem;
    if (!workflow) return [];
    const tasks = workflow.workflow.tasks;
    // The first thought of a new reasoning workflow streams, so it shows early.
    if (workflow.workflow.type === 'reasoning' && tasks.length === 0) {
      const task: ThoughtTask = { status_indicator: 'none', type: 'thought', content: String(event.delta ?? '') };
      this.streamingThought = { providerItemId: event.item_id, summaryIndex: event.summary_index, task };
      tasks.push(task);
      return [itemUpdated(workflow.id, { type: 'workflow.task.added', task_index: 0, task: { ...task } })];
    }
    const thought = this.streamingThoughtFor(event, tasks);
    if (thought) {
      thought.task.content += String(event.delta ?? '');
      return [itemUpdated(workflow.id, { type: 'workflow.task.updated', task_index: tasks.indexOf(thought.task), task: { ...thought.task } })];
    }
    return [];
  }

  private reasoningDone(event: RawEvent): ThreadStreamEvent[] {
    const workflow = this.ctx.workflowItem;
    if (!workflow) return [];
    const tasks = workflow.workflow.tasks;
    const thought = this.streamingThoughtFor(event, tasks);
    const text = String(event.text ?? '');
    if (thought) {
      thought.task.content = text;
      this.streamingThought = null;
      return [itemUpdated(workflow.id, { type: 'workflow.task.updated', task_index: tasks.indexOf(thought.task), task: { ...thought.task } })];
    }
    const task: ThoughtTask = { status_indicator: 'none', type: 'thought', content: text };
    tasks.push(task);
    return [itemUpdated(workflow.id, { type: 'workflow.task.added', task_index: tasks.length - 1, task: { ...task } })];
  }

  /** The thought still streaming, if this reasoning event continues it (same provider item and summary part, task still in the workflow). */
  private streamingThoughtFor(event: RawEvent, tasks: readonly unknown[]): StreamingThought | null {
    const thought = this.streamingThought;
    if (thought && tasks.includes(thought.task) && thought.providerItemId === event.item_id && thought.summaryIndex === event.summary_index) return thought;
    return null;
  }

  // ---------------------------------------------------------------- end of the run

  /** Everything this run put in the thread, removed (a guardrail tripped). */
  rollback(): ThreadStreamEvent[] {
    this.current = null;
    return [...this.produced].map((item_id) => ({ type: 'thread.item.removed', item_id }));
  }

  /** The pending client tool call that ends the turn, if a tool asked for one. */
  clientToolCallItem(): ClientToolCallItem | null {
    const request = this.ctx.pendingClientToolCall;
    if (!request) return null;
    const call =
      this.functionCalls.findLast((candidate) => candidate.name === request.name) ?? this.lastToolCall;
    return {
      id: call?.itemId ?? this.ctx.generateId('tool_call'),
      thread_id: this.ctx.thread.id,
      created_at: now(),
      type: 'client_tool_call',
      status: 'pending',
      call_id: call?.callId || this.ctx.generateId('tool_call'),
      name: request.name,
      arguments: request.arguments,
    };
  }

}

function itemUpdated(itemId: string, update: Extract<ThreadStreamEvent, { type: 'thread.item.updated' }>['update']): ThreadStreamEvent {
  return { type: 'thread.item.updated', item_id: itemId, update };
}
