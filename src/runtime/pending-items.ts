/**
 * Bookkeeping for items that were streamed (`thread.item.added`) but are not
 * done yet: the server mirrors updates onto copies of them so a cancelled
 * stream can still save what the user saw, as the reference does.
 */
import type { ThreadItemUpdatedEvent } from './protocol/events.js';
import type { AssistantMessageContent, AssistantMessageItem, ThreadItem } from './protocol/items.js';
import { cloneJson } from './clone.js';

/** Mirrors item updates onto the pending copies, as the reference does for cancellation. */
export function applyToPending(pending: Map<string, ThreadItem>, event: ThreadItemUpdatedEvent): void {
  const item = pending.get(event.item_id);
  if (!item) return;
  const update = event.update;
  if (item.type === 'assistant_message') {
    applyAssistantMessageUpdate(item, update);
  } else if (item.type === 'workflow') {
    const tasks = item.workflow.tasks;
    if (update.type === 'workflow.task.updated') tasks[listIndex(tasks.length, update.task_index, 'task_index')] = cloneJson(update.task);
    else if (update.type === 'workflow.task.added') item.workflow.tasks.push(cloneJson(update.task));
  }
}

function applyAssistantMessageUpdate(item: AssistantMessageItem, update: ThreadItemUpdatedEvent['update']): void {
  if (!update.type.startsWith('assistant_message.')) return;
  const index = (update as { content_index: number }).content_index;
  while (item.content.length <= index) item.content.push({ annotations: [], text: '', type: 'output_text' });
  const at = listIndex(item.content.length, index, 'content_index');
  const part = item.content[at] as AssistantMessageContent;
  switch (update.type) {
    case 'assistant_message.content_part.added':
    case 'assistant_message.content_part.done':
      item.content[at] = cloneJson(update.content);
      break;
    case 'assistant_message.content_part.text_delta':
      part.text += update.delta;
      break;
    case 'assistant_message.content_part.annotation_added':
      if (update.annotation_index <= part.annotations.length) {
        part.annotations.splice(update.annotation_index, 0, cloneJson(update.annotation));
      } else {
        part.annotations.push(cloneJson(update.annotation));
      }
      break;
  }
}


/**
 * An index into a list as Python resolves one (the reference mirrors updates
 * with `list[i] = …`): negative counts from the end, and one past either end
 * fails, which fails the stream (`stream.error`, retry allowed) before the
 * update is sent, as in the reference.
 */
function listIndex(length: number, index: number, field: string): number {
  const resolved = index < 0 ? index + length : index;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved >= length) {
    throw new RangeError(`thread.item.updated: ${field} ${index} is out of range for a list of ${length}`);
  }
  return resolved;
}
