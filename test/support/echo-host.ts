/**
 * For the tests that run a docs page's echo server on another runtime (Bun,
 * Deno, workerd): the page's code, a port to give the runtime, and the
 * stream every one of those servers must send for "hello".
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The text of docs/<page>, and its ```ts blocks (`code` is the first). */
export function docsPage(page: string): { text: string; code: string; blocks: string[] } {
  const text = readFileSync(join(repo, 'docs', page), 'utf8');
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
  if (blocks.length === 0) throw new Error(`docs/${page} has no ts block`);
  return { text, code: blocks[0]!, blocks };
}

/** A port nobody is listening on right now (these runtimes take a port, not 0, on the command line). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export const HELLO = { type: 'threads.create', params: { input: { content: [{ type: 'input_text', text: 'hello' }], attachments: [], inference_options: {} } } };

export interface EchoEvent {
  type: string;
  thread?: { id: string };
  item?: { content?: { text?: string }[] };
}

/** Checks the answer to HELLO is the echo servers' stream, with CORS for `origin`; returns its events. */
export async function expectEchoStream(response: Response, origin: string, log = ''): Promise<EchoEvent[]> {
  expect(response.status, log).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  const events = (await response.text())
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => JSON.parse(frame.slice(6)) as EchoEvent);
  expect(events.map((event) => event.type)).toEqual(['thread.created', 'thread.item.done', 'stream_options', 'thread.item.added', 'thread.item.done']);
  expect(events.at(-1)!.item!.content![0]!.text).toBe('You said: hello');
  return events;
}
