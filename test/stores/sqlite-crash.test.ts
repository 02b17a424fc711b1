/**
 * Durability of SQLiteStore's write path (a worker thread, group commit)
 * when the process is killed with SIGKILL: whatever the client was told is
 * done is in the file afterwards, and a batch that was being committed is
 * there entirely or not at all.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, test } from 'vitest';
import { parseFrames } from '../support/chatkit.js';

const CHILD = fileURLToPath(new URL('./support/sqlite-crash-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'chatkit-sqlite-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ChildMessage {
  kind: string;
  port?: number;
  wave?: number;
}

function start(args: string[], onMessage: (message: ChildMessage) => void): { child: ChildProcess; exited: Promise<NodeJS.Signals | null> } {
  const child = fork(CHILD, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('message', onMessage);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  return { child, exited };
}

/** Reads the file the way a restarted server would: a fresh connection after the crash. */
async function query<T>(dbPath: string, sql: string): Promise<T[]> {
  const client = createClient({ url: `file:${dbPath}` });
  try {
    return (await client.execute(sql)).rows as unknown as T[];
  } finally {
    client.close();
  }
}

// Both synchronous modes: 'normal' skips the fsync per commit, and the docs claim it still loses nothing when the process dies.
describe.each(['full', 'normal'] as const)('SQLiteStore (synchronous: %s) under kill -9', (synchronous) => {
  test('every item whose thread.item.done a client received over HTTP is in the file after the crash', async () => {
    const dbPath = join(dir, `http-${synchronous}.db`);
    let ready!: (port: number) => void;
    const port = new Promise<number>((resolve) => (ready = resolve));
    const { child, exited } = start(['http', dbPath, '-', synchronous], (message) => message.kind === 'ready' && ready(message.port!));
    const base = `http://127.0.0.1:${await port}`;
    const agent = new Agent({ connections: 300 });

    const acknowledgedItems = new Set<string>();
    const createdThreads = new Set<string>();
    let killed = false;
    const KILL_AFTER = 150;
    // Streams keep starting until the kill, so writes are in flight when it lands.
    let interrupted = 0;
    const streamUntilKilled = async (): Promise<void> => {
      while (!killed) {
        try {
          const response = await request(`${base}/chatkit/api`, {
            method: 'POST',
            dispatcher: agent,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'threads.create', params: { input: { content: [{ type: 'input_text', text: 'hi' }], attachments: [], inference_options: {} } } }),
          });
          let buffer = '';
          for await (const chunk of response.body as AsyncIterable<Buffer>) {
            buffer += chunk.toString('utf8');
            const end = buffer.lastIndexOf('\n\n');
            if (end < 0) continue;
            // Only whole frames count: the client has received them.
            for (const event of parseFrames(buffer.slice(0, end + 2))) {
              if (event.type === 'thread.created') createdThreads.add(event.thread.id);
              if (event.type === 'thread.item.done') acknowledgedItems.add(event.item.id);
            }
            buffer = buffer.slice(end + 2);
            if (!killed && acknowledgedItems.size >= KILL_AFTER) {
              killed = true;
              child.kill('SIGKILL');
            }
          }
        } catch {
          // The connection died with the server mid-stream.
          interrupted++;
        }
      }
    };
    await Promise.all(Array.from({ length: 100 }, streamUntilKilled));
    expect(await exited).toBe('SIGKILL');
    await agent.close();

    expect(acknowledgedItems.size).toBeGreaterThanOrEqual(KILL_AFTER);
    const items = new Set((await query<{ id: string }>(dbPath, 'SELECT id FROM chatkit_items')).map((row) => row.id));
    const threads = new Set((await query<{ id: string }>(dbPath, 'SELECT id FROM chatkit_threads')).map((row) => row.id));
    const missingItems = [...acknowledgedItems].filter((id) => !items.has(id));
    const missingThreads = [...createdThreads].filter((id) => !threads.has(id));
    expect(missingItems).toEqual([]);
    expect(missingThreads).toEqual([]);
    // The kill landed while streams (and their writes) were under way.
    expect(interrupted).toBeGreaterThan(0);
  });

  // Kill as soon as a wave is handed to the store, and (second case) once the
  // WAL file has started growing with its pages, i.e. inside the commit.
  for (const when of ['as the wave is sent', 'while its pages are being written'] as const) {
    test(`a batch interrupted ${when} is in the file entirely or not at all, and every acknowledged batch is there`, async () => {
      const dbPath = join(dir, `waves-${synchronous}-${when.replace(/\W+/g, '-')}.db`);
      // Waves of 1.2 MB: the kill lands before the WAL reaches SQLite's checkpoint size (4 MB), so
      // until then it only grows, and a growing WAL means the wave's pages are being written.
      const WAVE = 300;
      const KILL_WAVE = 1;
      const acked = new Set<number>();
      let sent!: () => void;
      const killWaveSent = new Promise<void>((resolve) => (sent = resolve));
      const { child, exited } = start(['waves', dbPath, String(WAVE), synchronous], (message) => {
        if (message.kind === 'acked') acked.add(message.wave!);
        if (message.kind === 'sent' && message.wave === KILL_WAVE) sent();
      });
      await killWaveSent;
      if (when === 'while its pages are being written') {
        const walSize = () => statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0;
        const before = walSize();
        // Waits for the event (the WAL growing), not for a fixed time; gives up once the wave is acknowledged.
        while (walSize() === before && !acked.has(KILL_WAVE)) await new Promise((resolve) => setImmediate(resolve));
      }
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      const counts = new Map<number, number>();
      for (const row of await query<{ id: string }>(dbPath, 'SELECT id FROM chatkit_items')) {
        const wave = Number(/^w(\d+)_/.exec(row.id)![1]);
        counts.set(wave, (counts.get(wave) ?? 0) + 1);
      }
      for (const [wave, count] of counts) expect({ wave, count }).toEqual({ wave, count: WAVE });
      for (const wave of acked) expect(counts.get(wave)).toBe(WAVE);
      for (let wave = 0; wave < KILL_WAVE; wave++) expect(counts.get(wave)).toBe(WAVE);
      // Waves are written one after another, so the ones present are a prefix: nothing later survived an earlier loss.
      expect([...counts.keys()].sort((a, b) => a - b)).toEqual([...counts.keys()].map((_, i) => i));
    });
  }
});
