/**
 * Reading ChatKit's event-stream framing: every frame must be exactly one
 * `data: <json>` line (chatkit-python#71: a raw newline inside a payload
 * makes the client stall silently).
 */

export interface ParsedFrame {
  /** The parsed JSON payload, when the frame carries one. */
  event?: { type?: string; [key: string]: unknown };
  /** Whether the frame is only `:` comments (heartbeats). */
  comment: boolean;
  /** What is wrong with the frame's framing, when something is. */
  problem?: string;
}

const KNOWN_FIELDS = new Set(['event', 'id', 'retry']);

export function parseFrame(text: string): ParsedFrame {
  const lines = text.split(/\r?\n/);
  const dataLines: string[] = [];
  const unknown: string[] = [];
  let commentOnly = true;
  for (const line of lines) {
    if (line.startsWith(':')) continue;
    commentOnly = false;
    if (line.startsWith('data:')) dataLines.push(line.slice(5).replace(/^ /, ''));
    else if (!KNOWN_FIELDS.has(line.split(':', 1)[0]!)) unknown.push(line);
  }
  if (commentOnly) return { comment: true };
  if (unknown.length > 0) return { comment: false, problem: `line without a known SSE field: ${JSON.stringify(unknown[0]!.slice(0, 80))}` };
  if (dataLines.length === 0) return { comment: false, problem: 'frame without a data: line' };
  if (dataLines.length > 1) return { comment: false, problem: `payload split over ${dataLines.length} data: lines (a newline inside the JSON)` };
  try {
    const event = JSON.parse(dataLines[0]!) as ParsedFrame['event'];
    if (!event || typeof event !== 'object' || Array.isArray(event)) return { comment: false, problem: 'data: payload is not a JSON object' };
    return { comment: false, event };
  } catch {
    return { comment: false, problem: `data: payload is not JSON: ${JSON.stringify(dataLines[0]!.slice(0, 80))}` };
  }
}
