/**
 * What the plugin reports about each protocol request, for the `dev` log and
 * the `replay` recorder. Emitting is skipped entirely when nobody listens, so
 * the observer costs nothing in production.
 */
import { EventEmitter } from 'node:events';
import type { ThreadStreamEvent } from '../runtime/protocol/events.js';

export interface ObservedRequest {
  requestId: string;
  type: string | undefined;
  threadId?: string;
  /** The parsed JSON body (after authentication succeeded). */
  body: unknown;
}

export interface ObservedEvent {
  requestId: string;
  event: ThreadStreamEvent;
  /** Milliseconds since the request started. */
  atMs: number;
}

export interface ObservedResponse {
  requestId: string;
  type: string | undefined;
  threadId?: string;
  status: number;
  streaming: boolean;
  /** Milliseconds from the request start to the first streamed event. */
  firstEventMs?: number;
  eventCount: number;
  durationMs: number;
  error?: { code: string; message: string };
}

export interface ChatKitObserverEvents {
  request: [ObservedRequest];
  event: [ObservedEvent];
  response: [ObservedResponse];
}

export class ChatKitObserver extends EventEmitter<ChatKitObserverEvents> {}

/** `type` and `thread_id` of a body, read only when someone is listening. */
export function describeBody(body: Uint8Array | string | undefined): { type: string | undefined; threadId?: string; parsed: unknown } {
  if (body === undefined || body.length === 0) return { type: undefined, parsed: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
  } catch {
    return { type: undefined, parsed: undefined };
  }
  const envelope = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as {
    type?: unknown;
    params?: { thread_id?: unknown };
  };
  const type = typeof envelope.type === 'string' ? envelope.type : undefined;
  const threadId = typeof envelope.params?.thread_id === 'string' ? envelope.params.thread_id : undefined;
  return threadId === undefined ? { type, parsed } : { type, threadId, parsed };
}
