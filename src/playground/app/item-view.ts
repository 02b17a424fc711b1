/**
 * One thread item as a block of the conversation: user and assistant
 * messages (markdown), widgets, workflows and tasks, client tool calls with
 * their output form, generated images; anything else as labelled JSON.
 */
import { h, prettyJson, type Child } from './dom';
import { renderMarkdown } from './markdown';
import type { ActionConfig, Task, ThreadItem } from './protocol';
import { iconGlyph } from './widget-style';
import { renderWidget } from './widgets';

export interface ItemHandlers {
  action(item: ThreadItem, action: ActionConfig, source: HTMLElement): void;
  feedback(item: ThreadItem, kind: 'positive' | 'negative', button: HTMLButtonElement): void;
  retry(item: ThreadItem): void;
  toolOutput(item: ThreadItem, result: unknown): void;
  structuredInput(item: ThreadItem, submission: { status: 'answered' | 'skipped'; answers: Record<string, { values: string[] }> }): void;
  /** Whether a turn is streaming right now (actions that would start another wait). */
  busy(): boolean;
}

function markdown(text: string, streaming = false): HTMLElement {
  const node = h('div', { class: `markdown${streaming ? ' streaming' : ''}` });
  node.innerHTML = renderMarkdown(text);
  return node;
}

function actions(item: ThreadItem, handlers: ItemHandlers, retry: boolean): HTMLElement {
  const feedback = (kind: 'positive' | 'negative', label: string, glyph: string) =>
    h('button', {
      class: 'icon-button', title: label, attrs: { type: 'button', 'aria-label': label },
      on: { click: (event) => handlers.feedback(item, kind, event.currentTarget as HTMLButtonElement) },
    }, glyph);
  return h('div', { class: 'item-actions' },
    feedback('positive', 'Good response (items.feedback)', '+1 Good'),
    feedback('negative', 'Bad response (items.feedback)', '−1 Bad'),
    retry ? h('button', { class: 'icon-button', title: 'Retry from the message before (threads.retry_after_item)', attrs: { type: 'button', 'aria-label': 'Retry' }, on: { click: () => handlers.retry(item) } }, '↻ Retry') : null,
  );
}

function taskView(task: Task): HTMLElement {
  const indicator = task.status_indicator === 'complete' ? '✓' : task.status_indicator === 'loading' ? '◌' : '•';
  return h('li', { class: `task task-${task.status_indicator ?? 'none'}` },
    h('span', { class: 'task-indicator', text: indicator, attrs: { 'aria-label': task.status_indicator ?? 'none' } }),
    h('div', {},
      h('div', { class: 'task-title' }, task.title ?? task.type, task.type !== 'custom' ? h('span', { class: 'tag', text: task.type }) : null),
      task.content ? markdown(task.content) : null,
      task.queries?.length ? h('div', { class: 'muted', text: `queries: ${task.queries.join(', ')}` }) : null,
      task.sources?.length ? h('ul', { class: 'sources' }, task.sources.map((s) => h('li', { text: s.title + (s.url ? ` (${s.url})` : s.filename ? ` (${s.filename})` : '') }))) : null,
    ),
  );
}

function toolCall(item: ThreadItem, handlers: ItemHandlers): HTMLElement {
  const pending = item.status === 'pending';
  const block = h('div', { class: 'tool-call', data: { status: String(item.status) } },
    h('div', { class: 'item-label' }, `Client tool call · ${item.status}`),
    h('div', { class: 'tool-name' }, h('code', { text: String(item.name) }), h('span', { class: 'muted', text: ` call_id ${String(item.call_id)}` })),
    h('pre', { class: 'json', attrs: { 'aria-label': 'arguments' }, text: prettyJson(item.arguments) }),
  );
  if (!pending) {
    block.append(h('div', { class: 'item-label' }, 'Output'), h('pre', { class: 'json', text: prettyJson(item.output) }));
    return block;
  }
  const output = h('textarea', { class: 'tool-output', attrs: { rows: '3', 'aria-label': `Output of ${String(item.name)} (JSON)`, spellcheck: 'false' } });
  output.value = '{}';
  const problem = h('div', { class: 'field-error', attrs: { role: 'alert' } });
  const form = h('form', {
    class: 'tool-form',
    on: {
      submit: (event) => {
        event.preventDefault();
        let result: unknown;
        try {
          result = JSON.parse(output.value);
        } catch (error) {
          problem.textContent = `Not valid JSON: ${(error as Error).message}`;
          return;
        }
        problem.textContent = '';
        handlers.toolOutput(item, result);
      },
    },
  },
    h('p', { class: 'muted', text: 'Your frontend\'s onClientTool would run here; the playground does not run it. Write what it would return:' }),
    output,
    problem,
    h('button', { class: 'primary', attrs: { type: 'submit' }, text: 'Send output (threads.add_client_tool_output)' }),
  );
  block.append(form);
  return block;
}

interface Question {
  id: string;
  question: string;
  type: 'multiple_choice' | 'freeform' | string;
  options?: { value: string }[];
  multiple?: boolean;
  description?: string;
  answer?: { values: string[]; skipped: boolean };
}

/** A `structured_input` item: the questions, a form while pending, the answers once given. */
function structuredInput(item: ThreadItem, handlers: ItemHandlers): HTMLElement {
  const questions = (item.inputs ?? []) as Question[];
  const pending = item.status === 'pending';
  const fields = questions.map((q) => {
    const name = `${item.id}-${q.id}`;
    let control: HTMLElement;
    if (!pending) {
      control = h('div', { class: 'answer', text: q.answer?.skipped ? '(skipped)' : (q.answer?.values.join(', ') ?? '(unanswered)') });
    } else if (q.type === 'multiple_choice') {
      control = h('div', { class: 'w-radiogroup' }, (q.options ?? []).map((o) =>
        h('label', { class: 'w-radio' }, h('input', { attrs: { type: q.multiple ? 'checkbox' : 'radio', name, value: o.value } }), ' ', o.value)));
    } else {
      control = h('textarea', { class: 'w-textarea', attrs: { name, rows: '2', 'aria-label': q.question, placeholder: q.description } });
    }
    return h('fieldset', { class: 'question', data: { questionId: q.id } }, h('legend', { text: q.question }), control);
  });
  const collect = (form: HTMLFormElement) => {
    const answers: Record<string, { values: string[] }> = {};
    for (const q of questions) {
      const name = `${item.id}-${q.id}`;
      const values = q.type === 'multiple_choice'
        ? [...form.querySelectorAll<HTMLInputElement>(`input[name="${CSS.escape(name)}"]:checked`)].map((input) => input.value)
        : [form.querySelector<HTMLTextAreaElement>(`textarea[name="${CSS.escape(name)}"]`)?.value.trim() ?? ''].filter(Boolean);
      answers[q.id] = { values };
    }
    return answers;
  };
  const form = h('form', { class: 'structured-input', data: { status: String(item.status) } },
    h('div', { class: 'item-label', text: `Structured input · ${item.status}` }),
    fields,
  );
  if (pending) {
    form.append(h('div', { class: 'w-card-footer' },
      h('button', { attrs: { type: 'button' }, text: 'Skip', on: { click: () => handlers.structuredInput(item, { status: 'skipped', answers: {} }) } }),
      h('button', { class: 'primary', attrs: { type: 'submit' }, text: 'Answer (threads.add_structured_input)' }),
    ));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      handlers.structuredInput(item, { status: 'answered', answers: collect(form) });
    });
  }
  return form;
}

interface Annotation {
  source?: { type?: string; title?: string; url?: string; filename?: string; label?: string };
}

/** Sources cited by an assistant message (annotations), listed under it. */
function sources(item: ThreadItem): HTMLElement | null {
  const all = (item.content ?? []).flatMap((part) => (part.annotations ?? []) as Annotation[]);
  if (!all.length) return null;
  return h('ol', { class: 'sources annotations', attrs: { 'aria-label': 'Sources' } }, all.map((a) => {
    const s = a.source ?? {};
    const label = s.title ?? s.label ?? s.filename ?? s.url ?? 'source';
    return h('li', {}, s.url && /^https?:/.test(s.url) ? h('a', { attrs: { href: s.url, target: '_blank', rel: 'noreferrer noopener' }, text: label }) : label, h('span', { class: 'tag', text: s.type ?? '?' }));
  }));
}

export function renderItem(item: ThreadItem, handlers: ItemHandlers, opts: { streaming: boolean; retryable: boolean }): HTMLElement {
  const wrap = (kind: string, ...body: Child[]) => h('article', { class: `item item-${kind}`, data: { itemId: item.id, itemType: item.type } }, body);
  switch (item.type) {
    case 'user_message': {
      const text = (item.content ?? []).map((part) => part.text ?? (part.type === 'input_tag' ? `@${String((part as { text?: string }).text)}` : '')).join('');
      return wrap('user',
        item.quoted_text ? h('blockquote', { text: item.quoted_text }) : null,
        h('div', { class: 'bubble' }, text),
        item.attachments?.length
          ? h('div', { class: 'attachments' }, item.attachments.map((a) =>
              h('span', { class: 'attachment-chip', data: { attachmentId: a.id } }, a.type === 'image' && a.preview_url ? h('img', { attrs: { src: a.preview_url, alt: '' } }) : h('span', { class: 'muted', text: a.mime_type }), ` ${a.name}`)))
          : null,
      );
    }
    case 'assistant_message': {
      const text = (item.content ?? []).map((part) => part.text ?? '').join('\n\n');
      return wrap('assistant', markdown(text, opts.streaming), sources(item), opts.streaming ? null : actions(item, handlers, opts.retryable));
    }
    case 'widget':
      return wrap('widget',
        h('div', { class: 'item-label' }, `Widget · ${item.widget?.type ?? '?'}`),
        renderWidget(item.widget ?? { type: '(missing widget)' }, { idPrefix: item.id, onAction: (action, source) => handlers.action(item, action, source) }),
        opts.streaming ? null : actions(item, handlers, false),
      );
    case 'client_tool_call':
      return wrap('tool', toolCall(item, handlers));
    case 'workflow': {
      const workflow = item.workflow!;
      const summary = workflow.summary?.title ?? (workflow.summary?.duration !== undefined ? `Worked for ${workflow.summary.duration}s` : `${workflow.type === 'reasoning' ? 'Reasoning' : 'Workflow'}…`);
      return wrap('workflow', h('details', { attrs: { open: opts.streaming || workflow.expanded ? true : undefined } },
        h('summary', {}, workflow.summary?.icon ? `${iconGlyph(workflow.summary.icon)} ` : '', summary, h('span', { class: 'tag', text: `${workflow.type} · ${workflow.tasks.length} task(s)` })),
        h('ul', { class: 'tasks' }, workflow.tasks.map(taskView)),
      ));
    }
    case 'task':
      return wrap('task', h('ul', { class: 'tasks' }, taskView(item.task!)));
    case 'generated_image':
      return wrap('image', item.image ? h('img', { class: 'generated', attrs: { src: item.image.url, alt: 'Generated image' } }) : h('div', { class: 'muted', text: `Generating image… ${typeof item.progress === 'number' ? Math.round(item.progress * 100) + '%' : ''}` }));
    case 'structured_input':
      return wrap('structured', structuredInput(item, handlers));
    case 'end_of_turn':
      return wrap('eot', h('hr', { class: 'end-of-turn', title: 'end_of_turn' }));
    default:
      return wrap('unknown', h('details', { attrs: { open: true } }, h('summary', { text: `Item type ${item.type} (shown as JSON)` }), h('pre', { class: 'json', text: prettyJson(item) })));
  }
}
