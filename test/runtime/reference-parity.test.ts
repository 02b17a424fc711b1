/**
 * Behaviours checked against chatkit-python's source where we used to
 * differ: nulls inside free-form values, pydantic's lax scalars, explicit
 * `"metadata": null`, lone surrogate escapes, the JSON nesting limit,
 * `input.transcribe`'s base64 and media type, and a `workflow.task.updated`
 * past the end of the workflow.
 */
import { describe, expect, test } from 'vitest';
import {
  ChatKitRequestError,
  MAX_NESTING_DEPTH,
  MemoryStore,
  now,
  parseRequest,
  type AudioInput,
  type ThreadItem,
  type TranscriptionResult,
} from '../../src/runtime/index.js';
import { call, callRaw, parseFrames, stream, streamText, userInput } from '../support/chatkit.js';
import { ScriptedServer } from '../support/scripted-server.js';

type Ctx = Record<string, never>;
const ctx: Ctx = {};

function rejection(body: string): string {
  try {
    parseRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ChatKitRequestError);
    return (error as Error).message;
  }
  throw new Error(`expected ${body.slice(0, 80)} to be rejected`);
}

async function newThread(server: ScriptedServer<Ctx>, text = 'hi') {
  const events = await stream(server, { type: 'threads.create', params: { input: userInput(text) } }, ctx);
  const created = events.find((event) => event.type === 'thread.created');
  if (created?.type !== 'thread.created') throw new Error('no thread.created');
  return { threadId: created.thread.id, events };
}

describe('free-form values keep their nulls; typed fields omit them', () => {
  test('input tag data, client tool arguments and output, entity source data, client_effect data, action payloads', async () => {
    const server = new ScriptedServer<Ctx>();
    server.respondWith = async function* (thread, input) {
      if (input === null) return;
      yield { type: 'client_effect', name: 'fx', data: { a: null, list: [null, { b: null }] } };
      yield {
        type: 'thread.item.done',
        item: {
          id: 'msg_a', thread_id: thread.id, created_at: now(), type: 'assistant_message',
          content: [{ type: 'output_text', text: 't', annotations: [{ type: 'annotation', index: null, source: { type: 'entity', id: 'e', title: 'E', description: null, data: { k: null } } }] }],
        },
      };
      yield {
        type: 'thread.item.done',
        item: { id: 'msg_w', thread_id: thread.id, created_at: now(), type: 'widget', copy_text: null, widget: { type: 'Card', children: [{ type: 'Button', label: 'Go', onClickAction: { type: 'go', payload: { id: null } } }] } as never },
      };
      yield {
        type: 'thread.item.done',
        item: { id: 'tc_1', thread_id: thread.id, created_at: now(), type: 'client_tool_call', status: 'pending', call_id: 'c1', name: 'pick', arguments: { scope: null, nested: { x: null } }, output: null },
      };
    };
    const tag = { type: 'input_tag', id: 't1', text: 'Tag', data: { empty: null, deep: { also: null } }, group: null };
    const text = await streamText(server, { type: 'threads.create', params: { input: userInput('x', { content: [tag] }) } }, ctx);
    const frames = parseFrames(text);
    const done = (id: string) => frames.find((f) => f.type === 'thread.item.done' && f.item.id === id) as { item: Record<string, any> };

    const user = frames.find((f) => f.type === 'thread.item.done' && f.item.type === 'user_message') as { item: Record<string, any> };
    expect(user.item.content[0]).toEqual({ type: 'input_tag', id: 't1', text: 'Tag', data: { empty: null, deep: { also: null } }, interactive: false });
    expect(frames.find((f) => f.type === 'client_effect')).toEqual({ type: 'client_effect', name: 'fx', data: { a: null, list: [null, { b: null }] } });
    expect(done('msg_a').item.content[0].annotations[0]).toEqual({ type: 'annotation', source: { type: 'entity', id: 'e', title: 'E', data: { k: null } } });
    expect(done('msg_w').item).not.toHaveProperty('copy_text');
    expect(done('msg_w').item.widget.children[0].onClickAction).toEqual({ type: 'go', payload: { id: null } });
    // `output: null` is a typed field: omitted. The arguments keep their nulls.
    expect(done('tc_1').item).toEqual(expect.objectContaining({ arguments: { scope: null, nested: { x: null } } }));
    expect(done('tc_1').item).not.toHaveProperty('output');

    // A client tool output with nulls comes back with them from items.list.
    const threadId = (frames[0] as { thread: { id: string } }).thread.id;
    await stream(server, { type: 'threads.add_client_tool_output', params: { thread_id: threadId, result: { picked: null, list: [null] } } }, ctx);
    const items = await call(server, { type: 'items.list', params: { thread_id: threadId, order: 'asc' } }, ctx);
    const call1 = items.data.find((item: ThreadItem) => item.id === 'tc_1');
    expect(call1).toMatchObject({ status: 'completed', arguments: { scope: null, nested: { x: null } }, output: { picked: null, list: [null] } });
  });
});

describe('lax scalars, as pydantic validates JSON', () => {
  test.each([
    ['"2"', 2], ['" +0_2.00 "', 2], ['true', 1], ['false', 0], ['2.0', 2], ['"007"', 7], ['"1_0"', 10],
  ])('limit %s is accepted as %d', (raw, expected) => {
    const request = parseRequest(`{"type":"threads.list","params":{"limit":${raw}}}`);
    expect(request.params).toMatchObject({ limit: expected });
  });

  test.each(['"2.5"', '"abc"', '"1__0"', '"_1"', '"2."', '"+-1"', '2.5', '[]', '{}', '"1e3"', '-1', '"-1"'])('limit %s is a 400 naming params.limit', (raw) => {
    expect(rejection(`{"type":"threads.list","params":{"limit":${raw}}}`)).toMatch(/^params\.limit: /);
  });

  test('booleans: 0/1 and the words pydantic knows, untrimmed', () => {
    const tag = (interactive: string) =>
      parseRequest(`{"type":"threads.create","params":{"input":{"content":[{"type":"input_tag","id":"t","text":"T","data":{},"interactive":${interactive}}],"attachments":[],"inference_options":{}}}}`);
    for (const [raw, expected] of [['1', true], ['0', false], ['"yes"', true], ['"OFF"', false], ['"t"', true], ['"N"', false]] as const) {
      expect((tag(raw).params as { input: { content: { interactive: boolean }[] } }).input.content[0]!.interactive).toBe(expected);
    }
    for (const raw of ['2', '" yes"', '"maybe"', 'null']) expect(() => tag(raw)).toThrow(/params\.input\.content\.0\.interactive: /);
  });

  test('attachments.create size "10" is 10; structured answers skipped "no" is false', () => {
    expect(parseRequest('{"type":"attachments.create","params":{"name":"a","size":"10","mime_type":"text/plain"}}').params).toMatchObject({ size: 10 });
    const request = parseRequest('{"type":"threads.add_structured_input","params":{"thread_id":"t","item_id":"i","input":{"answers":{"q":{"skipped":"no"}}}}}');
    expect(request.params).toMatchObject({ input: { answers: { q: { skipped: false, values: [] } } } });
  });

  test('end to end: items.list with limit "2" pages by 2 (it used to be a 500)', async () => {
    const server = new ScriptedServer<Ctx>();
    const { threadId } = await newThread(server);
    for (const text of ['again', 'and again']) {
      await stream(server, { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput(text) } }, ctx);
    }
    const page = await call(server, { type: 'items.list', params: { thread_id: threadId, limit: '2' } }, ctx);
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);
    const one = await call(server, { type: 'threads.list', params: { limit: '1' } }, ctx);
    expect(one.data).toHaveLength(1);
  });
});

describe('the request envelope', () => {
  test('explicit "metadata": null is refused; absent metadata is {}', () => {
    expect(rejection('{"type":"threads.list","params":{},"metadata":null}')).toBe('metadata: expected object, received null (omit metadata or send {})');
    expect(parseRequest('{"type":"threads.list","params":{}}').metadata).toEqual({});
  });

  test('a lone surrogate escape is refused, in a value or a key; a pair is text', () => {
    expect(rejection('{"type":"threads.update","params":{"thread_id":"t","title":"a\\ud800"}}')).toMatch(/^body: invalid JSON \(a lone surrogate escape \\ud800/);
    expect(rejection('{"type":"threads.list","params":{},"metadata":{"\\udc00":1}}')).toMatch(/lone surrogate escape \\udc00/);
    expect(rejection('{"type":"threads.update","params":{"thread_id":"t","title":"\\ude00\\ud83d"}}')).toMatch(/lone surrogate/);
    expect(parseRequest('{"type":"threads.update","params":{"thread_id":"t","title":"\\ud83d\\ude00"}}').params).toMatchObject({ title: '😀' });
    // An escaped backslash followed by "ud800" is plain text.
    expect(parseRequest('{"type":"threads.update","params":{"thread_id":"t","title":"\\\\ud800"}}').params).toMatchObject({ title: '\\ud800' });
    // As bytes (how the HTTP layer passes bodies) the escape is refused the same way.
    expect(() => parseRequest(Buffer.from('{"type":"threads.list","params":{},"metadata":{"a":"\\ud800"}}'))).toThrow(/lone surrogate escape \\ud800/);
    // A string body holding a raw lone surrogate is refused too.
    expect(rejection(`{"type":"threads.update","params":{"thread_id":"t","title":"${String.fromCharCode(0xd800)}"}}`)).toMatch(/lone UTF-16 surrogate/);
  });

  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  // The envelope object is level 1, `metadata` level 2, so the array adds `depth - 2` levels.
  const withDepth = (depth: number) => `{"type":"threads.list","params":{},"metadata":{"x":${nested(depth - 2)}}}`;

  test(`nesting: ${MAX_NESTING_DEPTH} levels are accepted, one more is a 400 naming the limit`, () => {
    expect(MAX_NESTING_DEPTH).toBe(200);
    expect(parseRequest(withDepth(200)).type).toBe('threads.list');
    expect(rejection(withDepth(201))).toBe(
      'body: nested deeper than 200 levels of arrays and objects, the limit (as in the Python reference); flatten the data or send it as a string',
    );
    // Brackets inside strings do not count.
    expect(parseRequest(`{"type":"threads.list","params":{},"metadata":{"x":"${'['.repeat(5000)}"}}`).type).toBe('threads.list');
  });

  test('5,000 levels in an input tag or a client tool result: refused up front, nothing saved', async () => {
    const store = new MemoryStore<Ctx>();
    const server = new ScriptedServer<Ctx>(store);
    const { threadId } = await newThread(server);
    const deepTag = { type: 'input_tag', id: 't', text: 'T', data: { d: JSON.parse(nested(5000)) } };
    const bodies = [
      { type: 'threads.create', params: { input: userInput('x', { content: [deepTag] }) } },
      { type: 'threads.add_user_message', params: { thread_id: threadId, input: userInput('x', { content: [deepTag] }) } },
      { type: 'threads.add_client_tool_output', params: { thread_id: threadId, result: JSON.parse(nested(5000)) } },
    ];
    for (const body of bodies) {
      // JSON.stringify itself recurses: build the text around a pre-built nested string.
      const text = JSON.stringify(body, (_key, value) => (Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) ? '@@' : value)).replace('"@@"', nested(5000));
      await expect(server.process(text, ctx)).rejects.toThrow(/nested deeper than 200 levels/);
    }
    expect((await store.loadThreads(10, null, 'asc', ctx)).data).toHaveLength(1);
    expect((await store.loadThreadItems(threadId, null, 10, 'asc', ctx)).data.map((item) => item.type)).toEqual(['user_message']);
  });
});

describe('input.transcribe, as the reference decodes it', () => {
  class Transcriber extends ScriptedServer<Ctx> {
    received: AudioInput[] = [];
    override async transcribe(audio: AudioInput): Promise<TranscriptionResult> {
      this.received.push(audio);
      return { text: Buffer.from(audio.data).toString('latin1') };
    }
  }
  const transcribe = (server: Transcriber, audio: string, mime = 'audio/webm') =>
    callRaw(server, { type: 'input.transcribe', params: { audio_base64: audio, mime_type: mime } }, ctx);

  test.each([
    ['aGk=', 'hi'], ['aGVsbG8=', 'hello'], ['aG-k=', 'hi'], ['a G\nk =', 'hi'], ['aGk=trailing', 'hi'], ['', ''], ['aGVs', 'hel'], ['aG==', 'h'],
  ])('%j decodes to %j', async (audio, text) => {
    expect(JSON.parse(await transcribe(new Transcriber(), audio))).toEqual({ text });
  });

  test.each([
    ['aGk', /incorrect padding/], ['a', /number of data characters \(1\) cannot be 1 more than a multiple of 4/], ['aGVsbG8', /incorrect padding/], ['aGk=é', /only ASCII/],
  ])('%j is a 400 (ChatKitRequestError) naming params.audio_base64', async (audio, pattern) => {
    const error = await transcribe(new Transcriber(), audio).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatKitRequestError);
    expect((error as Error).message).toMatch(/^params\.audio_base64: /);
    expect((error as Error).message).toMatch(pattern);
  });

  test('media_type is everything before the first ";", untrimmed', async () => {
    const server = new Transcriber();
    await transcribe(server, 'aGk=', 'audio/webm ; codecs=opus');
    await transcribe(server, 'aGk=', 'audio/ogg');
    await transcribe(server, 'aGk=', ' audio/mp4;a;b');
    expect(server.received.map((audio) => [audio.mime_type, audio.media_type])).toEqual([
      ['audio/webm ; codecs=opus', 'audio/webm '],
      ['audio/ogg', 'audio/ogg'],
      [' audio/mp4;a;b', ' audio/mp4'],
    ]);
  });
});

describe('workflow.task.updated', () => {
  function workflowServer(taskIndex: number) {
    const server = new ScriptedServer<Ctx>();
    server.respondWith = async function* (thread) {
      const workflow = { id: 'wf_1', thread_id: thread.id, created_at: now(), type: 'workflow' as const, workflow: { type: 'custom' as const, tasks: [{ type: 'custom' as const, title: 'one', status_indicator: 'loading' as const }], expanded: false } };
      yield { type: 'thread.item.added', item: workflow };
      yield { type: 'thread.item.updated', item_id: 'wf_1', update: { type: 'workflow.task.updated', task_index: taskIndex, task: { type: 'custom', title: 'updated', status_indicator: 'complete' } } };
      yield { type: 'thread.item.done', item: workflow };
    };
    return server;
  }

  test('past the end of a pending workflow fails the stream (retry allowed) and is not sent', async () => {
    const { events } = await newThread(workflowServer(1));
    const types = events.map((event) => event.type);
    expect(types).toEqual(['thread.created', 'thread.item.done', 'stream_options', 'thread.item.added', 'error']);
    expect(events.at(-1)).toEqual({ type: 'error', code: 'stream.error', allow_retry: true });
  });

  test('a negative index counts from the end, as a Python list index does', async () => {
    const { events } = await newThread(workflowServer(-1));
    expect(events.map((event) => event.type)).toContain('thread.item.updated');
    expect(events.some((event) => event.type === 'error')).toBe(false);
    expect((await newThread(workflowServer(-2))).events.at(-1)).toMatchObject({ type: 'error', allow_retry: true });
  });
});
