/**
 * `diffWidget(before, after)`: the updates that turn one widget state into
 * the next, with the reference's exact rules (spec 7.4):
 *
 * - anything but appended text forces one `widget.root.updated` carrying the
 *   whole new tree (a different type/id/key, a changed prop, a child list of a
 *   different length, `streaming` flipping);
 * - otherwise every `Text`/`Markdown` that has an `id` and whose `value` grew
 *   becomes a `widget.streaming_text.value_delta` with the appended suffix.
 *
 * Widgets are plain JSON here, so "a component" is any object with a string
 * `type`, and an unset prop is one that is `undefined` or `null` (the
 * reference compares pydantic fields, where unset and `None` read the same).
 */
import type { WidgetRootUpdated, WidgetStreamingTextValueDelta } from '../protocol/events.js';
import type { WidgetRoot } from '../protocol/items.js';
import { deepEqual } from '../deep-equal.js';

export type WidgetDiff = WidgetStreamingTextValueDelta | WidgetRootUpdated;

type Node = Record<string, unknown> & { type: string };

export function diffWidget(before: WidgetRoot, after: WidgetRoot): WidgetDiff[] {
  if (needsFullReplace(before as Node, after as Node)) return [{ type: 'widget.root.updated', widget: after }];

  const beforeTexts = streamingTextById(before as Node);
  const deltas: WidgetDiff[] = [];
  for (const [id, afterNode] of streamingTextById(after as Node)) {
    const beforeNode = beforeTexts.get(id);
    if (!beforeNode) {
      throw new Error(
        `diffWidget: component "${id}" was not present when the widget was first rendered. ` +
          'Every component with an id must exist in every state of a streamed widget.',
      );
    }
    const beforeValue = String(beforeNode.value);
    const afterValue = String(afterNode.value);
    if (beforeValue === afterValue) continue;
    if (!afterValue.startsWith(beforeValue)) {
      throw new Error(
        `diffWidget: the value of component "${id}" changed from ${JSON.stringify(clip(beforeValue))} to ` +
          `${JSON.stringify(clip(afterValue))}, which does not extend it. Streamed text may only grow; ` +
          'rebuild the widget without an id on that component to replace its text.',
      );
    }
    deltas.push({
      type: 'widget.streaming_text.value_delta',
      component_id: id,
      delta: afterValue.slice(beforeValue.length),
      done: !afterNode.streaming,
    });
  }
  return deltas;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function isComponent(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Node).type === 'string';
}

function isStreamingText(node: Node): boolean {
  return (node.type === 'Text' || node.type === 'Markdown') && typeof node.value === 'string';
}

const isUnset = (value: unknown) => value === undefined || value === null;

function needsFullReplace(before: Node, after: Node): boolean {
  if (before.type !== after.type || !sameScalar(before.id, after.id) || !sameScalar(before.key, after.key)) return true;
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const field of fields) {
    if (
      field === 'value' &&
      isStreamingText(before) &&
      isStreamingText(after) &&
      (after.value as string).startsWith(before.value as string)
    ) {
      continue; // growing text is streamed as deltas, not replaced
    }
    if (valueNeedsFullReplace(before[field], after[field])) return true;
  }
  return false;
}

function sameScalar(a: unknown, b: unknown): boolean {
  return (isUnset(a) && isUnset(b)) || a === b;
}

function valueNeedsFullReplace(before: unknown, after: unknown): boolean {
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) return true;
    return before.some((item, index) => valueNeedsFullReplace(item, after[index]));
  }
  if (deepEqual(before, after)) return false;
  if (isComponent(before) && isComponent(after)) return needsFullReplace(before, after);
  return true;
}

/** Every `Text`/`Markdown` with an `id`, reached through `children`, by id. */
function streamingTextById(root: Node): Map<string, Node> {
  const found = new Map<string, Node>();
  const visit = (node: Node) => {
    if (isStreamingText(node) && typeof node.id === 'string' && node.id !== '') found.set(node.id, node);
    const children = node.children;
    if (Array.isArray(children)) {
      for (const child of children) if (isComponent(child)) visit(child);
    } else if (isComponent(children)) {
      visit(children); // Transition has a single child
    }
  };
  visit(root);
  return found;
}
