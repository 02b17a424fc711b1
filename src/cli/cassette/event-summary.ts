/**
 * One short line for a ChatKit event (`thread.item.updated
 * assistant_message.content_part.text_delta "Hi"`), shared by the dev log's
 * `--verbose` lines and replay's diff of missing or unexpected events. Pure.
 */

type LooseEvent = { type?: unknown; item?: { type?: unknown; id?: unknown }; update?: { type?: unknown; delta?: unknown }; thread?: { id?: unknown }; code?: unknown; message?: unknown };

/** The event's type, with what it is about (item type and id, update type and delta, thread id). */
export function describeEvent(event: unknown, max = 100): string {
  const e = (typeof event === 'object' && event !== null ? event : {}) as LooseEvent;
  const type = String(e.type ?? '(no type)');
  let detail = '';
  switch (e.type) {
    case 'thread.item.updated':
      detail = `${String(e.update?.type ?? '')}${typeof e.update?.delta === 'string' ? ` ${JSON.stringify(e.update.delta)}` : ''}`;
      break;
    case 'thread.item.added':
    case 'thread.item.done':
    case 'thread.item.replaced':
      detail = `${String(e.item?.type ?? '')} ${String(e.item?.id ?? '')}`;
      break;
    case 'thread.created':
    case 'thread.updated':
      detail = String(e.thread?.id ?? '');
      break;
    case 'error':
      detail = `${String(e.code ?? '')} ${String(e.message ?? '')}`;
      break;
  }
  detail = detail.trim();
  const text = detail ? `${type} ${detail}` : type;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * What kind of event this is, without its content: two events of the same
 * kind are worth comparing field by field; events of different kinds are an
 * event missing and another one inserted.
 */
export function eventKind(event: unknown): string {
  if (typeof event !== 'object' || event === null) return typeof event;
  const e = event as LooseEvent;
  return [e.type, e.item?.type, e.update?.type].filter((part) => typeof part === 'string').join(' ');
}

/** Whether a value looks like a ChatKit event (an object with a string `type`). */
export function isEventLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as LooseEvent).type === 'string';
}
