/**
 * Wire serialization, matching the reference's
 * `model_dump_json(by_alias=True, exclude_none=True)`: compact JSON, object
 * fields that are null or undefined omitted at every depth, non-ASCII written
 * raw as UTF-8, Dates as ISO-8601 UTC.
 */

// A replacer rather than a pre-pass: one walk over the value, no copies.
// Array holes and nulls inside arrays are kept, as pydantic keeps them.
// Attachment `metadata` is server-side data and never leaves the server,
// wherever the attachment appears (attachments.create, user messages).
function omitNullFields(this: unknown, key: string, value: unknown): unknown {
  if (value === null && !Array.isArray(this)) return undefined;
  if (key === 'metadata' && isAttachment(this)) return undefined;
  return value;
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
  return JSON.stringify(value, omitNullFields);
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
