/** What the provider tests import: the public providers entry point and the runtime's errors. */
export * from '../../src/runtime/providers/index.js';
export { CustomStreamError, StreamError } from '../../src/runtime/errors.js';

import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai.js';

/**
 * One mock OpenAI server per test file, its script and recorded requests
 * reset before each test. The returned object forwards to the server once
 * `beforeAll` has started it, so tests use it like the server itself.
 */
export function useMockOpenAI(): MockOpenAI {
  let server: MockOpenAI | undefined;
  beforeAll(async () => {
    server = await startMockOpenAI();
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    server!.setScript([]);
    server!.requests.length = 0;
  });
  return new Proxy({} as MockOpenAI, {
    get(_target, key) {
      if (!server) throw new Error('the mock OpenAI server is only available inside tests');
      const value = Reflect.get(server, key, server);
      return typeof value === 'function' ? value.bind(server) : value;
    },
  });
}

/** The normalized text deltas of a streamed run, drained. */
export async function textDeltas(result: AsyncIterable<any>): Promise<string[]> {
  const deltas: string[] = [];
  for await (const event of result) {
    if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') deltas.push(event.data.delta);
  }
  return deltas;
}
