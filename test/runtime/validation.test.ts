/**
 * Request parsing: what the reference accepts and rejects, with errors that
 * name the field and the problem.
 */
import { describe, expect, test } from 'vitest';
import {
  ChatKitRequestError,
  InvalidStateError,
  NotFoundError,
  REQUEST_TYPES,
  StreamingResult,
  STREAMING_REQUEST_TYPES,
  parseRequest,
} from '../../src/runtime/index.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { userInput } from '../support/chatkit.js';

function rejection(body: unknown): string {
  try {
    parseRequest(typeof body === 'string' ? body : JSON.stringify(body));
  } catch (error) {
    expect(error).toBeInstanceOf(ChatKitRequestError);
    return (error as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('rejections name the field and the problem', () => {
  test.each([
    ['bad JSON', '{"type":', /^body: invalid JSON/],
    ['not an object', '[1]', /^body: expected a JSON object, received array/],
    ['missing type', { params: {} }, /^type: required; expected one of threads\.create/],
    ['unknown type', { type: 'threads.explode', params: {} }, /^type: unknown request type "threads\.explode"/],
    ['missing params', { type: 'threads.list' }, /^params: required/],
    ['content not an array', { type: 'threads.create', params: { input: { content: 'hi', attachments: [], inference_options: {} } } }, /^params\.input\.content: expected array, received string/],
    ['content missing', { type: 'threads.create', params: { input: { attachments: [], inference_options: {} } } }, /^params\.input\.content: required; expected array/],
    ['attachments missing', { type: 'threads.create', params: { input: { content: [], inference_options: {} } } }, /^params\.input\.attachments: required/],
    ['inference_options missing', { type: 'threads.create', params: { input: { content: [], attachments: [] } } }, /^params\.input\.inference_options: required/],
    ['tag without data', { type: 'threads.create', params: { input: userInput('x', { content: [{ type: 'input_tag', id: 't', text: 'T' }] }) } }, /^params\.input\.content\.0\.data: required/],
    ['unknown content type', { type: 'threads.create', params: { input: userInput('x', { content: [{ type: 'input_video' }] }) } }, /^params\.input\.content\.0\.type: unknown variant "input_video"/],
    ['title not a string', { type: 'threads.update', params: { thread_id: 't', title: 5 } }, /^params\.title: expected string, received number/],
    ['bad order', { type: 'threads.list', params: { order: 'sideways' } }, /^params\.order: expected one of "asc", "desc", received string "sideways"/],
    ['fractional limit', { type: 'items.list', params: { thread_id: 't', limit: 2.5 } }, /^params\.limit: /],
    ['bad feedback kind', { type: 'items.feedback', params: { thread_id: 't', item_ids: [], kind: 'meh' } }, /^params\.kind: expected one of "positive", "negative"/],
  ])('%s', (_name, body, pattern) => {
    expect(rejection(body)).toMatch(pattern);
  });

  test('not UTF-8', () => {
    expect(() => parseRequest(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow(/body: not valid UTF-8/);
  });
});

describe('what the reference accepts', () => {
  test('extra fields are ignored at every level', () => {
    const request = parseRequest(
      JSON.stringify({ type: 'threads.create', extra: 1, params: { input: { ...userInput('x'), more: true }, also: 2 }, metadata: { foo: 'bar' } }),
    );
    expect(request).toEqual({ type: 'threads.create', params: { input: userInput('x') }, metadata: { foo: 'bar' } });
  });

  test('defaults: order desc, metadata {}, structured answers, action payload', () => {
    expect(parseRequest('{"type":"threads.list","params":{}}')).toEqual({ type: 'threads.list', params: { order: 'desc' }, metadata: {} });
    expect(parseRequest(JSON.stringify({ type: 'threads.add_structured_input', params: { thread_id: 't', item_id: 'i', input: { answers: { q: {} } } } })).params).toEqual({
      thread_id: 't',
      item_id: 'i',
      input: { status: 'answered', answers: { q: { values: [], skipped: false } } },
    });
    const action = parseRequest(JSON.stringify({ type: 'threads.custom_action', params: { thread_id: 't', action: { type: 'go', handler: 'server', loadingBehavior: 'auto' } } }));
    expect(action.params).toEqual({ thread_id: 't', action: { type: 'go' } });
  });

  test('a tag defaults to interactive false and keeps its data untouched', () => {
    const request = parseRequest(JSON.stringify({ type: 'threads.create', params: { input: userInput('x', { content: [{ type: 'input_tag', id: 'a', text: 'A', data: { deep: { n: null } } }] }) } }));
    expect(request.params).toMatchObject({ input: { content: [{ type: 'input_tag', id: 'a', text: 'A', data: { deep: { n: null } }, interactive: false }] } });
  });

  test('bytes and strings parse alike', () => {
    const body = JSON.stringify({ type: 'threads.get_by_id', params: { thread_id: 'héllo 👋' } });
    expect(parseRequest(new TextEncoder().encode(body))).toEqual(parseRequest(body));
  });
});

describe('streaming is decided by type alone', () => {
  const server = new ScriptedServer();
  const minimal: Record<string, unknown> = {
    'threads.create': { input: userInput('x') },
    'threads.add_user_message': { thread_id: 'thr_missing', input: userInput('x') },
    'threads.add_client_tool_output': { thread_id: 'thr_missing', result: 1 },
    'threads.add_structured_input': { thread_id: 'thr_missing', item_id: 'i', input: {} },
    'threads.retry_after_item': { thread_id: 'thr_missing', item_id: 'i' },
    'threads.custom_action': { thread_id: 'thr_missing', action: { type: 'a' } },
  };
  test.each(REQUEST_TYPES.map((type) => [type]))('%s', async (type) => {
    const streaming = (STREAMING_REQUEST_TYPES as readonly string[]).includes(type);
    const params = minimal[type] ?? {};
    if (streaming) {
      const result = await server.process(JSON.stringify({ type, params }), {});
      expect(result).toBeInstanceOf(StreamingResult);
    } else {
      // Either a JSON body or a failure before responding, never a stream.
      const outcome = await server.process(JSON.stringify({ type, params }), {}).catch((error: unknown) => error);
      expect(outcome).not.toBeInstanceOf(StreamingResult);
    }
  });
});

describe('failures before the first event', () => {
  const server = new ScriptedServer();

  test('an unknown thread becomes one non-retryable error event naming the thread', async () => {
    const result = (await server.process(JSON.stringify({ type: 'threads.add_user_message', params: { thread_id: 'thr_missing', input: userInput('x') } }), {})) as StreamingResult;
    const events = [];
    for await (const event of result.events()) events.push(event);
    expect(events).toEqual([{ type: 'error', code: 'stream.error', message: 'Thread thr_missing not found', allow_retry: false }]);
  });

  test('prepare() turns it into an exception instead, before any byte', async () => {
    const missing = (await server.process(JSON.stringify({ type: 'threads.custom_action', params: { thread_id: 'thr_missing', action: { type: 'a' } } }), {})) as StreamingResult;
    await expect(missing.prepare()).rejects.toBeInstanceOf(NotFoundError);

    const created = await server.process(JSON.stringify({ type: 'threads.create', params: { input: userInput('x') } }), {});
    const events = [];
    for await (const event of (created as StreamingResult).events()) events.push(event);
    const threadId = (events[0] as { thread: { id: string } }).thread.id;
    const noPending = (await server.process(JSON.stringify({ type: 'threads.add_client_tool_output', params: { thread_id: threadId, result: 1 } }), {})) as StreamingResult;
    await expect(noPending.prepare()).rejects.toBeInstanceOf(InvalidStateError);
  });

  test('after prepare() the buffered first event is streamed first', async () => {
    const result = (await server.process(JSON.stringify({ type: 'threads.create', params: { input: userInput('x') } }), {})) as StreamingResult;
    await result.prepare();
    const types = [];
    for await (const event of result.events()) types.push(event.type);
    expect(types).toEqual(['thread.created', 'thread.item.done', 'stream_options']);
  });
});
