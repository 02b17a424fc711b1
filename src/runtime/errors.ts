/**
 * Errors the runtime raises or understands.
 *
 * `ChatKitRequestError` and `NotFoundError` are raised by `process()` before a
 * response starts (the HTTP layer maps them to 400 and 404). `StreamError` and
 * `CustomStreamError` are thrown by integrations inside `respond`/`action` and
 * become one `error` event on the stream.
 */
import type { ErrorCode } from './protocol/events.js';

/** The request body is not a valid ChatKit request; `message` names the field and the problem. */
export class ChatKitRequestError extends Error {
  override name = 'ChatKitRequestError';
  /** Dotted path of the offending field (`params.input.content`), or `''` for the body itself. */
  readonly path: string;
  constructor(message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.path = options.path ?? '';
  }
}

/** A thread, item or attachment does not exist (or belongs to someone else). */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/**
 * The request is well-formed but does not fit the thread's state: no pending
 * client tool call, a retry target that is not a user message, a structured
 * input that was already answered, a sync action whose sender is not a widget.
 */
export class InvalidStateError extends Error {
  override name = 'InvalidStateError';
}

/** A hook the request needs was not implemented (`transcribe`, `syncAction`, an attachment store). */
export class NotImplementedError extends Error {
  override name = 'NotImplementedError';
}

const DEFAULT_ALLOW_RETRY: Record<string, boolean> = { 'stream.error': true };

/** An error with a code the client maps to a localized message. */
export class StreamError extends Error {
  override name = 'StreamError';
  readonly code: ErrorCode;
  readonly allowRetry: boolean;
  constructor(code: ErrorCode = 'stream.error', options: { allowRetry?: boolean } = {}) {
    super(`stream error: ${code}`);
    this.code = code;
    this.allowRetry = options.allowRetry ?? DEFAULT_ALLOW_RETRY[code] ?? false;
  }
}

/** An error whose `message` is shown to the user as is (localize it first). */
export class CustomStreamError extends Error {
  override name = 'CustomStreamError';
  readonly allowRetry: boolean;
  constructor(message: string, options: { allowRetry?: boolean } = {}) {
    super(message);
    this.allowRetry = options.allowRetry ?? false;
  }
}
