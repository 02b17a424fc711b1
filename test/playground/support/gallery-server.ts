/**
 * A ChatKit server that sends, on request, every kind of event and widget the
 * playground must show: the whole widget catalogue with form controls and an
 * unknown component, a streaming widget, a workflow with progress and a
 * notice, thread status changes, a custom error, and a long history. Its
 * action handlers echo what they received, so the test can read the payload.
 */
import {
  ChatKitServer,
  CustomStreamError,
  now,
  type Action,
  type FeedbackKind,
  type HandlerOptions,
  type SyncCustomActionResponse,
  type ThreadMetadata,
  type ThreadStreamEvent,
  type UserMessageItem,
  type WidgetItem,
} from '../../../src/runtime/index.js';

type Ctx = { userId: string | undefined };
type Widget = Record<string, unknown> & { type: string };

const ICON_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEwwIAvG6ciAAAAABJRU5ErkJggg==';

export const CATALOGUE: Widget = {
  type: 'Card',
  size: 'lg',
  status: { text: 'Every component', icon: 'sparkle' },
  children: [
    { type: 'Title', value: 'Widget catalogue', size: 'lg' },
    { type: 'Caption', value: 'A caption under the title' },
    { type: 'Row', gap: 2, children: [
      { type: 'Icon', name: 'check-circle', color: 'success' },
      { type: 'Text', value: 'A text in a row', weight: 'semibold' },
      { type: 'Spacer' },
      { type: 'Badge', label: 'new', color: 'info', pill: true },
      { type: 'Badge', label: 'risky', color: 'danger' },
    ] },
    { type: 'Divider' },
    { type: 'Col', gap: 1, children: [
      { type: 'Markdown', value: 'Some **bold** markdown with `code`.' },
      { type: 'Box', direction: 'row', gap: 2, padding: 2, background: 'blue-100', radius: 'md', children: [
        { type: 'Image', src: ICON_PNG, alt: 'a pixel', size: 24 },
        { type: 'Text', value: 'Inside a blue box', color: 'blue-700' },
      ] },
    ] },
    { type: 'Form', gap: 2, onSubmitAction: { type: 'form.submit', payload: { source: 'catalogue' } }, children: [
      { type: 'Label', value: 'Your name', fieldName: 'person.name' },
      { type: 'Input', name: 'person.name', placeholder: 'Ada' },
      { type: 'Label', value: 'Notes', fieldName: 'notes' },
      { type: 'Textarea', name: 'notes', defaultValue: 'first line' },
      { type: 'Select', name: 'size', defaultValue: 'm', options: [{ value: 's', label: 'Small' }, { value: 'm', label: 'Medium' }, { value: 'l', label: 'Large' }] },
      { type: 'Checkbox', name: 'subscribe', label: 'Subscribe' },
      { type: 'RadioGroup', name: 'color', defaultValue: 'red', direction: 'row', options: [{ value: 'red', label: 'Red' }, { value: 'green', label: 'Green' }] },
      { type: 'DatePicker', name: 'when', defaultValue: '2026-12-24T00:00:00Z' },
      { type: 'Row', gap: 2, children: [
        { type: 'Button', label: 'Submit', submit: true, style: 'primary' },
        { type: 'Button', label: 'Sync check', variant: 'outline', onClickAction: { type: 'sync.check', streaming: false } },
        { type: 'Button', label: 'Client only', variant: 'ghost', onClickAction: { type: 'open.url', handler: 'client' } },
      ] },
    ] },
    { type: 'Chart', data: [{ x: 1 }], series: [] },
  ],
};

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

export class GalleryServer extends ChatKitServer<Ctx> {
  readonly feedback: { itemIds: string[]; kind: FeedbackKind }[] = [];

  private widgetItem(thread: ThreadMetadata, context: Ctx, widget: Widget): WidgetItem {
    return { id: this.store.generateItemId('message', thread, context), thread_id: thread.id, created_at: now(), type: 'widget', widget } as unknown as WidgetItem;
  }

  private message(thread: ThreadMetadata, context: Ctx, text: string): ThreadStreamEvent {
    return { type: 'thread.item.done', item: { id: this.store.generateItemId('message', thread, context), thread_id: thread.id, created_at: now(), type: 'assistant_message', content: [{ type: 'output_text', text, annotations: [] }] } };
  }

  override async *respond(thread: ThreadMetadata, input: UserMessageItem | null, context: Ctx, { signal }: HandlerOptions): AsyncGenerator<ThreadStreamEvent> {
    const text = input?.content.map((part) => ('text' in part ? part.text : '')).join('') ?? '';
    if (text.includes('catalogue')) {
      yield { type: 'thread.item.done', item: this.widgetItem(thread, context, CATALOGUE) };
    } else if (text.includes('stream widget')) {
      const item = this.widgetItem(thread, context, { type: 'Card', children: [{ type: 'Title', value: 'Draft' }, { type: 'Markdown', id: 'body', value: '', streaming: true }] });
      yield { type: 'thread.item.added', item };
      for (const delta of ['Dear', ' Ada,', ' hello.']) {
        await pause(250, signal);
        yield { type: 'thread.item.updated', item_id: item.id, update: { type: 'widget.streaming_text.value_delta', component_id: 'body', delta, done: false } };
      }
      const final = { type: 'Card', children: [{ type: 'Title', value: 'Draft' }, { type: 'Markdown', id: 'body', value: 'Dear Ada, hello.' }, { type: 'Button', label: 'Send it', onClickAction: { type: 'draft.send' } }] };
      yield { type: 'thread.item.updated', item_id: item.id, update: { type: 'widget.root.updated', widget: final as never } };
      yield { type: 'thread.item.done', item: { ...item, widget: final } as never };
    } else if (text.includes('workflow')) {
      yield { type: 'progress_update', text: 'Planning the work…', icon: 'atom' };
      // Long enough to be seen: the progress line goes away when the next item arrives.
      await pause(400, signal);
      const id = this.store.generateItemId('workflow', thread, context);
      const base = { id, thread_id: thread.id, created_at: now(), type: 'workflow' as const };
      yield { type: 'thread.item.added', item: { ...base, workflow: { type: 'custom', tasks: [{ type: 'custom', title: 'Step one', status_indicator: 'loading' }], expanded: true } } as never };
      await pause(150, signal);
      yield { type: 'thread.item.updated', item_id: id, update: { type: 'workflow.task.updated', task_index: 0, task: { type: 'custom', title: 'Step one', status_indicator: 'complete' } } } as never;
      yield { type: 'thread.item.updated', item_id: id, update: { type: 'workflow.task.added', task_index: 1, task: { type: 'thought', title: 'Thinking', content: 'Weighing **options**', status_indicator: 'complete' } } } as never;
      yield { type: 'thread.item.done', item: { ...base, workflow: { type: 'custom', tasks: [{ type: 'custom', title: 'Step one', status_indicator: 'complete' }, { type: 'thought', title: 'Thinking', content: 'Weighing **options**', status_indicator: 'complete' }], summary: { title: 'Did 2 things', icon: 'check' }, expanded: false } } as never };
      yield { type: 'notice', level: 'warning', title: 'Heads up', message: 'You are near your **limit**.' };
      yield this.message(thread, context, 'Workflow finished.');
    } else if (text.includes('lock')) {
      thread.status = { type: 'locked', reason: 'Escalated to a human' };
      yield this.message(thread, context, 'Locked.');
    } else if (text.includes('close')) {
      thread.status = { type: 'closed', reason: 'This case is closed.' };
      yield this.message(thread, context, 'Closed.');
    } else if (text.includes('quota')) {
      throw new CustomStreamError('Quota exceeded', { allowRetry: false });
    } else if (text.includes('question')) {
      yield { type: 'thread.item.done', item: {
        id: this.store.generateItemId('message', thread, context), thread_id: thread.id, created_at: now(), type: 'structured_input', status: 'pending',
        inputs: [
          { id: 'prio', question: 'Priority?', type: 'multiple_choice', options: [{ value: 'Low' }, { value: 'High' }], multiple: false },
          { id: 'notes', question: 'Notes?', type: 'freeform', description: 'Optional' },
        ],
      } as never };
    } else if (text.includes('sources')) {
      yield { type: 'thread.item.done', item: {
        id: this.store.generateItemId('message', thread, context), thread_id: thread.id, created_at: now(), type: 'assistant_message',
        content: [{ type: 'output_text', text: 'According to the docs.', annotations: [{ type: 'annotation', source: { type: 'url', title: 'ChatKit docs', url: 'https://example.com/docs' }, index: 5 }] }],
      } as never };
    } else if (input === null) {
      yield this.message(thread, context, 'Answers received.');
    } else if (text.includes('history')) {
      for (let i = 1; i <= 25; i++) yield this.message(thread, context, `History line ${i}`);
    } else {
      const names = input?.attachments.map((a) => a.name).join(', ');
      yield this.message(thread, context, names ? `Got ${input!.attachments.length} attachment(s): ${names}` : `You said: ${text}`);
    }
  }

  override async *action(thread: ThreadMetadata, action: Action, sender: WidgetItem | null): AsyncGenerator<ThreadStreamEvent> {
    if (!sender) return;
    const echo = { type: 'Card', children: [{ type: 'Title', value: `Received ${action.type}` }, { type: 'Markdown', value: '```\n' + JSON.stringify(action.payload) + '\n```' }] };
    yield { type: 'thread.item.updated', item_id: sender.id, update: { type: 'widget.root.updated', widget: echo as never } };
    void thread;
  }

  override async syncAction(_thread: ThreadMetadata, action: Action, sender: WidgetItem | null): Promise<SyncCustomActionResponse> {
    if (!sender) return {};
    return { updated_item: { ...sender, widget: { type: 'Card', children: [{ type: 'Text', value: `Synced ${action.type}` }] } } as never };
  }

  override async addFeedback(_threadId: string, itemIds: string[], kind: FeedbackKind): Promise<void> {
    this.feedback.push({ itemIds, kind });
  }
}
