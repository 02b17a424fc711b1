/**
 * The state machine behind `streamAgentResponse`: one Agents SDK stream event
 * (or one event a tool queued on the context) in, the ChatKit events it means
 * out. No I/O here; the generator in `stream-agent-response.ts` feeds it.
 *
 * Text is driven by the SDK's *normalized* events, which every model emits
 * (Responses, Chat Completions, scripted): an assistant message opens on the
 * first `output_text_delta` and closes on `response_done`. Raw Responses
 * events (`data.type === 'model'`) only enrich that: the real message id
 * (announced before any text), citations, reasoning summaries, generated
 * images, and the final content with its annotations.
 */
import type { RunStreamEvent } from '@openai/agents';
import type { ThreadStreamEvent } from '../protocol/events.js';
import {
  now,
  type Annotation,
  type AssistantMessageContent,
  type AssistantMessageItem,
  type ClientToolCallItem,
  type ThoughtTask,
  type ThreadItem,
  type WorkflowItem,
} from '../protocol/items.js';
import type { AgentContext } from './context.js';
import { convertAnnotation, convertContent, type ResponseStreamConverter } from './response-stream-converter.js';

interface OpenMessage {
  id: string;
  /** The provider's id for this message, used to match later events: the Responses item id, or the Chat Completions chunk id. */
  providerId: string | undefined;
  text: string;
  annotations: Annotation[];
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

export class RunTranslator<TContext> {
  /** Ids of every item this run put in the thread, for rollback on a guardrail trip. */
  readonly produced = new Set<string>();
  private current: OpenMessage | null = null;
  /** Messages of the model response in progress, in order. */
  private turnMessages: OpenMessage[] = [];
  private readonly byProviderId = new Map<string, OpenMessage>();
  private readonly annotationCounts = new Map<string, number>();
  private readonly functionCalls: FunctionCall[] = [];
  private streamingThought: StreamingThought | null = null;
  private readonly responsesFunctionCallIds = new Set<string>();

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
      this.recordFunctionCall(event.item);
      return [];
    }
    if (event.type !== 'raw_model_stream_event') return [];
    const data = event.data as RawEvent;
    switch (data.type) {
      case 'response_started':
        return this.current && !this.current.closed ? this.closeTurn([]) : [];
      case 'output_text_delta':
        return this.textDelta(String(data.delta ?? ''), typeof data.itemId === 'string' ? data.itemId : undefined);
      case 'response_done':
        return this.closeTurn(Array.isArray(data.response?.output) ? data.response.output : []);
      case 'model': {
        const raw = data.event as RawEvent | undefined;
        if (raw && typeof raw.type === 'string' && raw.type.startsWith('response.')) return this.fromResponsesEvent(raw);
        return [];
      }
      default:
        return [];
    }
  }

  private recordFunctionCall(item: unknown): void {
    const runItem = item as { type?: string; rawItem?: RawEvent };
    if (runItem.type !== 'tool_call_item' || runItem.rawItem?.type !== 'function_call') return;
    const raw = runItem.rawItem;
    // Only an id the Responses API announced is a real item id; Chat Completions reuses the chunk id.
    const itemId = typeof raw.id === 'string' && this.responsesFunctionCallIds.has(raw.id) ? raw.id : undefined;
    this.functionCalls.push({ callId: String(raw.callId ?? raw.call_id ?? ''), itemId, name: String(raw.name ?? '') });
    if (itemId) this.produced.add(itemId);
  }

  private textDelta(delta: string, providerId: string | undefined): ThreadStreamEvent[] {
    const out: ThreadStreamEvent[] = [];
    let message = this.current;
    const belongsToOther = message && providerId && message.providerId && message.providerId !== providerId;
    if (!message || message.closed || belongsToOther) {
      if (message && !message.closed) out.push(...this.close(message));
      message = this.open(undefined, providerId, out);
    }
    message.providerId ??= providerId;
    message.text += delta;
    out.push(this.update(message.id, { type: 'assistant_message.content_part.text_delta', content_index: 0, delta }));
    return out;
  }

  /** Opens an assistant message. `responsesId` is the Responses message id, used as the ChatKit id. */
  private open(responsesId: string | undefined, providerId: string | undefined, out: ThreadStreamEvent[]): OpenMessage {
    const workflowDone = this.ctx.takeWorkflowDone();
    if (workflowDone) out.push(workflowDone);
    // A Responses id is reused as the item id (as the reference does) unless this run already used it.
    const id = responsesId && !this.produced.has(responsesId) ? responsesId : this.ctx.generateId('message');
    const message: OpenMessage = { id, providerId: responsesId ?? providerId, text: '', annotations: [], closed: false };
    this.current = message;
    this.turnMessages.push(message);
    if (message.providerId) this.byProviderId.set(message.providerId, message);
    this.produced.add(id);
    const item: AssistantMessageItem = { id, thread_id: this.ctx.thread.id, created_at: now(), type: 'assistant_message', content: [] };
    out.push({ type: 'thread.item.added', item });
    out.push(this.update(id, { type: 'assistant_message.content_part.added', content_index: 0, content: emptyText() }));
    return message;
  }

  private close(message: OpenMessage, finalContent?: AssistantMessageContent[] | null): ThreadStreamEvent[] {
    message.closed = true;
    if (this.current === message) this.current = null;
    const content =
      finalContent && finalContent.length > 0
        ? finalContent
        : [{ annotations: message.annotations, text: message.text, type: 'output_text' as const }];
    const text = content[0]?.text ?? message.text;
    const item: AssistantMessageItem = { id: message.id, thread_id: this.ctx.thread.id, created_at: now(), type: 'assistant_message', content };
    return [
      this.update(message.id, { type: 'assistant_message.content_part.done', content_index: 0, content: { annotations: [], text, type: 'output_text' } }),
      { type: 'thread.item.done', item },
    ];
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
        const opened = this.open(undefined, undefined, out);
        out.push(...this.close(opened, content));
        this.turnMessages = [];
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

  // ---------------------------------------------------------------- raw Responses enrichment

  private async fromResponsesEvent(event: RawEvent): Promise<ThreadStreamEvent[]> {
    const out: ThreadStreamEvent[] = [];
    switch (event.type) {
      case 'response.output_item.added': {
        const item = event.item as RawEvent | undefined;
        if (item?.type === 'reasoning' && !this.ctx.workflowItem) {
          const workflow: WorkflowItem = {
            id: this.ctx.generateId('workflow'),
            thread_id: this.ctx.thread.id,
            created_at: now(),
            type: 'workflow',
            workflow: { type: 'reasoning', tasks: [], expanded: false },
          };
          this.ctx.workflowItem = workflow;
          this.produced.add(workflow.id);
          out.push({ type: 'thread.item.added', item: structuredClone(workflow) });
        } else if (item?.type === 'message' && typeof item.id === 'string' && !this.byProviderId.has(item.id)) {
          if (this.current && !this.current.closed) out.push(...this.close(this.current));
          this.open(item.id, item.id, out);
        } else if (item?.type === 'function_call' && typeof item.id === 'string') {
          this.responsesFunctionCallIds.add(item.id);
        } else if (item?.type === 'image_generation_call') {
          const image = { id: this.ctx.generateId('message'), thread_id: this.ctx.thread.id, created_at: now(), type: 'generated_image' as const };
          this.ctx.generatedImageItem = image;
          this.produced.add(image.id);
          out.push({ type: 'thread.item.added', item: { ...image } });
        }
        return out;
      }
      case 'response.output_text.annotation.added': {
        const message = this.byProviderId.get(event.item_id);
        if (!message) return out;
        const annotation = await convertAnnotation(event.annotation, this.converter);
        if (!annotation) return out;
        const contentIndex = Number(event.content_index ?? 0);
        // A per-part counter of the annotations we kept, so indexes stay compact when some are dropped.
        const key = `${message.id}:${contentIndex}`;
        const annotationIndex = this.annotationCounts.get(key) ?? 0;
        this.annotationCounts.set(key, annotationIndex + 1);
        if (contentIndex === 0) message.annotations.push(annotation);
        out.push(this.update(message.id, {
          type: 'assistant_message.content_part.annotation_added',
          content_index: contentIndex,
          annotation_index: annotationIndex,
          annotation,
        }));
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
        out.push(this.update(image.id, {
          type: 'generated_image.updated',
          image: { ...image.image },
          progress: this.converter.partialImageIndexToProgress(index),
        }));
        return out;
      }
      case 'response.output_item.done': {
        const item = event.item as RawEvent | undefined;
        if (item?.type === 'message' && typeof item.id === 'string') {
          const message = this.byProviderId.get(item.id);
          if (message && !message.closed) out.push(...this.close(message, await this.contentOf(item)));
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

  private reasoningDelta(event: RawEvent): ThreadStreamEvent[] {
    const workflow = this.ctx.workflowItem;
    if (!workflow) return [];
    const tasks = workflow.workflow.tasks;
    // The first thought of a new reasoning workflow streams, so it shows early.
    if (workflow.workflow.type === 'reasoning' && tasks.length === 0) {
      const task: ThoughtTask = { status_indicator: 'none', type: 'thought', content: String(event.delta ?? '') };
      this.streamingThought = { providerItemId: event.item_id, summaryIndex: event.summary_index, task };
      tasks.push(task);
      return [this.update(workflow.id, { type: 'workflow.task.added', task_index: 0, task: { ...task } })];
    }
    const thought = this.streamingThought;
    if (thought && tasks.includes(thought.task) && thought.providerItemId === event.item_id && thought.summaryIndex === event.summary_index) {
      thought.task.content += String(event.delta ?? '');
      return [this.update(workflow.id, { type: 'workflow.task.updated', task_index: tasks.indexOf(thought.task), task: { ...thought.task } })];
    }
    return [];
  }

  private reasoningDone(event: RawEvent): ThreadStreamEvent[] {
    const workflow = this.ctx.workflowItem;
    if (!workflow) return [];
    const tasks = workflow.workflow.tasks;
    const thought = this.streamingThought;
    const text = String(event.text ?? '');
    if (thought && tasks.includes(thought.task) && thought.providerItemId === event.item_id && thought.summaryIndex === event.summary_index) {
      thought.task.content = text;
      this.streamingThought = null;
      return [this.update(workflow.id, { type: 'workflow.task.updated', task_index: tasks.indexOf(thought.task), task: { ...thought.task } })];
    }
    const task: ThoughtTask = { status_indicator: 'none', type: 'thought', content: text };
    tasks.push(task);
    return [this.update(workflow.id, { type: 'workflow.task.added', task_index: tasks.length - 1, task: { ...task } })];
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
      this.functionCalls.findLast((candidate) => candidate.name === request.name) ?? this.functionCalls.at(-1);
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

  private update(itemId: string, update: Extract<ThreadStreamEvent, { type: 'thread.item.updated' }>['update']): ThreadStreamEvent {
    return { type: 'thread.item.updated', item_id: itemId, update };
  }
}

function emptyText(): AssistantMessageContent {
  return { annotations: [], text: '', type: 'output_text' };
}
