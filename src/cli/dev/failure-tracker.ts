/**
 * Collects why requests failed, so `dev` can print the cause under the
 * request's red line: what the provider answered (a `fetch` dev hands to the
 * app), and what the server logged (a logger stream dev hands to Fastify,
 * and the ChatKit server's own `logger`). Log lines carry the request id
 * when Fastify logged them; the runtime's handler errors do not, so the
 * request each belongs to is followed with AsyncLocalStorage from the moment
 * the plugin reports the request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { urlWithoutCredentials } from '../cassette/url-without-credentials.js';
import { socketErrorCode } from '../project/socket-error-code.js';
import { providerErrorCode } from '../project/provider-error-code.js';
import type { LoggedError, TurnFailure } from './turn-failure.js';

/** Failures not claimed by a request's summary line within this time are printed on their own. */
const UNCLAIMED_AFTER_MS = 1_000;

interface Logger {
  error(object: unknown, message?: string): void;
  warn(object: unknown, message?: string): void;
  [method: string]: unknown;
}

export class FailureTracker {
  private readonly current = new AsyncLocalStorage<string>();
  private readonly byRequest = new Map<string, TurnFailure[]>();
  /** Requests reported and not yet summarised: their failures wait for the summary line, however long they run. */
  private readonly inFlight = new Set<string>();

  /** `onUnclaimed` prints a failure no request summary took (an error outside a ChatKit request). */
  constructor(private readonly onUnclaimed: (failure: TurnFailure) => void) {}

  /** Called when the plugin reports a request: what the request's code does from here on belongs to it. */
  enterRequest(requestId: string): void {
    this.inFlight.add(requestId);
    this.current.enterWith(requestId);
  }

  /** The failures recorded for a request, once (the summary line prints them). */
  claim(requestId: string): TurnFailure[] {
    this.inFlight.delete(requestId);
    const failures = this.byRequest.get(requestId) ?? [];
    this.byRequest.delete(requestId);
    return failures;
  }

  /**
   * Without a request id, the failure belongs to the request it happened in
   * (the HTTP core runs a stream in its request's async context). Work the
   * app starts outside that context (a queue, a timer) cannot be followed, so
   * it goes to the latest request still running (exact for one conversation
   * at a time, as the recorder's model calls).
   */
  record(failure: TurnFailure, requestId: string | undefined = this.current.getStore() ?? [...this.inFlight].at(-1)): void {
    if (requestId === undefined) return this.onUnclaimed(failure);
    const list = this.byRequest.get(requestId);
    if (list) return void list.push(failure);
    this.byRequest.set(requestId, [failure]);
    this.printWhenUnclaimed(requestId);
  }

  /**
   * A request still running (the provider's client retrying with backoff, a
   * long stream) claims its failures when it ends: printing them earlier
   * would show the same cause twice, once as a stray "server error".
   */
  private printWhenUnclaimed(requestId: string): void {
    setTimeout(() => {
      if (this.inFlight.has(requestId)) return this.printWhenUnclaimed(requestId);
      for (const unclaimed of this.claim(requestId)) this.onUnclaimed(unclaimed);
    }, UNCLAIMED_AFTER_MS).unref();
  }

  /** The provider's fetch, reporting error statuses and connection failures (never headers or keys). */
  tapFetch(inner: typeof globalThis.fetch): typeof globalThis.fetch {
    return async (input, init) => {
      const rawUrl = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const url = urlWithoutCredentials(rawUrl) ?? '(the provider URL)';
      let response: Response;
      try {
        response = await inner(input, init);
      } catch (error) {
        // An abort is the client going away, not a provider failure.
        if ((error as Error)?.name !== 'AbortError') {
          const code = socketErrorCode(error);
          if (code) this.record({ kind: 'provider-unreachable', url, code });
        }
        throw error;
      }
      if (response.status >= 400) {
        const code = await providerErrorCode(response);
        this.record({ kind: 'provider-status', url, status: response.status, ...(code ? { code } : {}) });
      }
      return response;
    };
  }

  /** Fastify's `logger` option: pino writes each error line here (JSON), with `reqId` when a request logged it. */
  loggerOptions(): { level: string; stream: { write(line: string): void } } {
    return {
      level: 'error',
      stream: {
        write: (line: string) => {
          let entry: { reqId?: unknown; requestId?: unknown; err?: LoggedError; msg?: unknown; tool?: unknown };
          try {
            entry = JSON.parse(line);
          } catch {
            return;
          }
          const requestId = [entry.requestId, entry.reqId].find((id): id is string => typeof id === 'string');
          const error: LoggedError = entry.err ?? { type: 'Error', message: String(entry.msg ?? line) };
          this.record(loggedFailure(error, entry.msg, entry.tool), requestId ?? this.current.getStore());
        },
      },
    };
  }

  /**
   * The ChatKit server's `logger`, when it is not the app's own (which the
   * stream above already hears): its errors are recorded instead of printed
   * as raw objects.
   */
  watchServerLogger(server: unknown, appLogger: unknown): void {
    const target = server as { logger?: Logger } | undefined;
    const original = target?.logger;
    if (!target || !original || original === appLogger || typeof original.error !== 'function') return;
    target.logger = Object.assign(Object.create(original as object) as Logger, {
      error: (object: unknown, message?: string) => {
        const fields = object as { err?: LoggedError; tool?: unknown } | undefined;
        const error = fields?.err ?? { type: 'Error', message: String(message ?? object) };
        this.record(loggedFailure(error, message, fields?.tool));
      },
    });
  }
}

/** A logged error; one logged with a `tool` name is a tool that threw and was reported to the model (`reportToolError`). */
function loggedFailure(error: LoggedError, message: unknown, tool: unknown): TurnFailure {
  if (typeof tool === 'string') return { kind: 'tool', tool, error };
  return { kind: 'logged', error, ...(typeof message === 'string' && message ? { note: message } : {}) };
}
