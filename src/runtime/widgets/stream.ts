/**
 * `streamWidget`: turns a widget, or an async sequence of widget states, into
 * thread events (spec 7.4). A single widget is one `thread.item.done`; a
 * sequence is `thread.item.added` with the first state, the diff of every
 * later state as `thread.item.updated` events, and `thread.item.done` with the
 * last state.
 */
import { defaultGenerateId, type StoreItemType } from '../ids.js';
import type { ThreadStreamEvent } from '../protocol/events.js';
import { now, type ThreadMetadata, type WidgetItem, type WidgetRoot } from '../protocol/items.js';
import { diffWidget } from './diff.js';

export interface StreamWidgetOptions {
  /** What the copy button puts on the clipboard. */
  copyText?: string | null;
  /** Id generation; pass the store's so ids follow its scheme. The item id is `generateId('message')`. */
  generateId?: (type: StoreItemType) => string;
}

export async function* streamWidget(
  thread: Pick<ThreadMetadata, 'id'>,
  widget: WidgetRoot | AsyncIterable<WidgetRoot>,
  options: StreamWidgetOptions = {},
): AsyncGenerator<ThreadStreamEvent, void, undefined> {
  const id = (options.generateId ?? defaultGenerateId)('message');
  const item = (state: WidgetRoot): WidgetItem => ({
    id,
    thread_id: thread.id,
    created_at: now(),
    type: 'widget',
    widget: state,
    ...(options.copyText != null ? { copy_text: options.copyText } : {}),
  });

  if (!isAsyncIterable(widget)) {
    yield { type: 'thread.item.done', item: item(widget) };
    return;
  }

  const iterator = widget[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) {
    throw new Error(
      'streamWidget: the widget sequence ended before yielding a first widget state; ' +
        'yield at least one widget, or pass a single widget instead of a sequence',
    );
  }
  const added = item(first.value);
  yield { type: 'thread.item.added', item: added };
  let last = first.value;
  while (true) {
    const next = await iterator.next();
    if (next.done) break;
    for (const update of diffWidget(last, next.value)) {
      yield { type: 'thread.item.updated', item_id: id, update };
    }
    last = next.value;
  }
  yield { type: 'thread.item.done', item: { ...added, widget: last } };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<WidgetRoot> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
