/**
 * Talks to the project's ChatKit endpoint exactly as a frontend does: one POST
 * per operation through an authenticating `fetch`, SSE for streaming types,
 * uploads by either of ChatKit's strategies (direct: multipart to the upload
 * route; two-phase: `attachments.create`, then the bytes to where it says).
 * Every call is recorded in the traffic log for the inspector.
 */
import { readSse } from './sse';
import type { Traffic, TrafficEntry } from './traffic';
import type { Attachment, StreamEvent } from './protocol';

export type AuthedFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Where `attachments.create` says the bytes go. */
interface UploadDescriptor {
  url: string;
  method: string;
  headers?: Record<string, string>;
}

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

  /**
   * ChatKit's `two_phase` upload strategy: `attachments.create` answers the
   * attachment and where its bytes go (`upload_descriptor`), then they go
   * there. Our own origin (the upload route) gets the page's credentials;
   * another one (a presigned bucket URL) gets only the descriptor's headers.
   */
  async uploadTwoPhase(file: File): Promise<Attachment> {
    const created = await this.request<Attachment & { upload_descriptor?: UploadDescriptor | null }>('attachments.create', {
      name: file.name,
      size: file.size,
      mime_type: file.type || 'application/octet-stream',
    });
    const { upload_descriptor: descriptor, ...attachment } = created;
    if (!descriptor) throw new ApiError(0, 'attachments.create answered no upload_descriptor: this attachment store takes direct uploads only');
    const target = new URL(descriptor.url, location.href);
    const send: AuthedFetch = target.origin === location.origin ? this.fetchWithAuth : (input, init) => fetch(input, init);
    const entry = this.traffic.start(descriptor.method, target.href, 'upload (two-phase)', { file: file.name, size: file.size, type: file.type });
    let response: Response;
    try {
      response = await send(target.href, { method: descriptor.method, headers: descriptor.headers ?? {}, body: file });
    } catch (error) {
      this.traffic.finish(entry, { outcome: `network error: ${(error as Error).message}` });
      throw new ApiError(0, `The upload to ${target.origin} did not get through (${(error as Error).message}). A bucket on another origin must allow this page's origin (${location.origin}) and ${descriptor.method} in its CORS rules.`);
    }
    if (!response.ok) return this.fail(entry, response);
    this.traffic.finish(entry, { status: response.status });
    return attachment;
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
