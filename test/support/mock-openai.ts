/**
 * A local OpenAI-compatible server for tests: a real node:http server on
 * 127.0.0.1 speaking Responses SSE (`POST …/responses`) and Chat Completions
 * SSE (`POST …/chat/completions`), routed on the path suffix so `/v1/…`,
 * Gemini's `/v1beta/openai/…` and any other prefix work. It records every
 * request, answers from a script (see mock-openai-script.ts) and echoes the
 * user when the script has nothing that matches.
 *
 *   const mock = await startMockOpenAI({ script: { replies: [{ when: 'weather', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }] } });
 *   const client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.baseURL });
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildCompletion } from './mock-openai-chat.js';
import { buildResponse, type ReplyIds } from './mock-openai-responses.js';
import {
  echoReply,
  lastUserText,
  replyMatches,
  type MockApi,
  type MockHttpError,
  type MockReply,
  type MockScript,
  type RecordedRequest,
} from './mock-openai-script.js';

export * from './mock-openai-script.js';

export interface MockOpenAI {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `<url>/v1`, the OpenAI-style base URL. */
  baseURL: string;
  /** `<url>/v1beta/openai/`, Gemini's OpenAI-compatible base URL. */
  geminiBaseURL: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Replaces the script (and its queue of unused replies). */
  setScript(script: MockScript | MockReply[]): void;
  /** Appends replies to the queue. */
  enqueue(...replies: MockReply[]): void;
  /** Replies not consumed yet. */
  pendingReplies(): MockReply[];
  /**
   * SSE responses started but not finished yet. With a `delayMs`, a client that
   * sees its first delta while this is still 1 proves text arrives while the
   * server is still writing (streaming, not buffering), without timing anything.
   */
  openStreams(): number;
  /** Lets streams held by a reply's `holdAfterDeltas` continue. */
  release(): void;
  close(): Promise<void>;
}

export interface MockOpenAIOptions {
  script?: MockScript | MockReply[];
  /** Model names `GET …/models` lists (default `['mock-model']`). */
  models?: string[];
}

export async function startMockOpenAI(options: MockOpenAIOptions = {}): Promise<MockOpenAI> {
  let settings: Required<Omit<MockScript, 'replies'>> = { delayMs: 0, chunkSize: 5 };
  let queue: MockReply[] = [];
  const requests: RecordedRequest[] = [];
  let counter = 0;
  let open = 0;
  let releaseHeld: () => void = () => {};
  let held = new Promise<void>((resolve) => (releaseHeld = resolve));
  const release = () => {
    releaseHeld();
    held = new Promise<void>((resolve) => (releaseHeld = resolve));
  };
  const nextId = (prefix: string) => `${prefix}_mock${++counter}`;

  const setScript = (script: MockScript | MockReply[]) => {
    const normalized: MockScript = Array.isArray(script) ? { replies: script } : script;
    settings = { delayMs: normalized.delayMs ?? 0, chunkSize: normalized.chunkSize ?? 5 };
    queue = [...(normalized.replies ?? [])];
  };
  if (options.script) setScript(options.script);

  const takeReply = (request: RecordedRequest): MockReply => {
    const index = queue.findIndex((reply) => replyMatches(reply, request));
    if (index === -1) return echoReply(request);
    return queue.splice(index, 1)[0];
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const raw = await readBody(req);
    let body: any;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        return sendJson(res, 400, errorBody('Could not parse the JSON body of your request.', 'invalid_request_error', null));
      }
    }
    const api = apiOf(req.method ?? 'GET', path);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      api,
      headers: { ...req.headers },
      body,
      userText: lastUserText(body),
    };
    requests.push(request);

    if (api === 'models') {
      const data = (options.models ?? ['mock-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'mock' }));
      return sendJson(res, 200, { object: 'list', data });
    }
    if (api === 'unknown') {
      return sendJson(res, 404, errorBody(`Unknown path ${req.method} ${path}`, 'invalid_request_error', 'unknown_url'));
    }

    const reply = takeReply(request);
    if (reply.error !== undefined) return sendError(res, reply.error, request);

    const ids: ReplyIds = { responseId: nextId(api === 'responses' ? 'resp' : 'chatcmpl'), next: nextId };
    const delayMs = reply.delayMs ?? settings.delayMs;
    if (api === 'responses') {
      const built = buildResponse(reply, body, ids, settings.chunkSize);
      if (!body?.stream) return sendJson(res, 200, built.response);
      const frames = built.events.map((event, sequence_number) => {
        const numbered = { ...event, sequence_number };
        return `event: ${String(event.type)}\ndata: ${JSON.stringify(numbered)}\n\n`;
      });
      const isDelta = built.events.map((event) => event.type === 'response.output_text.delta');
      return streamTracked(res, frames, delayMs, holdIndex(isDelta, reply.holdAfterDeltas));
    }
    const built = buildCompletion(reply, body, ids, settings.chunkSize);
    if (!body?.stream) return sendJson(res, 200, built.completion);
    const frames = built.chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`);
    if (!reply.streamError) frames.push('data: [DONE]\n\n');
    const isDelta = built.chunks.map((chunk: any) => Boolean(chunk.choices?.[0]?.delta?.content));
    return streamTracked(res, frames, delayMs, holdIndex(isDelta, reply.holdAfterDeltas));
  };

  const streamTracked = async (res: ServerResponse, frames: string[], delayMs: number, holdAfter: number) => {
    open++;
    try {
      await sendStream(res, frames, delayMs, holdAfter, () => held);
    } finally {
      open--;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(`mock server failure: ${String(error)}`, 'server_error', null));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    geminiBaseURL: `${url}/v1beta/openai/`,
    requests,
    setScript,
    enqueue: (...replies) => void queue.push(...replies),
    pendingReplies: () => [...queue],
    openStreams: () => open,
    release,
    close: () =>
      new Promise<void>((resolve) => {
        release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function apiOf(method: string, path: string): MockApi | 'unknown' {
  const trimmed = path.replace(/\/+$/, '');
  if (method === 'POST' && trimmed.endsWith('/responses')) return 'responses';
  if (method === 'POST' && trimmed.endsWith('/chat/completions')) return 'chat_completions';
  if (method === 'GET' && trimmed.endsWith('/models')) return 'models';
  return 'unknown';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

let requestCounter = 0;

function baseHeaders(): Record<string, string> {
  return { 'x-request-id': `req_mock${++requestCounter}` };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { ...baseHeaders(), 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Index of the frame after which a held stream waits (-1: never holds). */
function holdIndex(isDelta: boolean[], afterDeltas: number | undefined): number {
  if (afterDeltas === undefined) return -1;
  let seen = 0;
  for (const [index, delta] of isDelta.entries()) {
    if (delta && ++seen === afterDeltas) return index;
  }
  return -1;
}

async function sendStream(res: ServerResponse, frames: string[], delayMs: number, holdAfter: number, held: () => Promise<void>) {
  res.writeHead(200, { ...baseHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  for (const [index, frame] of frames.entries()) {
    if (res.destroyed) return;
    if (index > 0 && delayMs > 0) await sleep(delayMs);
    res.write(frame);
    if (index === holdAfter) await Promise.race([held(), closed(res)]);
  }
  res.end();
}

function closed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => res.once('close', () => resolve()));
}

function errorBody(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

/**
 * The exact error bodies OpenAI sends. The 401 message quotes the key the
 * client presented, as the real API does with part of it: tests use that to
 * prove the key never travels further than the provider's own error.
 * `x-should-retry: false` keeps the openai client from retrying, so a 429 or
 * 500 test fails fast instead of backing off.
 */
function sendError(res: ServerResponse, error: MockHttpError, request: RecordedRequest) {
  const noRetry = { 'x-should-retry': 'false' };
  if (typeof error === 'object') return sendJson(res, error.status, error.body, { ...noRetry, ...error.headers });
  const authorization = String(request.headers.authorization ?? '');
  const presentedKey = authorization.replace(/^Bearer\s+/i, '');
  switch (error) {
    case 401:
      return sendJson(
        res,
        401,
        errorBody(
          `Incorrect API key provided: ${presentedKey}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          'invalid_request_error',
          'invalid_api_key',
        ),
        noRetry,
      );
    case 403:
      return sendJson(res, 403, errorBody('You are not allowed to sample from this model', 'invalid_request_error', 'model_not_found'), noRetry);
    case 429:
      return sendJson(
        res,
        429,
        errorBody(
          'Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.',
          'requests',
          'rate_limit_exceeded',
        ),
        { ...noRetry, 'retry-after': '20', 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0' },
      );
    case 'insufficient_quota':
      return sendJson(
        res,
        429,
        errorBody(
          'You exceeded your current quota, please check your plan and billing details.',
          'insufficient_quota',
          'insufficient_quota',
        ),
        noRetry,
      );
    case 500:
      return sendJson(res, 500, errorBody('The server had an error while processing your request. Sorry about that!', 'server_error', null), noRetry);
    case 503:
      return sendJson(res, 503, errorBody('The engine is currently overloaded, please try again later.', 'server_error', null), noRetry);
  }
}
