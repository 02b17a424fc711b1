/**
 * The ChatKit data model: threads, thread items, tasks, sources, attachments.
 *
 * These are wire shapes, so field names stay snake_case exactly as ChatKit.js
 * and the Python reference send them. Timestamps are ISO-8601 strings in UTC
 * (`2026-01-02T03:04:05.678Z`); `now()` produces one.
 */
import type { Widgets } from '@openai/chatkit';

export type WidgetRoot = Widgets.WidgetRoot;
export type WidgetComponent = Widgets.WidgetComponent;

/** ChatKit's icon names, plus `vendor:` and `lucide:` prefixed names. */
export type IconName =
  | 'agent' | 'analytics' | 'atom' | 'batch' | 'bolt' | 'book-open' | 'book-closed' | 'book-clock'
  | 'bug' | 'calendar' | 'chart' | 'check' | 'check-circle' | 'check-circle-filled' | 'chevron-left'
  | 'chevron-right' | 'circle-question' | 'clock' | 'compass' | 'confetti' | 'cube' | 'desktop'
  | 'document' | 'dot' | 'dots-horizontal' | 'dots-vertical' | 'empty-circle' | 'external-link'
  | 'globe' | 'keys' | 'lab' | 'images' | 'info' | 'lifesaver' | 'lightbulb' | 'mail' | 'map-pin'
  | 'maps' | 'mobile' | 'name' | 'notebook' | 'notebook-pencil' | 'page-blank' | 'phone' | 'play'
  | 'plus' | 'profile' | 'profile-card' | 'reload' | 'star' | 'star-filled' | 'search' | 'sparkle'
  | 'sparkle-double' | 'square-code' | 'square-image' | 'square-text' | 'suitcase'
  | 'settings-slider' | 'user' | 'wreath' | 'write' | 'write-alt' | 'write-alt2'
  | `vendor:${string}` | `lucide:${string}`;

export interface Page<T> {
  data: T[];
  has_more: boolean;
  /** Id of the last row when `has_more`; omitted otherwise. */
  after?: string | null;
}

// ---------------------------------------------------------------- threads

export type ThreadStatus =
  | { type: 'active' }
  | { type: 'locked'; reason?: string | null }
  | { type: 'closed'; reason?: string | null };

export interface ThreadMetadata {
  title?: string | null;
  id: string;
  created_at: string;
  status: ThreadStatus;
  allowed_image_domains?: string[] | null;
  /** Server-side only: never serialized to the client. */
  metadata: Record<string, unknown>;
}

export interface Thread extends ThreadMetadata {
  items: Page<ThreadItem>;
}

// ---------------------------------------------------------------- sources and annotations

interface SourceBase {
  title: string;
  description?: string | null;
  timestamp?: string | null;
  group?: string | null;
}
export interface FileSource extends SourceBase {
  type: 'file';
  filename: string;
}
export interface URLSource extends SourceBase {
  type: 'url';
  url: string;
  attribution?: string | null;
}
export interface EntitySource extends SourceBase {
  type: 'entity';
  id: string;
  icon?: IconName | null;
  label?: string | null;
  inline_label?: string | null;
  interactive?: boolean;
  data?: Record<string, unknown>;
}
export type Source = FileSource | URLSource | EntitySource;

export interface Annotation {
  type: 'annotation';
  source: Source;
  /** Character position of the footnote marker. */
  index?: number | null;
}

// ---------------------------------------------------------------- tasks and workflows

export type TaskStatusIndicator = 'none' | 'loading' | 'complete';
interface TaskBase {
  status_indicator: TaskStatusIndicator;
}
export interface CustomTask extends TaskBase {
  type: 'custom';
  title?: string | null;
  icon?: IconName | null;
  content?: string | null;
}
export interface SearchTask extends TaskBase {
  type: 'web_search';
  title?: string | null;
  title_query?: string | null;
  queries: string[];
  sources: URLSource[];
}
export interface ThoughtTask extends TaskBase {
  type: 'thought';
  title?: string | null;
  content: string;
}
export interface FileTask extends TaskBase {
  type: 'file';
  title?: string | null;
  sources: FileSource[];
}
export interface ImageTask extends TaskBase {
  type: 'image';
  title?: string | null;
}
export type Task = CustomTask | SearchTask | ThoughtTask | FileTask | ImageTask;

export interface CustomSummary {
  title: string;
  icon?: IconName | null;
}
/** Seconds the workflow took. Told apart from `CustomSummary` by its keys. */
export interface DurationSummary {
  duration: number;
}
export type WorkflowSummary = CustomSummary | DurationSummary;

export interface Workflow {
  type: 'custom' | 'reasoning';
  tasks: Task[];
  summary?: WorkflowSummary | null;
  expanded: boolean;
}

// ---------------------------------------------------------------- attachments

export interface AttachmentUploadDescriptor {
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
}
interface AttachmentBase {
  id: string;
  name: string;
  mime_type: string;
  upload_descriptor?: AttachmentUploadDescriptor | null;
  thread_id?: string | null;
  /** Server-side only: never serialized in protocol responses. */
  metadata?: Record<string, unknown> | null;
}
export interface FileAttachment extends AttachmentBase {
  type: 'file';
}
export interface ImageAttachment extends AttachmentBase {
  type: 'image';
  preview_url: string;
}
export type Attachment = FileAttachment | ImageAttachment;

// ---------------------------------------------------------------- user input

export interface UserMessageTextContent {
  type: 'input_text';
  text: string;
}
export interface UserMessageTagContent {
  type: 'input_tag';
  id: string;
  text: string;
  data: Record<string, unknown>;
  group?: string | null;
  interactive: boolean;
}
export type UserMessageContent = UserMessageTextContent | UserMessageTagContent;

export interface InferenceOptions {
  tool_choice?: { id: string } | null;
  model?: string | null;
}

export interface AssistantMessageContent {
  annotations: Annotation[];
  text: string;
  type: 'output_text';
}

// ---------------------------------------------------------------- structured input

export interface StructuredInputAnswer {
  values: string[];
  skipped: boolean;
}
interface StructuredInputBase {
  id: string;
  question: string;
  answer?: StructuredInputAnswer | null;
}
export interface StructuredInputMultipleChoice extends StructuredInputBase {
  type: 'multiple_choice';
  options: { value: string }[];
  multiple?: boolean;
}
export interface StructuredInputFreeform extends StructuredInputBase {
  type: 'freeform';
  description?: string | null;
}
export type StructuredInput = StructuredInputMultipleChoice | StructuredInputFreeform;

// ---------------------------------------------------------------- thread items

interface ThreadItemBase {
  id: string;
  thread_id: string;
  created_at: string;
}
export interface UserMessageItem extends ThreadItemBase {
  type: 'user_message';
  content: UserMessageContent[];
  attachments: Attachment[];
  quoted_text?: string | null;
  inference_options: InferenceOptions;
}
export interface AssistantMessageItem extends ThreadItemBase {
  type: 'assistant_message';
  content: AssistantMessageContent[];
}
export interface ClientToolCallItem extends ThreadItemBase {
  type: 'client_tool_call';
  status: 'pending' | 'completed';
  call_id: string;
  name: string;
  arguments: Record<string, unknown>;
  output?: unknown;
}
export interface WidgetItem extends ThreadItemBase {
  type: 'widget';
  widget: WidgetRoot;
  copy_text?: string | null;
}
export interface GeneratedImage {
  id: string;
  url: string;
}
export interface GeneratedImageItem extends ThreadItemBase {
  type: 'generated_image';
  image?: GeneratedImage | null;
}
export interface StructuredInputItem extends ThreadItemBase {
  type: 'structured_input';
  status: 'pending' | 'answered' | 'skipped';
  inputs: StructuredInput[];
}
export interface WorkflowItem extends ThreadItemBase {
  type: 'workflow';
  workflow: Workflow;
}
export interface TaskItem extends ThreadItemBase {
  type: 'task';
  task: Task;
}
export interface EndOfTurnItem extends ThreadItemBase {
  type: 'end_of_turn';
}
/** Context for the model that the user never sees. */
export interface HiddenContextItem extends ThreadItemBase {
  type: 'hidden_context_item';
  content: unknown;
}
/** Hidden context written by the runtime itself (e.g. on cancellation). */
export interface SDKHiddenContextItem extends ThreadItemBase {
  type: 'sdk_hidden_context';
  content: string;
}

export type ThreadItem =
  | UserMessageItem
  | AssistantMessageItem
  | ClientToolCallItem
  | WidgetItem
  | GeneratedImageItem
  | StructuredInputItem
  | WorkflowItem
  | TaskItem
  | EndOfTurnItem
  | HiddenContextItem
  | SDKHiddenContextItem;

export type ThreadItemType = ThreadItem['type'];

/** Items the client never sees: their `done` events are swallowed and lists filter them out. */
export function isHiddenItem(item: ThreadItem): item is HiddenContextItem | SDKHiddenContextItem {
  return item.type === 'hidden_context_item' || item.type === 'sdk_hidden_context';
}

/** The current time as the runtime writes every `created_at`. */
export function now(): string {
  return new Date().toISOString();
}
