/**
 * Runs the real app on a free port and talks to it over HTTP, the way
 * ChatKit in a browser does.
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';

/** Offline configuration: the scripted model, throwaway storage, no key. */
export function testEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    CHATKIT_MODEL_PROVIDER: 'scripted',
    CHATKIT_MODEL: 'scripted',
    CHATKIT_SQLITE_URL: ':memory:',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chatkit',
    CHATKIT_UPLOAD_DIR: mkdtempSync(join(tmpdir(), 'chatkit-uploads-')),
    CHATKIT_CORS_ORIGINS: 'http://localhost:5173',
    ...overrides,
  };
}

export interface RunningApp {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:54321/chatkit/api */
  endpoint: string;
  close(): Promise<void>;
}

export async function startApp(env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const app = await buildApp({ env, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, endpoint: `http://127.0.0.1:${port}/chatkit/api`, close: () => app.close() };
}

export function post(endpoint: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** A user message as ChatKit sends it. */
export function userInput(text: string) {
  return { content: [{ type: 'input_text', text }], attachments: [], inference_options: {} };
}

/** Reads an SSE response to the end and returns its events, checking each frame is `data: <json>`. */
export async function readEvents(response: Response): Promise<any[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '' && !frame.startsWith(':'))
    .map((frame) => {
      if (!frame.startsWith('data: ')) throw new Error(`not an SSE data frame: ${JSON.stringify(frame)}`);
      return JSON.parse(frame.slice('data: '.length));
    });
}

/** The assistant's full text in a list of events (from the `thread.item.done` items). */
export function assistantText(events: any[]): string {
  return events
    .filter((event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message')
    .flatMap((event) => event.item.content.map((part: { text: string }) => part.text))
    .join('');
}
