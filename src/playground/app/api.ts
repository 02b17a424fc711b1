/**
 * Talks to the project's ChatKit endpoint exactly as a frontend does: one POST
 * per operation through an authenticating `fetch`, SSE for streaming types,
 * direct uploads as multipart to the upload route. Every call is recorded in
 * the traffic log for the inspector.
 */
import { readSse } from './sse';
import type { Traffic, TrafficEntry } from './traffic';
import type { Attachment, StreamEvent } from './protocol';

export type AuthedFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** A failed call: the HTTP status and the server's message, for the page to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function errorFrom(response: Response): Promise<{ error: ApiError; body: unknown }> {
  const text = await response.text();
  let body: unknown = text;
  let message = text || response.statusText;
  try {
    body = JSON.parse(text);
    const described = (body as { error?: { message?: string } }).error?.message;
    if (described) message = described;
  } catch {
    // Not JSON: show the text as it is.
  }
  return { error: new ApiError(response.status, `${response.status}: ${message}`), body };
}

export class ChatKitApi {
  constructor(
    private readonly apiUrl: string,
    private readonly uploadUrl: string | null,
    private readonly fetchWithAuth: AuthedFetch,
    private readonly traffic: Traffic,
  ) {}

  /** Records a non-2xx answer with its body and throws it as an `ApiError`. */
  private async fail(entry: TrafficEntry, response: Response): Promise<never> {
    const failure = await errorFrom(response);
    this.traffic.finish(entry, { status: response.status, responseBody: failure.body });
    throw failure.error;
  }

  /** A non-streaming request; answers the parsed JSON body. */
  async request<T>(type: string, params: Record<string, unknown>): Promise<T> {
    const body = { type, params };
    const entry = this.traffic.start('POST', this.apiUrl, type, body);
    let response: Response;
    try {
      response = await this.fetchWithAuth(this.apiUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (error) {
      this.traffic.finish(entry, { outcome: `network error: ${(error as Error).message}` });
      throw error;
    }
    if (!response.ok) return this.fail(entry, response);
    const json = (await response.json()) as T;
    this.traffic.finish(entry, { status: response.status, responseBody: json });
    return json;
  }

  /** A streaming request: `onEvent` sees each event as it arrives. Aborting `signal` is ChatKit's cancel. */
  async stream(type: string, params: Record<string, unknown>, onEvent: (event: StreamEvent) => void, signal: AbortSignal): Promise<'done' | 'aborted'> {
    const body = { type, params };
    const entry = this.traffic.start('POST', this.apiUrl, type, body);
    try {
      const response = await this.fetchWithAuth(this.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(body),
        signal,
      });
      if (!response.ok || !response.body) return await this.fail(entry, response);
      this.traffic.status(entry, response.status);
      await readSse(response.body, (raw) => {
        this.traffic.event(entry, raw);
        let event: StreamEvent;
        try {
          event = JSON.parse(raw) as StreamEvent;
        } catch {
          return;
        }
        onEvent(event);
      });
      this.traffic.finish(entry, {});
      return 'done';
    } catch (error) {
      if (signal.aborted) {
        this.traffic.finish(entry, { outcome: 'aborted (cancelled)' });
        return 'aborted';
      }
      if (!(error instanceof ApiError)) this.traffic.finish(entry, { outcome: `network error: ${(error as Error).message}` });
      throw error;
    }
  }

  /** ChatKit's `direct` upload strategy: multipart `file` to the upload route, answering the Attachment. */
  async upload(file: File): Promise<Attachment> {
    if (!this.uploadUrl) throw new ApiError(0, 'This backend has no upload route (its attachment store is not a FileAttachmentStore)');
    const form = new FormData();
    form.append('file', file, file.name);
    const entry = this.traffic.start('POST', this.uploadUrl, 'upload (direct)', { file: file.name, size: file.size, type: file.type });
    const response = await this.fetchWithAuth(this.uploadUrl, { method: 'POST', body: form });
    if (!response.ok) return this.fail(entry, response);
    const attachment = (await response.json()) as Attachment;
    this.traffic.finish(entry, { status: response.status, responseBody: attachment });
    return attachment;
  }
}
