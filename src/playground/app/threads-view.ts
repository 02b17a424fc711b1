/** The thread list: open, create, rename and delete threads, and page through them (`threads.list`). */
import { h } from './dom';
import type { ThreadMeta } from './protocol';

export interface ThreadListHandlers {
  open(id: string): void;
  create(): void;
  more(): void;
  rename(id: string, title: string): void;
  remove(id: string): void;
}

/** `14:05`, or `3 Dec` for another day: enough to tell untitled threads apart. */
function shortTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : date.toLocaleDateString([], { day: 'numeric', month: 'short' });
}

function row(thread: ThreadMeta, current: boolean, handlers: ThreadListHandlers): HTMLElement {
  const title = thread.title ?? 'Untitled';
  const li = h('li', { class: current ? 'current' : '', data: { threadId: thread.id } });
  const normal = () => [
    h('button', { class: 'thread-open', attrs: { type: 'button', 'aria-current': current ? 'true' : undefined }, on: { click: () => handlers.open(thread.id) } },
      h('span', { class: 'thread-title', text: title }),
      h('span', { class: 'thread-time', title: `${thread.id}, created ${thread.created_at}`, text: shortTime(thread.created_at) }),
      thread.status.type !== 'active' ? h('span', { class: `status-pill status-${thread.status.type}`, text: thread.status.type }) : null,
    ),
    h('button', { class: 'icon-button', title: 'Rename', attrs: { type: 'button', 'aria-label': `Rename ${title}` }, text: '✎', on: { click: () => editing() } }),
    h('button', { class: 'icon-button', title: 'Delete', attrs: { type: 'button', 'aria-label': `Delete ${title}` }, text: '×', on: { click: () => confirming() } }),
  ];
  const editing = () => {
    const input = h('input', { attrs: { value: thread.title ?? '', 'aria-label': 'New title' } });
    const form = h('form', { class: 'thread-rename', on: { submit: (event) => { event.preventDefault(); if (input.value.trim()) handlers.rename(thread.id, input.value.trim()); } } },
      input,
      h('button', { class: 'small', attrs: { type: 'submit' }, text: 'Save' }),
    );
    input.addEventListener('keydown', (event) => { if (event.key === 'Escape') li.replaceChildren(...normal()); });
    li.replaceChildren(form);
    input.focus();
    input.select();
  };
  const confirming = () => {
    const cancel = h('button', { class: 'small', attrs: { type: 'button' }, text: 'Keep', on: { click: () => li.replaceChildren(...normal()) } });
    li.replaceChildren(
      h('span', { class: 'thread-title', text: `Delete “${title}”?` }),
      h('button', { class: 'small danger', attrs: { type: 'button' }, text: 'Delete', on: { click: () => handlers.remove(thread.id) } }),
      cancel,
    );
    cancel.focus();
  };
  li.replaceChildren(...normal());
  return li;
}

export function renderThreadList(threads: ThreadMeta[], currentId: string | undefined, hasMore: boolean, handlers: ThreadListHandlers): HTMLElement {
  return h('div', { class: 'thread-list' },
    h('div', { class: 'panel-header' },
      h('h2', { text: 'Threads' }),
      h('button', { class: 'small primary', attrs: { type: 'button' }, text: '+ New', on: { click: () => handlers.create() } }),
    ),
    threads.length ? h('ul', {}, threads.map((thread) => row(thread, thread.id === currentId, handlers))) : h('p', { class: 'muted', text: 'No threads yet.' }),
    hasMore ? h('button', { class: 'small', attrs: { type: 'button' }, text: 'Load more threads', on: { click: () => handlers.more() } }) : null,
  );
}
