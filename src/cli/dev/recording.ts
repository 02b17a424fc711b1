/**
 * `--record <dir>`: run the project with a recording model `fetch` and the
 * plugin's observer feeding a SessionRecorder; each thread becomes one cassette,
 * rewritten (redacted, scanned, atomically) after each of its requests so a
 * crash never loses a finished exchange.
 */
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { CASSETTE_EXTENSION, recordedEnv } from '../cassette/format.js';
import { SessionRecorder, type RecordedSession } from '../cassette/session-recorder.js';
import { tapJsonResponses } from '../cassette/json-response-tap.js';
import { buildCassette, writeCassette } from '../cassette/writer.js';
import { secretOptionsFor } from '../replay/replay-env.js';
import { isProbeRequest } from '../doctor/probe-input.js';
import { ownPackageJson } from '../shared/own-package.js';

export interface CassetteRecorderOptions {
  dir: string;
  env: Record<string, string | undefined>;
  /** Told about each write (path) or failure (message without secrets). */
  onWrite?: (file: string) => void;
  onError?: (message: string) => void;
  /** Told (once per thread) about requests on a thread this recorder did not see created. */
  onUnknownThread?: (threadId: string) => void;
}

export interface CassetteRecorder {
  fetch: typeof globalThis.fetch;
  /** Listen to the plugin's observer, and (for non-streaming response bodies) the HTTP server. */
  attach(observer: EventEmitter, server?: Server, path?: string): void;
  /** Waits for pending writes. */
  flush(): Promise<void>;
  files(): string[];
}

export function createCassetteRecorder(options: CassetteRecorderOptions): CassetteRecorder {
  const secretOptions = secretOptionsFor(options.env);
  const fileOf = new Map<RecordedSession, string>();
  const modelEnv = recordedEnv(options.env);
  const cliVersion = ownPackageJson().version;
  let writes = Promise.resolve();

  const unknownThreads = new Set<string>();
  const recorder = new SessionRecorder({
    onUnknownThread(threadId) {
      if (unknownThreads.has(threadId)) return;
      unknownThreads.add(threadId);
      options.onUnknownThread?.(threadId);
    },
    onSessionUpdated(session) {
      // `doctor --url` against this server creates (and deletes) probe threads: not sessions to replay.
      if (isProbeRequest(session.requests[0]?.body)) return;
      let file = fileOf.get(session);
      if (!file) {
        const stamp = session.startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
        file = join(options.dir, `${stamp}-${session.threadId}${CASSETTE_EXTENSION}`);
        fileOf.set(session, file);
      }
      const target = file;
      const cassette = buildCassette(session.lines(), { ...secretOptions, cliVersion, recordedAt: session.startedAt, env: modelEnv });
      writes = writes
        .then(() => writeCassette(target, cassette, secretOptions))
        .then(() => options.onWrite?.(target))
        .catch((error: unknown) => options.onError?.(error instanceof Error ? error.message : String(error)));
    },
  });

  return {
    fetch: recorder.fetch,
    attach(observer, server, path) {
      recorder.attach(observer);
      if (server && path) tapJsonResponses(server, path, (requestId, body) => recorder.noteResponseBody(requestId, body));
    },
    flush: () => writes,
    files: () => [...fileOf.values()],
  };
}
