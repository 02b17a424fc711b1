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
  // A replacer function makes JSON.stringify several times slower, and most
  // events have neither nulls nor attachments: try without it first. The
  // substring checks can only err towards redoing the work with the replacer.
  const plain = JSON.stringify(value);
  if (plain === undefined) return plain as unknown as string;
  if (!plain.includes('null') && !plain.includes('"metadata"')) return plain;
  return JSON.stringify(value, nullOmitter());
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
