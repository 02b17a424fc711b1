/**
 * Wire serialization, matching the reference's
 * `model_dump_json(by_alias=True, exclude_none=True)`: compact JSON, typed
 * fields that are null or undefined omitted at every depth, non-ASCII written
 * raw as UTF-8, Dates as ISO-8601 UTC.
 *
 * pydantic omits `None` only for a model's own fields: inside a free-form
 * value (`dict[str, Any]` or `Any`) every null is kept. Those values are the
 * ones listed in `FREE_FORM_FIELDS`; below them, nothing is dropped.
 */

/** Fields typed `dict[str, Any]` / `Any` in the reference, by the `type` of the object holding them. */
const FREE_FORM_FIELDS: Readonly<Record<string, readonly string[]>> = {
  input_tag: ['data'],
  client_effect: ['data'],
  entity: ['data'],
  client_tool_call: ['arguments', 'output'],
  hidden_context_item: ['content'],
};

/** `ActionConfig.payload` (widgets) and `Action.payload` are `Any` whatever holds them. */
const FREE_FORM_ANYWHERE = 'payload';

function isFreeFormField(holder: object, key: string): boolean {
  if (key === FREE_FORM_ANYWHERE) return true;
  const type = (holder as { type?: unknown }).type;
  return typeof type === 'string' && Object.hasOwn(FREE_FORM_FIELDS, type) && FREE_FORM_FIELDS[type]!.includes(key);
}

// A replacer rather than a pre-pass: one walk over the value, no copies.
// Array holes and nulls inside arrays are kept, as pydantic keeps them.
// Attachment `metadata` is server-side data and never leaves the server,
// wherever the attachment appears (attachments.create, user messages).
function nullOmitter(): (this: unknown, key: string, value: unknown) => unknown {
  // Objects and arrays inside a free-form value: their nulls are data.
  const freeForm = new Set<unknown>();
  return function omitNullFields(this: unknown, key: string, value: unknown): unknown {
    if (freeForm.has(this)) {
      if (typeof value === 'object' && value !== null) freeForm.add(value);
      return value;
    }
    if (value === null) return Array.isArray(this) ? value : undefined;
    if (key === 'metadata' && isAttachment(this)) return undefined;
    if (typeof value === 'object' && !Array.isArray(this) && isFreeFormField(this as object, key)) freeForm.add(value);
    return value;
  };
}

function isAttachment(holder: unknown): boolean {
  if (typeof holder !== 'object' || holder === null) return false;
  const h = holder as Record<string, unknown>;
  return (h.type === 'file' || h.type === 'image') && typeof h.mime_type === 'string' && typeof h.name === 'string';
}

export function toJSON(value: unknown): string {
  return textDeltaJSON(value) ?? genericJSON(value);
}

/** `toJSON` for any value. Exported for the tests that hold the text-delta path to it. */
export function genericJSON(value: unknown): string {
  // A replacer function makes JSON.stringify several times slower, and most
  // events have neither nulls nor attachments: try without it first. The
  // substring checks can only err towards redoing the work with the replacer.
  const plain = JSON.stringify(value);
  if (plain === undefined) return plain as unknown as string;
  if (!plain.includes('null') && !plain.includes('"metadata"')) return plain;
  return JSON.stringify(value, nullOmitter());
}

const TEXT_DELTA = 'assistant_message.content_part.text_delta';

/**
 * A text delta, written out directly: every token of every reply is one, and
 * this is twice as fast as `genericJSON`. Only for an event that is exactly
 * `{type, item_id, update: {type, content_index, delta}}` in that key order,
 * plain objects with a string id and delta and a finite index, so the text
 * is byte for byte what `genericJSON` writes; anything else gets `undefined`.
 */
function textDeltaJSON(value: unknown): string | undefined {
  const event = value as { type?: unknown; item_id?: unknown; update?: { type?: unknown; content_index?: unknown; delta?: unknown } | null };
  if (typeof value !== 'object' || value === null || event.type !== 'thread.item.updated') return undefined;
  const update = event.update;
  if (typeof update !== 'object' || update === null || update.type !== TEXT_DELTA) return undefined;
  const { item_id: itemId } = event;
  const { content_index: index, delta } = update;
  if (typeof itemId !== 'string' || typeof delta !== 'string' || typeof index !== 'number' || !Number.isFinite(index)) return undefined;
  if (!isPlainWithKeys(event, 'type', 'item_id', 'update') || !isPlainWithKeys(update, 'type', 'content_index', 'delta')) return undefined;
  return `{"type":"thread.item.updated","item_id":${JSON.stringify(itemId)},"update":{"type":"${TEXT_DELTA}","content_index":${index},"delta":${JSON.stringify(delta)}}}`;
}

/** A plain object whose enumerable keys are exactly these three, in this order (for…in: no array built). */
function isPlainWithKeys(object: object, first: string, second: string, third: string): boolean {
  if (Object.getPrototypeOf(object) !== Object.prototype) return false;
  let count = 0;
  for (const key in object) {
    const expected = count === 0 ? first : count === 1 ? second : count === 2 ? third : undefined;
    if (key !== expected) return false;
    count++;
  }
  return count === 3;
}

/** One SSE frame: `data: <json>\n\n`, nothing else (no `event:`, `id:` or sentinel). */
export function sseFrame(event: unknown): Uint8Array {
  // Buffer.from draws small strings from a shared pool; TextEncoder allocates
  // a fresh ArrayBuffer per call, which dominated the per-event cost.
  return Buffer.from(`data: ${toJSON(event)}\n\n`, 'utf8');
}

export function encodeUtf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}
