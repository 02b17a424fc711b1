/**
 * The ChatKit wire shapes the playground reads (docs/chatkit-protocol.md),
 * typed loosely on purpose: it must show whatever the backend sends,
 * including fields and item types it does not know yet.
 */
export interface ThreadStatus {
  type: 'active' | 'locked' | 'closed' | string;
  reason?: string;
}

export interface ThreadMeta {
  id: string;
  title?: string;
  created_at: string;
  status: ThreadStatus;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  after?: string;
}

export interface Attachment {
  id: string;
  name: string;
  mime_type: string;
  type: 'file' | 'image';
  preview_url?: string;
}

export interface Task {
  type: string;
  status_indicator?: 'none' | 'loading' | 'complete';
  title?: string;
  content?: string;
  queries?: string[];
  sources?: { title: string; url?: string; filename?: string }[];
}

/** Any widget node: `type` plus its props. */
export interface WidgetNode {
  type: string;
  id?: string;
  key?: string;
  children?: WidgetNode[] | WidgetNode;
  [prop: string]: unknown;
}

export interface ActionConfig {
  type: string;
  payload?: Record<string, unknown>;
  handler?: 'server' | 'client';
  streaming?: boolean;
  loadingBehavior?: string;
}

export interface ThreadItem {
  id: string;
  thread_id: string;
  created_at: string;
  type: string;
  content?: { type: string; text?: string; annotations?: unknown[] }[];
  attachments?: Attachment[];
  quoted_text?: string;
  status?: string;
  name?: string;
  call_id?: string;
  arguments?: unknown;
  output?: unknown;
  widget?: WidgetNode;
  copy_text?: string;
  workflow?: { type: string; tasks: Task[]; summary?: { title?: string; icon?: string; duration?: number }; expanded?: boolean };
  task?: Task;
  image?: { id: string; url: string };
  inputs?: unknown[];
  [field: string]: unknown;
}

export type StreamEvent =
  | { type: 'thread.created' | 'thread.updated'; thread: ThreadMeta }
  | { type: 'thread.item.added' | 'thread.item.done' | 'thread.item.replaced'; item: ThreadItem }
  | { type: 'thread.item.updated'; item_id: string; update: ItemUpdate }
  | { type: 'thread.item.removed'; item_id: string }
  | { type: 'stream_options'; stream_options: { allow_cancel: boolean } }
  | { type: 'progress_update'; text: string; icon?: string }
  | { type: 'notice'; level: 'info' | 'warning' | 'danger'; message: string; title?: string }
  | { type: 'client_effect'; name: string; data: unknown }
  | { type: 'error'; code: string; message?: string; allow_retry: boolean };

export interface ItemUpdate {
  type: string;
  content_index?: number;
  content?: { type: string; text?: string; annotations?: unknown[] };
  delta?: string;
  annotation_index?: number;
  annotation?: unknown;
  component_id?: string;
  component?: WidgetNode;
  widget?: WidgetNode;
  done?: boolean;
  task_index?: number;
  task?: Task;
  image?: { id: string; url: string };
  progress?: number;
}
