/**
 * What the mock OpenAI-compatible server answers: a queue of scripted replies,
 * each chosen by the text of the request's last user message, with an echo
 * when nothing matches. Shared by the Responses and Chat Completions writers.
 */
import { CONVERTER_CONTEXT_PREFIXES } from '../../src/runtime/providers/scripted-input.js';

export interface MockToolCall {
  name: string;
  /** An object (serialized for the wire) or the exact JSON string to send. */
  arguments?: Record<string, unknown> | string;
  /** Defaults to `call_<n>`, unique per server. */
  callId?: string;
}

/** A URL citation attached to the reply text (Responses and Chat Completions). */
export interface MockAnnotation {
  url: string;
  title: string;
  start_index: number;
  end_index: number;
}

/**
 * An HTTP error reply in the exact shape OpenAI sends (agents-sdk.md §4.5):
 * `401` invalid_api_key, `403` permission, `429` rate limit (with `retry-after`),
 * `'insufficient_quota'` (a 429 that retrying cannot fix), `500` server error,
 * or any status with a body of your own (Gemini sends a JSON array).
 */
export type MockHttpError =
  | 401
  | 403
  | 429
  | 500
  | 503
  | 'insufficient_quota'
  | { status: number; body: unknown; headers?: Record<string, string> };

export interface MockReply {
  /**
   * Which request this reply answers: a case-insensitive substring of the last
   * user message, a RegExp tested against it, or a predicate on the request.
   * Without `when` the reply answers the next request, whatever it says.
   */
  when?: string | RegExp | ((request: RecordedRequest) => boolean);
  /** The assistant text, streamed in `chunkSize` pieces (or exactly `chunks`). */
  text?: string;
  chunks?: string[];
  toolCalls?: MockToolCall[];
  /** Responses only: a reasoning item with this summary text, before the message. */
  reasoning?: string;
  annotations?: MockAnnotation[];
  /** Answer with an HTTP error instead of a stream. */
  error?: MockHttpError;
  /** Stream the text, then fail mid-stream with this error event. */
  streamError?: { code?: string; message: string };
  /** Overrides the server's delay between SSE frames for this reply. */
  delayMs?: number;
  /**
   * Stop writing after this many text deltas until `mock.release()` is called:
   * lets a test observe the first deltas while the response is still open.
   */
  holdAfterDeltas?: number;
}

export interface MockScript {
  replies?: MockReply[];
  /** Milliseconds between SSE frames, so tests can watch text arrive in pieces. */
  delayMs?: number;
  /** Characters per text delta (default 5). */
  chunkSize?: number;
}

export type MockApi = 'responses' | 'chat_completions' | 'models';

export interface RecordedRequest {
  method: string;
  /** Full path including any prefix, e.g. `/v1beta/openai/chat/completions`. */
  path: string;
  api: MockApi | 'unknown';
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (`undefined` for GET). */
  body: any;
  /** The text of the last message the user typed (converter context messages skipped), `''` if none. */
  userText: string;
}

/**
 * Text of the last message the user typed in a Responses `input` or a Chat
 * Completions `messages` list: the user-role messages a thread-item converter
 * adds (widgets, hidden context, tasks, quotes, @-mention context) are
 * skipped, as the scripted model skips them.
 */
export function lastUserText(body: any): string {
  const list: any[] | undefined = Array.isArray(body?.input)
    ? body.input
    : typeof body?.input === 'string'
      ? [{ role: 'user', content: body.input }]
      : body?.messages;
  if (!Array.isArray(list)) return '';
  for (let index = list.length - 1; index >= 0; index--) {
    const item = list[index];
    if (item?.role !== 'user') continue;
    const text = contentText(item.content);
    if (!CONVERTER_CONTEXT_PREFIXES.some((prefix) => text.trimStart().startsWith(prefix))) return text;
  }
  return '';
}

/** The output of the most recent tool call if the request ends with one (the follow-up turn). */
export function trailingToolOutput(body: any): string | undefined {
  const list: any[] | undefined = Array.isArray(body?.input) ? body.input : body?.messages;
  const last = Array.isArray(list) ? list[list.length - 1] : undefined;
  if (last?.type === 'function_call_output') return typeof last.output === 'string' ? last.output : JSON.stringify(last.output);
  if (last?.role === 'tool') return contentText(last.content);
  return undefined;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: any) => (typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : ''))
    .join('');
}

export function replyMatches(reply: MockReply, request: RecordedRequest): boolean {
  const { when } = reply;
  if (when === undefined) return true;
  if (typeof when === 'string') return request.userText.toLowerCase().includes(when.toLowerCase());
  if (when instanceof RegExp) return when.test(request.userText);
  return when(request);
}

/** What the server says when no scripted reply matches: the user's words back, or the tool's output. */
export function echoReply(request: RecordedRequest): MockReply {
  const toolOutput = trailingToolOutput(request.body);
  if (toolOutput !== undefined) return { text: `Tool said: ${toolOutput}` };
  return { text: `You said: ${request.userText}` };
}

/** Splits text into deltas: the reply's own `chunks`, or pieces of `size` characters. */
export function textChunks(reply: MockReply, size: number): string[] {
  if (reply.chunks) return reply.chunks;
  const text = reply.text ?? '';
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += size) pieces.push(text.slice(index, index + size));
  return pieces;
}

export function replyText(reply: MockReply): string {
  return reply.chunks ? reply.chunks.join('') : (reply.text ?? '');
}

export function toolArguments(call: MockToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
}

/** Splits a tool call's argument JSON into a few deltas, as the real APIs do. */
export function argumentChunks(json: string): string[] {
  if (json.length <= 4) return [json];
  const third = Math.ceil(json.length / 3);
  return [json.slice(0, third), json.slice(third, 2 * third), json.slice(2 * third)].filter((piece) => piece !== '');
}
