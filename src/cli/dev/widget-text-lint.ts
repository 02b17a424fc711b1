/**
 * Flags the classic mistake of an agent that writes widget data as text: an
 * assistant message right after a widget that contains JSON or a markdown
 * table (the widget already shows the data; the model should just comment).
 */

export interface WidgetTextWarning {
  threadId: string;
  itemId: string;
  kind: 'JSON' | 'a markdown table';
}

const MARKDOWN_TABLE = /^\s*\|.*\|\s*\n\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/m;

export function looksLikeWidgetData(text: string): WidgetTextWarning['kind'] | undefined {
  if (MARKDOWN_TABLE.test(text)) return 'a markdown table';
  if (/```json/i.test(text)) return 'JSON';
  for (const match of text.matchAll(/[{[]/g)) {
    const candidate = extractBalanced(text, match.index);
    if (candidate && candidate.length >= 8 && isStructuredJson(candidate)) return 'JSON';
  }
  return undefined;
}

function isStructuredJson(candidate: string): boolean {
  try {
    const value: unknown = JSON.parse(candidate);
    return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
  } catch {
    return false;
  }
}

function extractBalanced(text: string, start: number): string | undefined {
  const open = text[start];
  const close = open === '{' ? '}' : ']';
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

interface DoneItem {
  id?: string;
  thread_id?: string;
  type?: string;
  content?: { text?: string }[];
}

/** Feed every streamed event; returns a warning when the mistake is seen. */
export class WidgetTextLint {
  private readonly afterWidget = new Set<string>();

  check(event: unknown): WidgetTextWarning | undefined {
    const e = event as { type?: string; item?: DoneItem };
    if (e.type !== 'thread.item.done' || !e.item?.thread_id) return undefined;
    const { item } = e;
    const threadId = item.thread_id!;
    if (item.type === 'widget') {
      this.afterWidget.add(threadId);
      return undefined;
    }
    if (item.type === 'assistant_message' && this.afterWidget.has(threadId)) {
      this.afterWidget.delete(threadId);
      const text = (item.content ?? []).map((part) => part.text ?? '').join('');
      const kind = looksLikeWidgetData(text);
      return kind ? { threadId, itemId: item.id ?? '?', kind } : undefined;
    }
    if (item.type === 'user_message') this.afterWidget.delete(threadId);
    return undefined;
  }
}
