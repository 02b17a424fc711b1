/**
 * The playground proper: threads on the left, the conversation and composer
 * in the middle. Every operation is one ChatKit request to the project's
 * endpoint, the same as ChatKit.js would send; the open thread is kept in the
 * URL (`#thread=…`) so a reload shows the same history.
 */
import { ApiError, type ChatKitApi } from './api';
import { Conversation } from './conversation';
import { h, replaceChildren } from './dom';
import { renderItem, type ItemHandlers } from './item-view';
import { renderMarkdown } from './markdown';
import type { ActionConfig, Attachment, Page, StreamEvent, ThreadItem, ThreadMeta } from './protocol';
import type { Session } from './session';
import { renderThreadList, type ThreadListHandlers } from './threads-view';
import { formValues } from './widgets';

const PAGE_SIZE = 20;

export class PlaygroundApp {
  private readonly conversation = new Conversation();
  private threads: ThreadMeta[] = [];
  private threadsCursor: string | undefined;
  private running: AbortController | undefined;
  private attachments: Attachment[] = [];
  private uploading = 0;
  private problem: string | undefined;
  private readonly rendered = new Map<string, { key: string; node: HTMLElement }>();
  private frame = 0;
  private threadsKey = '';

  private readonly threadsRoot = h('nav', { class: 'threads', attrs: { 'aria-label': 'Threads' } });
  private readonly header = h('div', { class: 'chat-header' });
  private readonly older = h('div', { class: 'older' });
  private readonly items = h('div', { class: 'items', attrs: { 'aria-live': 'polite' } });
  private readonly footer = h('div', { class: 'chat-footer' });
  private readonly scroller = h('div', { class: 'scroller' }, this.older, this.items, this.footer);
  private readonly input = h('textarea', {
    class: 'composer-input',
    attrs: { rows: '2', placeholder: 'Message the backend… (Enter sends, Shift+Enter for a new line)', 'aria-label': 'Message' },
  });
  private readonly fileInput = h('input', { attrs: { type: 'file', multiple: true, 'aria-label': 'Attach files', hidden: true } });
  private readonly attachButton = h('button', { class: 'icon-button', attrs: { type: 'button', 'aria-label': 'Attach files' }, text: '+ File' });
  /** ChatKit's two upload strategies, when the backend takes both (a FileAttachmentStore); else the one it takes. */
  private readonly strategySelect = h('select', { class: 'upload-strategy', attrs: { 'aria-label': 'Upload strategy', title: 'How files are uploaded (ChatKit\'s uploadStrategy)' } },
    h('option', { attrs: { value: 'direct' }, text: 'direct' }),
    h('option', { attrs: { value: 'two_phase' }, text: 'two-phase' }));
  private readonly sendButton = h('button', { class: 'primary', attrs: { type: 'submit' }, text: 'Send' });
  private readonly stopButton = h('button', { class: 'danger', attrs: { type: 'button' }, text: 'Stop' });
  private readonly chips = h('div', { class: 'attachments' });
  private readonly composer = h('form', { class: 'composer', attrs: { 'aria-label': 'Composer' } });

  constructor(
    private readonly api: ChatKitApi,
    private readonly session: Session,
  ) {}

  mount(threadsRoot: HTMLElement, chatRoot: HTMLElement): void {
    threadsRoot.append(this.threadsRoot);
    this.composer.append(this.chips, h('div', { class: 'composer-row' }, this.attachButton, this.strategySelect, this.fileInput, this.input, this.stopButton, this.sendButton));
    this.strategySelect.value = this.session.config.uploadUrl ? 'direct' : 'two_phase';
    this.strategySelect.addEventListener('change', () => this.render());
    replaceChildren(chatRoot, this.header, this.scroller, this.composer);
    this.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.send();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        void this.send();
      }
    });
    this.stopButton.addEventListener('click', () => this.cancel());
    this.attachButton.addEventListener('click', () => this.fileInput.click());
    this.fileInput.addEventListener('change', () => void this.upload([...(this.fileInput.files ?? [])]));
    window.addEventListener('hashchange', () => {
      const id = threadIdFromUrl();
      if (id !== this.conversation.thread?.id) void (id ? this.openThread(id) : this.newThread());
    });
    this.render();
    void this.loadThreads();
    const id = threadIdFromUrl();
    if (id) void this.openThread(id);
    this.input.focus();
  }

  // Threads

  private async loadThreads(more = false): Promise<void> {
    try {
      const page = await this.api.request<Page<ThreadMeta>>('threads.list', { limit: PAGE_SIZE, order: 'desc', ...(more && this.threadsCursor ? { after: this.threadsCursor } : {}) });
      this.threads = more ? [...this.threads, ...page.data.filter((t) => !this.threads.some((known) => known.id === t.id))] : page.data;
      this.threadsCursor = page.has_more ? page.after : undefined;
    } catch (error) {
      this.problem = describe(error, 'Could not list threads');
    }
    this.render();
  }

  private newThread(): void {
    this.running?.abort();
    this.conversation.reset();
    this.rendered.clear();
    if (threadIdFromUrl()) history.pushState(null, '', `${location.pathname}${location.search}`);
    this.render();
    this.input.focus();
  }

  private async openThread(id: string): Promise<void> {
    this.running?.abort();
    this.conversation.reset();
    this.rendered.clear();
    this.problem = undefined;
    setThreadInUrl(id);
    try {
      const thread = await this.api.request<ThreadMeta>('threads.get_by_id', { thread_id: id });
      this.conversation.thread = thread;
      // Newest first, as ChatKit.js asks; older pages are prepended on demand.
      this.conversation.prependPage(await this.api.request<Page<ThreadItem>>('items.list', { thread_id: id, limit: PAGE_SIZE, order: 'desc' }));
    } catch (error) {
      this.problem = describe(error, `Could not open thread ${id}`);
    }
    this.render(true);
  }

  private async loadOlder(): Promise<void> {
    const thread = this.conversation.thread;
    if (!thread || !this.conversation.olderCursor) return;
    try {
      this.conversation.prependPage(await this.api.request<Page<ThreadItem>>('items.list', { thread_id: thread.id, limit: PAGE_SIZE, order: 'desc', after: this.conversation.olderCursor }));
    } catch (error) {
      this.problem = describe(error, 'Could not load older items');
    }
    this.render();
  }

  private readonly threadHandlers: ThreadListHandlers = {
    open: (id) => void this.openThread(id),
    create: () => this.newThread(),
    more: () => void this.loadThreads(true),
    rename: async (id, title) => {
      try {
        const updated = await this.api.request<ThreadMeta>('threads.update', { thread_id: id, title });
        this.threads = this.threads.map((t) => (t.id === id ? updated : t));
        if (this.conversation.thread?.id === id) this.conversation.thread = updated;
      } catch (error) {
        this.problem = describe(error, 'Could not rename the thread');
      }
      // Leave the edit form even when nothing changed.
      this.threadsKey = '';
      this.render();
    },
    remove: async (id) => {
      try {
        await this.api.request('threads.delete', { thread_id: id });
        this.threads = this.threads.filter((t) => t.id !== id);
        if (this.conversation.thread?.id === id) this.newThread();
      } catch (error) {
        this.problem = describe(error, 'Could not delete the thread');
      }
      this.render();
    },
  };

  // Turns

  private async stream(type: string, params: Record<string, unknown>): Promise<void> {
    const controller = new AbortController();
    this.running = controller;
    this.conversation.beginTurn();
    this.problem = undefined;
    this.render();
    try {
      await this.api.stream(type, params, (event) => this.onEvent(event), controller.signal);
    } catch (error) {
      this.problem = describe(error, `${type} failed`);
    } finally {
      if (this.running === controller) this.running = undefined;
      this.conversation.endTurn();
      this.render();
      void this.loadThreads();
    }
  }

  private onEvent(event: StreamEvent): void {
    this.conversation.apply(event);
    if (event.type === 'thread.created') setThreadInUrl(event.thread.id);
    this.scheduleRender();
  }

  private async send(): Promise<void> {
    const text = this.input.value.trim();
    if (!text || this.running || this.uploading) return;
    const status = this.conversation.thread?.status.type;
    if (status === 'locked' || status === 'closed') return;
    const input = { content: [{ type: 'input_text', text }], attachments: this.attachments.map((a) => a.id), inference_options: {} };
    this.input.value = '';
    this.attachments = [];
    const thread = this.conversation.thread;
    await (thread ? this.stream('threads.add_user_message', { thread_id: thread.id, input }) : this.stream('threads.create', { input }));
    this.input.focus();
  }

  private cancel(): void {
    // ChatKit has no cancel request: aborting the HTTP request is the cancel.
    this.running?.abort();
  }

  private async upload(files: File[]): Promise<void> {
    this.fileInput.value = '';
    for (const file of files) {
      this.uploading++;
      this.render();
      try {
        this.attachments.push(await (this.strategySelect.value === 'direct' ? this.api.upload(file) : this.api.uploadTwoPhase(file)));
      } catch (error) {
        this.problem = describe(error, `Could not upload ${file.name}`);
      } finally {
        this.uploading--;
      }
      this.render();
    }
  }

  private retryAfter(userMessageId: string): void {
    const thread = this.conversation.thread;
    if (!thread || this.running) return;
    // The server deletes everything after that message without sending events for it.
    this.conversation.truncateAfter(userMessageId);
    this.rendered.clear();
    void this.stream('threads.retry_after_item', { thread_id: thread.id, item_id: userMessageId });
  }

  private lastUserMessageBefore(index: number): ThreadItem | undefined {
    return this.conversation.items.slice(0, index).reverse().find((item) => item.type === 'user_message');
  }

  private readonly itemHandlers: ItemHandlers = {
    busy: () => Boolean(this.running),
    action: (item, action, source) => void this.runAction(item, action, source),
    feedback: async (item, kind, button) => {
      const thread = this.conversation.thread;
      if (!thread) return;
      try {
        await this.api.request('items.feedback', { thread_id: thread.id, item_ids: [item.id], kind });
        button.classList.add('pressed');
        button.setAttribute('aria-pressed', 'true');
      } catch (error) {
        this.problem = describe(error, 'Could not send feedback');
        this.render();
      }
    },
    retry: (item) => {
      const before = this.lastUserMessageBefore(this.conversation.items.indexOf(item));
      if (before) this.retryAfter(before.id);
    },
    structuredInput: (item, submission) => {
      const thread = this.conversation.thread;
      if (!thread || this.running) return;
      void this.stream('threads.add_structured_input', { thread_id: thread.id, item_id: item.id, input: submission });
    },
    toolOutput: (item, result) => {
      const thread = this.conversation.thread;
      if (!thread || this.running) return;
      // What the server records before it continues the turn.
      this.conversation.upsert({ ...item, status: 'completed', output: result });
      void this.stream('threads.add_client_tool_output', { thread_id: thread.id, result });
    },
  };

  private async runAction(item: ThreadItem, action: ActionConfig, source: HTMLElement): Promise<void> {
    const thread = this.conversation.thread;
    if (!thread) return;
    const payload = { ...(action.payload ?? {}), ...formValues(source) };
    const sent = { type: action.type, payload };
    if (action.handler === 'client') {
      this.conversation.notices.push({ level: 'info', title: 'Client action', message: `\`${action.type}\` has \`handler: "client"\`: your frontend's \`widgets.onAction\` handles it; the playground does not run it.` });
      this.render();
      return;
    }
    if (action.streaming === false) {
      try {
        const response = await this.api.request<{ updated_item?: ThreadItem }>('threads.sync_custom_action', { thread_id: thread.id, item_id: item.id, action: sent });
        if (response.updated_item) this.conversation.upsert(response.updated_item);
      } catch (error) {
        this.problem = describe(error, `Action ${action.type} failed`);
      }
      this.render();
      return;
    }
    if (this.running) {
      this.problem = 'A response is still streaming: wait for it (or stop it) before sending an action.';
      this.render();
      return;
    }
    await this.stream('threads.custom_action', { thread_id: thread.id, item_id: item.id, action: sent });
  }

  // Rendering

  private scheduleRender(): void {
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(scrollToEnd = false): void {
    const c = this.conversation;
    const thread = c.thread;
    const nearBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 80;

    // Redrawn only when it changed, so a rename being typed survives a streaming turn.
    const threadsKey = JSON.stringify([this.threads.map((t) => [t.id, t.title, t.status.type]), thread?.id, Boolean(this.threadsCursor)]);
    if (threadsKey !== this.threadsKey) {
      this.threadsKey = threadsKey;
      replaceChildren(this.threadsRoot, renderThreadList(this.threads, thread?.id, Boolean(this.threadsCursor), this.threadHandlers));
    }
    replaceChildren(this.header,
      h('h2', { text: thread ? (thread.title ?? 'Untitled thread') : 'New thread' }),
      thread ? h('code', { class: 'muted', text: thread.id }) : h('span', { class: 'muted', text: 'Send a message to create one (threads.create).' }),
      thread && thread.status.type !== 'active' ? h('span', { class: `status-pill status-${thread.status.type}`, data: { threadStatus: thread.status.type }, text: thread.status.type }) : null,
    );
    replaceChildren(this.older, c.olderCursor ? h('button', { class: 'small', attrs: { type: 'button' }, text: 'Load older messages', on: { click: () => void this.loadOlder() } }) : null);

    // Only items whose content changed are rebuilt, so typing in a widget field survives other updates.
    const nodes = c.items.map((item, index) => {
      const streaming = c.streamingIds.has(item.id);
      const retryable = item.type === 'assistant_message' && Boolean(this.lastUserMessageBefore(index));
      const key = `${c.versions.get(item.id) ?? 0}:${streaming}:${retryable}`;
      const cached = this.rendered.get(item.id);
      if (cached?.key === key) return cached.node;
      const node = renderItem(item, this.itemHandlers, { streaming, retryable });
      this.rendered.set(item.id, { key, node });
      return node;
    });
    if (nodes.length !== this.items.children.length || nodes.some((node, i) => this.items.children[i] !== node)) replaceChildren(this.items, nodes);

    const lastUser = this.lastUserMessageBefore(c.items.length);
    replaceChildren(this.footer,
      c.progress ? h('div', { class: 'progress', attrs: { role: 'status' } }, h('span', { class: 'spinner' }), c.progress) : null,
      c.notices.map((notice) => {
        const body = h('div', { class: 'markdown' });
        body.innerHTML = renderMarkdown(notice.message);
        return h('div', { class: `notice notice-${notice.level}`, attrs: { role: 'note' } }, notice.title ? h('strong', { text: notice.title }) : null, body);
      }),
      c.effects.length ? h('div', { class: 'muted effects', text: `client effects: ${c.effects.map((e) => `${e.name} ${JSON.stringify(e.data)}`).join(', ')}` }) : null,
      c.error
        ? h('div', { class: 'stream-error', attrs: { role: 'alert' }, data: { code: c.error.code, allowRetry: String(c.error.allowRetry) } },
            h('strong', { text: 'Error ' }), h('code', { text: c.error.code }), ': ',
            c.error.message ?? 'Something went wrong (the server sent no message; ChatKit.js shows a generic one).',
            h('span', { class: 'muted', text: c.error.allowRetry ? ' · retry allowed' : ' · retry not allowed' }),
            c.error.allowRetry && lastUser ? h('button', { class: 'small', attrs: { type: 'button' }, text: 'Retry', on: { click: () => this.retryAfter(lastUser.id) } }) : null,
          )
        : null,
      this.problem ? h('div', { class: 'stream-error request-error', attrs: { role: 'alert' }, text: this.problem }) : null,
      thread?.status.type === 'closed' ? h('div', { class: 'status-banner', attrs: { role: 'status' }, text: thread.status.reason ?? 'This conversation is closed.' }) : null,
    );

    const status = thread?.status;
    this.composer.hidden = status?.type === 'closed';
    const locked = status?.type === 'locked';
    this.input.disabled = locked;
    this.input.placeholder = locked ? (status?.reason ?? 'This thread is locked.') : 'Message the backend… (Enter sends, Shift+Enter for a new line)';
    this.sendButton.disabled = locked || Boolean(this.running) || this.uploading > 0;
    this.stopButton.hidden = !this.running || !c.allowCancel;
    const { uploadUrl, twoPhaseUploads } = this.session.config;
    this.attachButton.hidden = !uploadUrl && !twoPhaseUploads;
    this.strategySelect.hidden = !uploadUrl || !twoPhaseUploads;
    this.attachButton.title = this.strategySelect.value === 'direct'
      ? 'Attach files (direct: multipart to the upload route)'
      : 'Attach files (two-phase: attachments.create, then the bytes to the URL it answers)';
    replaceChildren(this.chips,
      this.attachments.map((a) =>
        h('span', { class: 'attachment-chip', data: { attachmentId: a.id } }, a.name,
          h('button', { class: 'icon-button', attrs: { type: 'button', 'aria-label': `Remove ${a.name}` }, text: '×', on: { click: () => { this.attachments = this.attachments.filter((x) => x !== a); this.render(); } } }))),
      this.uploading ? h('span', { class: 'muted', text: 'Uploading…' }) : null,
    );
    if (scrollToEnd || nearBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}

function threadIdFromUrl(): string | undefined {
  return new URLSearchParams(location.hash.slice(1)).get('thread') ?? undefined;
}

function setThreadInUrl(id: string): void {
  if (threadIdFromUrl() !== id) history.replaceState(null, '', `#thread=${encodeURIComponent(id)}`);
}

function describe(error: unknown, what: string): string {
  if (error instanceof ApiError) return `${what}: ${error.message}`;
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}
