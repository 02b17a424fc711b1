/**
 * `AgentContext`: what a ChatKit server passes to the Agents SDK as the run
 * context. Tools reach it as `runContext.context` and use it to put things
 * in the thread while the model is still running: widgets, progress updates,
 * workflow tasks, a client tool call. `streamAgentResponse` merges what they
 * stream with the model's own output.
 *
 *   const agentContext = new AgentContext({ thread, store: this.store, requestContext: context, signal });
 *   const result = await run(agent, input, { context: agentContext, stream: true, signal });
 *   yield* streamAgentResponse(agentContext, result);
 */
import type { StoreItemType } from '../ids.js';
import type { ThreadStreamEvent } from '../protocol/events.js';
import {
  now,
  type GeneratedImageItem,
  type IconName,
  type Task,
  type ThreadMetadata,
  type Workflow,
  type WorkflowItem,
  type WorkflowSummary,
  type WidgetRoot,
} from '../protocol/items.js';
import type { ChatKitLogger } from '../server.js';
import type { Store } from '../store.js';
import { streamWidget } from '../widgets/stream.js';
import { EventQueue } from './event-queue.js';
import { cloneJson } from '../clone.js';

/** A call the client (browser) must answer through `threads.add_client_tool_output`. */
export interface ClientToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** A task as helpers accept it: `status_indicator` defaults to `"none"`. */
export type TaskInput = Task extends infer T
  ? T extends Task
    ? Omit<T, 'status_indicator'> & { status_indicator?: Task['status_indicator'] }
    : never
  : never;

/** A workflow as `startWorkflow` accepts it: no tasks yet and collapsed unless said otherwise. */
export interface WorkflowInput {
  type: Workflow['type'];
  tasks?: TaskInput[];
  summary?: WorkflowSummary | null;
  expanded?: boolean;
}

export interface AgentContextOptions<TContext> {
  thread: ThreadMetadata;
  store: Store<TContext>;
  requestContext: TContext;
  /** The signal `respond` received; aborted when the client goes away. */
  signal?: AbortSignal;
  previousResponseId?: string | null;
  /**
   * Where `reportToolError` logs a tool's exception: pass the request's
   * (`HandlerOptions.logger` in `respond`), so it lands in the server log
   * with the request id, and under the turn in `dev`. Default: `console`.
   */
  logger?: ToolErrorLogger;
}

/** The part of a logger (pino, Fastify's, `ChatKitServer.logger`) that tool errors go to. */
export type ToolErrorLogger = Pick<ChatKitLogger, 'error'>;

export class AgentContext<TContext = unknown> {
  readonly thread: ThreadMetadata;
  readonly store: Store<TContext>;
  readonly requestContext: TContext;
  readonly signal: AbortSignal | undefined;
  /** Where tools' exceptions are logged (see `reportToolError`). */
  readonly logger: ToolErrorLogger;
  previousResponseId: string | null;
  /** Set by `clientToolCall()`; `streamAgentResponse` ends the turn with it as a pending item. */
  pendingClientToolCall: ClientToolCall | null = null;
  /** The workflow currently being streamed, if any. */
  workflowItem: WorkflowItem | null = null;
  /** The image the model is generating, if any. */
  generatedImageItem: GeneratedImageItem | null = null;
  /** Events waiting for `streamAgentResponse`. */
  readonly events = new EventQueue<ThreadStreamEvent>();

  constructor(options: AgentContextOptions<TContext>) {
    if (!options?.thread || !options.store) {
      throw new TypeError('new AgentContext({ thread, store, requestContext }): thread and store are required');
    }
    this.thread = options.thread;
    this.store = options.store;
    this.requestContext = options.requestContext;
    this.signal = options.signal;
    this.logger = options.logger ?? console;
    this.previousResponseId = options.previousResponseId ?? null;
  }

  /** A new id from the store (`msg_…`, `wf_…`, `tc_…`; `thr_…` for `'thread'`). */
  generateId(type: StoreItemType, thread: ThreadMetadata = this.thread): string {
    if (type === 'thread') return this.store.generateThreadId(this.requestContext);
    return this.store.generateItemId(type, thread, this.requestContext);
  }

  /**
   * Queues any thread event: a progress update, a client effect, a notice, an
   * item built by hand. A new visible item closes the active workflow first
   * (hidden context and client tool calls do not), as in the reference.
   */
  async stream(event: ThreadStreamEvent): Promise<void> {
    this.enqueue(event);
  }

  // The workflow rule is applied here, as events are produced, rather than
  // when the bridge consumes them: a tool can run ahead of the consumer, and
  // only here does "the active workflow" mean the one the tool is looking at.
  private enqueue(event: ThreadStreamEvent): void {
    if (event.type === 'thread.item.added' || event.type === 'thread.item.done') {
      const workflow = this.workflowItem;
      const item = event.item;
      if (workflow && item.id === workflow.id) {
        if (event.type === 'thread.item.done') this.workflowItem = null;
      } else {
        if (workflow && item.type !== 'client_tool_call' && item.type !== 'hidden_context_item') this.closeWorkflow(workflow, null, false);
        if (event.type === 'thread.item.added' && item.type === 'workflow') this.workflowItem = item;
      }
    }
    this.events.push(event);
  }

  private closeWorkflow(item: WorkflowItem, summary: WorkflowSummary | null | undefined, expanded: boolean): void {
    this.events.push(this.finishWorkflow(item, summary, expanded));
  }

  /** Gives the workflow its summary (a duration unless one is set) and returns its `done` event. */
  private finishWorkflow(item: WorkflowItem, summary: WorkflowSummary | null | undefined, expanded: boolean): ThreadStreamEvent {
    if (summary) item.workflow.summary = summary;
    else item.workflow.summary ??= { duration: secondsSince(item.created_at) };
    item.workflow.expanded = expanded;
    if (this.workflowItem === item) this.workflowItem = null;
    return { type: 'thread.item.done', item: cloneJson(item) };
  }

  /**
   * Puts a widget in the thread. Pass an async iterable of widget states to
   * stream it: text growing in a `Text`/`Markdown` with an `id` reaches the
   * client as deltas. Resolves once the last state has been queued.
   */
  async streamWidget(widget: WidgetRoot | AsyncIterable<WidgetRoot>, options: { copyText?: string | null } = {}): Promise<void> {
    const events = streamWidget(this.thread, widget, {
      copyText: options.copyText ?? null,
      generateId: (type) => this.generateId(type),
    });
    for await (const event of events) this.enqueue(event);
  }

  /** A transient status line ("Searching…") shown until the next item arrives. */
  async progress(text: string, icon?: IconName): Promise<void> {
    this.enqueue({ type: 'progress_update', ...(icon ? { icon } : {}), text });
  }

  /**
   * Opens a workflow. A reasoning workflow, or one that already has tasks,
   * appears at once; an empty custom workflow waits for its first task.
   */
  async startWorkflow(workflow: WorkflowInput): Promise<void> {
    if (this.workflowItem) this.closeWorkflow(this.workflowItem, null, false);
    this.workflowItem = newWorkflowItem(this, {
      type: workflow.type,
      tasks: (workflow.tasks ?? []).map(normalizeTask),
      ...(workflow.summary ? { summary: workflow.summary } : {}),
      expanded: workflow.expanded ?? false,
    });
    if (workflow.type !== 'reasoning' && this.workflowItem.workflow.tasks.length === 0) return;
    this.events.push({ type: 'thread.item.added', item: cloneJson(this.workflowItem) });
  }

  /** Appends a task, opening a custom workflow first if none is active. */
  async addWorkflowTask(task: TaskInput): Promise<void> {
    this.workflowItem ??= newWorkflowItem(this, { type: 'custom', tasks: [], expanded: false });
    const workflow = this.workflowItem.workflow;
    const added = normalizeTask(task);
    workflow.tasks.push(added);
    if (workflow.type !== 'reasoning' && workflow.tasks.length === 1) {
      this.events.push({ type: 'thread.item.added', item: cloneJson(this.workflowItem) });
    } else {
      this.events.push({
        type: 'thread.item.updated',
        item_id: this.workflowItem.id,
        update: { type: 'workflow.task.added', task_index: workflow.tasks.length - 1, task: cloneJson(added) },
      });
    }
  }

  /** Replaces the task at `taskIndex` (for example to mark it complete). */
  async updateWorkflowTask(task: TaskInput, taskIndex: number): Promise<void> {
    if (!this.workflowItem) throw new Error('updateWorkflowTask: no workflow is active; call startWorkflow or addWorkflowTask first');
    const tasks = this.workflowItem.workflow.tasks;
    if (!Number.isInteger(taskIndex) || taskIndex < 0 || taskIndex >= tasks.length) {
      throw new RangeError(`updateWorkflowTask: task index ${taskIndex} is out of range; the workflow has ${tasks.length} task(s)`);
    }
    const updated = normalizeTask(task);
    tasks[taskIndex] = updated;
    this.events.push({
      type: 'thread.item.updated',
      item_id: this.workflowItem.id,
      update: { type: 'workflow.task.updated', task_index: taskIndex, task: cloneJson(updated) },
    });
  }

  /**
   * Closes the active workflow. Without a summary (and none set before) it
   * gets a duration summary: the seconds since it started.
   */
  async endWorkflow(summary?: WorkflowSummary | null, expanded = false): Promise<void> {
    if (this.workflowItem) this.closeWorkflow(this.workflowItem, summary, expanded);
  }

  /**
   * Closes the active workflow the way the bridge does when something else
   * appears below it (a duration summary unless one is set, collapsed), and
   * returns its `done` event instead of queuing it.
   * @internal used by `streamAgentResponse`.
   */
  takeWorkflowDone(): ThreadStreamEvent | null {
    return this.workflowItem ? this.finishWorkflow(this.workflowItem, null, false) : null;
  }

  /**
   * Asks the client to run a tool. Call it from a tool's `execute`, and stop
   * the run there with `toolUseBehavior: { stopAtToolNames: ['that_tool'] }`:
   * `streamAgentResponse` then ends the turn with a pending `client_tool_call`
   * item, and the client answers with `threads.add_client_tool_output`.
   */
  clientToolCall(name: string, args: Record<string, unknown> = {}): void {
    if (typeof name !== 'string' || name === '') throw new TypeError(`clientToolCall: name must be a non-empty string (the tool name the client handles); got ${JSON.stringify(name)}`);
    this.pendingClientToolCall = { name, arguments: args };
  }
}

/** A new workflow item in the context's thread, with an id from its store. */
export function newWorkflowItem(context: AgentContext<unknown>, workflow: Workflow): WorkflowItem {
  return { id: context.generateId('workflow'), thread_id: context.thread.id, created_at: now(), type: 'workflow', workflow };
}

function normalizeTask(task: TaskInput): Task {
  const { status_indicator, ...rest } = task;
  return { status_indicator: status_indicator ?? 'none', ...rest } as Task;
}

function secondsSince(isoTimestamp: string): number {
  const started = Date.parse(isoTimestamp);
  return Number.isNaN(started) ? 0 : Math.max(0, Math.floor((Date.now() - started) / 1000));
}
