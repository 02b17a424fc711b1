/**
 * The open thread as the playground shows it: its items in display order
 * (oldest first) and what the stream said about the turn in flight. Events
 * are applied the way ChatKit.js applies them; pure, no DOM.
 */
import type { ItemUpdate, StreamEvent, ThreadItem, ThreadMeta, WidgetNode } from './protocol';

export interface Notice {
  level: string;
  title?: string;
  message: string;
}

export interface StreamError {
  code: string;
  message?: string;
  allowRetry: boolean;
}

export class Conversation {
  thread: ThreadMeta | undefined;
  items: ThreadItem[] = [];
  /** Bumped whenever an item changes, so the view re-renders only that item. */
  versions = new Map<string, number>();
  progress: string | undefined;
  allowCancel = true;
  notices: Notice[] = [];
  effects: { name: string; data: unknown }[] = [];
  error: StreamError | undefined;
  /** `after` cursor of the oldest page loaded; `undefined` when the whole history is shown. */
  olderCursor: string | undefined;
  /** Items added but not done yet: still streaming. */
  streamingIds = new Set<string>();

  reset(thread?: ThreadMeta): void {
    this.thread = thread;
    this.items = [];
    this.versions.clear();
    this.progress = undefined;
    this.notices = [];
    this.effects = [];
    this.error = undefined;
    this.olderCursor = undefined;
    this.streamingIds.clear();
  }

  /** A page from `items.list` with order `desc` (newest first, as ChatKit.js asks): older items go on top. */
  prependPage(page: { data: ThreadItem[]; has_more: boolean; after?: string }): void {
    const known = new Set(this.items.map((item) => item.id));
    const older = page.data.filter((item) => !known.has(item.id)).reverse();
    this.items = [...older, ...this.items];
    for (const item of older) this.touch(item.id);
    this.olderCursor = page.has_more ? page.after : undefined;
  }

  /** The stream ended (or was cancelled): nothing is streaming any more. */
  endTurn(): void {
    for (const id of this.streamingIds) this.touch(id);
    this.streamingIds.clear();
    this.progress = undefined;
  }

  /** Starting a new turn: what the previous one left behind no longer applies. */
  beginTurn(): void {
    this.progress = undefined;
    this.error = undefined;
    this.notices = [];
    this.allowCancel = true;
  }

  find(id: string): ThreadItem | undefined {
    return this.items.find((item) => item.id === id);
  }

  upsert(item: ThreadItem): void {
    const index = this.items.findIndex((existing) => existing.id === item.id);
    if (index === -1) this.items.push(item);
    else this.items[index] = item;
    this.touch(item.id);
  }

  remove(id: string): void {
    this.items = this.items.filter((item) => item.id !== id);
    this.versions.delete(id);
  }

  /** Drops every item after `id` (what the server deleted for `threads.retry_after_item`). */
  truncateAfter(id: string): void {
    const index = this.items.findIndex((item) => item.id === id);
    if (index !== -1) this.items = this.items.slice(0, index + 1);
  }

  private touch(id: string): void {
    this.versions.set(id, (this.versions.get(id) ?? 0) + 1);
  }

  apply(event: StreamEvent): void {
    switch (event.type) {
      case 'thread.created':
      case 'thread.updated':
        this.thread = event.thread;
        return;
      case 'thread.item.added':
      case 'thread.item.done':
      case 'thread.item.replaced':
        // An item arriving means the work a progress line described is over.
        this.progress = undefined;
        if (event.type === 'thread.item.added') this.streamingIds.add(event.item.id);
        else this.streamingIds.delete(event.item.id);
        this.upsert(structuredClone(event.item));
        return;
      case 'thread.item.updated': {
        const item = this.find(event.item_id);
        if (!item) return;
        applyUpdate(item, event.update);
        this.touch(item.id);
        return;
      }
      case 'thread.item.removed':
        this.streamingIds.delete(event.item_id);
        this.remove(event.item_id);
        return;
      case 'stream_options':
        this.allowCancel = event.stream_options.allow_cancel;
        return;
      case 'progress_update':
        this.progress = event.text;
        return;
      case 'notice':
        this.notices.push({ level: event.level, message: event.message, ...(event.title ? { title: event.title } : {}) });
        return;
      case 'client_effect':
        this.effects.push({ name: event.name, data: event.data });
        return;
      case 'error':
        // The server drops items still streaming when a turn fails (they were never done): so does the view, to match a reload.
        for (const id of this.streamingIds) this.remove(id);
        this.streamingIds.clear();
        this.progress = undefined;
        this.error = { code: event.code, allowRetry: event.allow_retry, ...(event.message ? { message: event.message } : {}) };
        return;
    }
  }
}

export function applyUpdate(item: ThreadItem, update: ItemUpdate): void {
  const index = update.content_index ?? 0;
  switch (update.type) {
    case 'assistant_message.content_part.added':
    case 'assistant_message.content_part.done': {
      item.content ??= [];
      while (item.content.length < index) item.content.push({ type: 'output_text', text: '', annotations: [] });
      item.content[index] = structuredClone(update.content!);
      return;
    }
    case 'assistant_message.content_part.text_delta': {
      item.content ??= [];
      while (item.content.length <= index) item.content.push({ type: 'output_text', text: '', annotations: [] });
      item.content[index]!.text = (item.content[index]!.text ?? '') + (update.delta ?? '');
      return;
    }
    case 'assistant_message.content_part.annotation_added': {
      const part = item.content?.[index];
      if (part) (part.annotations ??= []).splice(update.annotation_index ?? part.annotations!.length, 0, update.annotation);
      return;
    }
    case 'widget.root.updated':
      item.widget = structuredClone(update.widget);
      return;
    case 'widget.component.updated':
      if (item.widget && update.component_id) replaceComponent(item.widget, update.component_id, structuredClone(update.component!));
      return;
    case 'widget.streaming_text.value_delta': {
      const component = item.widget && update.component_id ? findComponent(item.widget, update.component_id) : undefined;
      if (component) {
        component.value = String(component.value ?? '') + (update.delta ?? '');
        component.streaming = !update.done;
      }
      return;
    }
    case 'workflow.task.added':
      item.workflow?.tasks.splice(update.task_index ?? item.workflow.tasks.length, 0, structuredClone(update.task!));
      return;
    case 'workflow.task.updated':
      if (item.workflow && update.task_index !== undefined) item.workflow.tasks[update.task_index] = structuredClone(update.task!);
      return;
    case 'generated_image.updated':
      item.image = update.image;
      item.progress = update.progress;
      return;
  }
}

function childrenOf(node: WidgetNode): WidgetNode[] {
  if (Array.isArray(node.children)) return node.children;
  return node.children && typeof node.children === 'object' ? [node.children] : [];
}

export function findComponent(node: WidgetNode, id: string): WidgetNode | undefined {
  if (node.id === id) return node;
  for (const child of childrenOf(node)) {
    const found = findComponent(child, id);
    if (found) return found;
  }
  return undefined;
}

function replaceComponent(node: WidgetNode, id: string, replacement: WidgetNode): boolean {
  const children = node.children;
  if (Array.isArray(children)) {
    const index = children.findIndex((child) => child.id === id);
    if (index !== -1) {
      children[index] = replacement;
      return true;
    }
    return children.some((child) => replaceComponent(child, id, replacement));
  }
  if (children && typeof children === 'object') {
    if (children.id === id) {
      node.children = replacement;
      return true;
    }
    return replaceComponent(children, id, replacement);
  }
  return false;
}
