/**
 * Records live traffic into sessions, one per thread: the ChatKit requests and
 * their streamed events (from the chatkit plugin's observer) and the model HTTP
 * exchanges (from a recording `fetch` handed to `buildApp`). A model call is
 * attributed to the most recently started ChatKit request still in flight,
 * which is exact for one conversation at a time and a best effort when a user
 * drives several threads concurrently.
 *
 * Requests without a thread (`attachments.create` before a thread exists) are
 * held and join the next thread created; `threads.list` is not recorded (its
 * answer depends on everything else in the store, so it cannot be replayed).
 */
import type { EventEmitter } from 'node:events';
import type { ObservedEvent, ObservedRequest, ObservedResponse } from '../../http/observer.js';
import type { CassetteLine, EventLine, ModelLine, RequestLine, ResponseLine } from './format.js';
import { createRecordingFetch } from './recording-fetch.js';

// Only these fields are read: the project's app may run another installed version of the plugin.
type SeenRequest = Pick<ObservedRequest, 'requestId' | 'type' | 'threadId' | 'body'>;
type SeenEvent = Pick<ObservedEvent, 'requestId' | 'atMs'> & { event: unknown };
type SeenResponse = Pick<ObservedResponse, 'requestId' | 'status' | 'streaming' | 'threadId'>;

const UNRECORDED_TYPES = new Set(['threads.list']);

interface LiveRequest {
  session: RecordedSession | undefined;
  pending: PendingRequest;
}

interface PendingRequest {
  type: string;
  body: unknown;
  events: { t: number; event: unknown }[];
  response?: { status: number; streaming: boolean; body?: unknown };
  models: ModelLine[];
}

export class RecordedSession {
  readonly requests: PendingRequest[] = [];
  constructor(readonly threadId: string, readonly startedAt: Date) {}

  /** Cassette lines (unredacted) in order: each request, its model calls, its events, its response. */
  lines(): CassetteLine[] {
    const lines: CassetteLine[] = [];
    let call = 0;
    this.requests.forEach((request, index) => {
      lines.push({ kind: 'request', index, type: request.type, body: request.body } satisfies RequestLine);
      for (const model of request.models) lines.push({ ...model, call: call++, request: index });
      for (const { t, event } of request.events) lines.push({ kind: 'event', request: index, t, event } satisfies EventLine);
      if (request.response) lines.push({ kind: 'response', request: index, ...request.response } satisfies ResponseLine);
    });
    return lines;
  }
}

export interface SessionRecorderOptions {
  fetch?: typeof globalThis.fetch;
  /** Called when a request of a session has finished (write the cassette then). */
  onSessionUpdated?: (session: RecordedSession) => void;
  /** Called for a request on a thread created before recording started (it cannot be recorded). */
  onUnknownThread?: (threadId: string) => void;
}

export class SessionRecorder {
  readonly sessions = new Map<string, RecordedSession>();
  /** Give this to `buildApp({ fetch })`. */
  readonly fetch: typeof globalThis.fetch;
  private readonly live = new Map<string, LiveRequest>();
  // Model streams can end after their ChatKit response did (a cancelled request), so
  // finished requests stay reachable for late exchanges; bounded to the recent ones.
  private readonly recent = new Map<string, PendingRequest>();
  private readonly sessionOf = new Map<PendingRequest, RecordedSession>();
  private readonly inFlight: string[] = [];
  private heldForNextThread: PendingRequest[] = [];

  constructor(private readonly options: SessionRecorderOptions = {}) {
    this.fetch = createRecordingFetch({
      fetch: options.fetch,
      tag: () => this.inFlight.at(-1),
      onExchange: (line, requestId) => this.onModelExchange(line, requestId as string | undefined),
    });
  }

  attach(observer: EventEmitter): () => void {
    const onRequest = (r: SeenRequest) => this.onRequest(r);
    const onEvent = (e: SeenEvent) => this.onEvent(e);
    const onResponse = (r: SeenResponse) => this.onResponse(r);
    observer.on('request', onRequest);
    observer.on('event', onEvent);
    observer.on('response', onResponse);
    return () => {
      observer.off('request', onRequest);
      observer.off('event', onEvent);
      observer.off('response', onResponse);
    };
  }

  private onRequest(observed: SeenRequest): void {
    if (!observed.type || UNRECORDED_TYPES.has(observed.type)) return;
    const pending: PendingRequest = { type: observed.type, body: observed.body, events: [], models: [] };
    const session = observed.threadId ? this.sessions.get(observed.threadId) : undefined;
    if (observed.threadId && !session) {
      // A thread created before recording started: without its beginning it is not replayable.
      this.options.onUnknownThread?.(observed.threadId);
      return;
    }
    this.live.set(observed.requestId, { session, pending });
    this.recent.set(observed.requestId, pending);
    if (this.recent.size > 200) this.recent.delete(this.recent.keys().next().value!);
    this.inFlight.push(observed.requestId);
    if (session) session.requests.push(pending);
  }

  private onEvent(observed: SeenEvent): void {
    const live = this.live.get(observed.requestId);
    if (!live) return;
    live.pending.events.push({ t: Math.round(observed.atMs), event: observed.event });
    const event = observed.event as { type?: string; thread?: { id?: string } };
    if (!live.session && event.type === 'thread.created' && event.thread?.id) {
      const session = new RecordedSession(event.thread.id, new Date());
      session.requests.push(...this.heldForNextThread, live.pending);
      this.heldForNextThread = [];
      this.sessions.set(session.threadId, session);
      live.session = session;
    }
  }

  private onResponse(observed: SeenResponse): void {
    const live = this.live.get(observed.requestId);
    if (!live) return;
    this.live.delete(observed.requestId);
    this.inFlight.splice(this.inFlight.indexOf(observed.requestId), 1);
    live.pending.response = { status: observed.status, streaming: observed.streaming };
    if (live.session) {
      this.sessionOf.set(live.pending, live.session);
      this.options.onSessionUpdated?.(live.session);
    }
    // Only an upload belongs to the thread that follows it; any other thread-less request
    // (a threads.create that failed before creating its thread) is not part of a session.
    else if (observed.status < 400 && live.pending.type === 'attachments.create') this.heldForNextThread.push(live.pending);
  }

  /**
   * The JSON body of a non-streaming response (the observer reports the status
   * before the body is sent, so it arrives separately, from the HTTP layer).
   */
  noteResponseBody(requestId: string, body: unknown): void {
    const pending = this.recent.get(requestId);
    if (!pending?.response || pending.response.streaming) return;
    pending.response.body = body;
    const session = this.sessionOf.get(pending);
    if (session) this.options.onSessionUpdated?.(session);
  }

  private onModelExchange(line: ModelLine, requestId: string | undefined): void {
    const pending = requestId ? this.recent.get(requestId) : undefined;
    pending?.models.push(line);
  }
}
