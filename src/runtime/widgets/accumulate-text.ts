/**
 * `accumulateText`: turns a stream of model text into successive states of a
 * `Text` or `Markdown` component, for streaming a widget that grows as the
 * model writes (spec 7.4). It yields the base component, then a copy with the
 * text so far for every delta, then a final copy with `streaming: false`.
 *
 * The events can be an Agents SDK run (`run(agent, input, { stream: true })`,
 * whose normalized `output_text_delta` events carry the text whatever the
 * provider), or plain strings (`result.toTextStream()`).
 */
import type { Widgets } from '@openai/chatkit';
import type { WidgetRoot } from '../protocol/items.js';

export type StreamingTextComponent = Widgets.TextComponent | Widgets.Markdown;

/**
 * The text in one stream event, if it carries any: a string, or the SDK's
 * normalized `output_text_delta`. A raw Responses `response.output_text.delta`
 * counts only when `rawText` is set (a stream that never sent normalized
 * deltas, as chatkit-python reads them); otherwise it would count twice.
 */
export function textDeltaOf(event: unknown, rawText = false): string | undefined {
  if (typeof event === 'string') return event;
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as { type?: unknown; data?: { type?: unknown; delta?: unknown; event?: { type?: unknown; delta?: unknown } } };
  if (e.type !== 'raw_model_stream_event') return undefined;
  if (e.data?.type === 'output_text_delta' && typeof e.data.delta === 'string') return e.data.delta;
  const raw = e.data?.type === 'model' ? e.data.event : undefined;
  if (rawText && raw?.type === 'response.output_text.delta' && typeof raw.delta === 'string') return raw.delta;
  return undefined;
}

function isNormalizedDelta(event: unknown): boolean {
  const e = event as { type?: unknown; data?: { type?: unknown } } | null;
  return typeof e === 'object' && e !== null && e.type === 'raw_model_stream_event' && e.data?.type === 'output_text_delta';
}

/** Successive states of `base`. */
export function accumulateText<T extends StreamingTextComponent>(events: AsyncIterable<unknown>, base: T): AsyncGenerator<T>;
/**
 * Successive states of a whole widget: `wrap` places the growing component in
 * its root, so the result can go straight to `streamWidget`.
 */
export function accumulateText<T extends StreamingTextComponent>(
  events: AsyncIterable<unknown>,
  base: T,
  wrap: (component: T) => WidgetRoot,
): AsyncGenerator<WidgetRoot>;
export async function* accumulateText<T extends StreamingTextComponent>(
  events: AsyncIterable<unknown>,
  base: T,
  wrap?: (component: T) => WidgetRoot,
): AsyncGenerator<T | WidgetRoot> {
  const emit = (component: T) => (wrap ? wrap(component) : component);
  let text = '';
  let sawNormalizedDelta = false;
  yield emit(base);
  for await (const event of events) {
    sawNormalizedDelta ||= isNormalizedDelta(event);
    const delta = textDeltaOf(event, !sawNormalizedDelta);
    if (delta === undefined) continue;
    text += delta;
    yield emit({ ...base, value: text });
  }
  yield emit({ ...base, value: text, streaming: false });
}
