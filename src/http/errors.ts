/**
 * Every failure becomes `{"error":{"code","message"},"requestId"}` with a
 * fitting status. Client errors keep their message (it names what was wrong);
 * server errors get a generic one, because a stack trace or a driver message
 * can carry secrets. The request id ties the response to the server log.
 */
import {
  ChatKitRequestError,
  InvalidStateError,
  NotFoundError,
  NotImplementedError,
} from '../runtime/errors.js';
import { AttachmentRejectedError, fileTooLarge } from '../runtime/attachments/policy.js';

/** Missing or invalid credentials. */
export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError';
}

/** A client error raised by the HTTP layer itself, with its status and code. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For a 405: the methods the route accepts, sent in `allow`. */
    readonly allow?: string,
  ) {
    super(message);
  }
}

export interface MappedError {
  status: number;
  code: string;
  message: string;
  /** Whether the failure is ours rather than the client's: log it with its stack. */
  internal: boolean;
}

const FASTIFY_CODES: Record<number, string> = {
  400: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  411: 'length_required',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/**
 * `byteLimit` is the limit of the route that failed, named in 413 messages:
 * the plugin's `bodyLimit` for the protocol endpoint, `maxBytes` for uploads.
 */
export function mapError(error: unknown, requestId: string, byteLimit: number): MappedError {
  if (error instanceof AttachmentRejectedError) {
    const code = error.status === 413 ? 'payload_too_large' : 'unsupported_media_type';
    return { status: error.status, code, message: error.message, internal: false };
  }
  if (error instanceof ChatKitRequestError) return client(400, 'invalid_request', error.message);
  if (error instanceof NotFoundError) return client(404, 'not_found', error.message);
  if (error instanceof InvalidStateError) return client(409, 'invalid_state', error.message);
  if (error instanceof NotImplementedError) return client(501, 'not_implemented', error.message);
  if (error instanceof UnauthorizedError) return client(401, 'unauthorized', error.message);
  if (error instanceof HttpError) return client(error.status, error.code, error.message);

  // Fastify's own client errors (body parsing, multipart limits) carry a 4xx statusCode.
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const fastifyCode = (error as { code?: unknown } | null)?.code;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return client(413, 'payload_too_large', tooLargeMessage(fastifyCode, byteLimit, error as Error));
    if (status === 415) {
      return client(415, 'unsupported_media_type', `content-type: ${(error as Error).message}`);
    }
    return client(status, FASTIFY_CODES[status] ?? 'invalid_request', (error as Error).message);
  }
  return {
    status: 500,
    code: 'internal_error',
    message: `Internal server error. The server log has the details under request id ${requestId}.`,
    internal: true,
  };
}

/** Fastify's 413s, in words that name the limit and the option that raises it. */
function tooLargeMessage(fastifyCode: unknown, byteLimit: number, error: Error): string {
  if (fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return `body: larger than the ${byteLimit}-byte limit (raise the bodyLimit option to accept more)`;
  }
  if (fastifyCode === 'FST_REQ_FILE_TOO_LARGE') return fileTooLarge(byteLimit).message;
  return `body: too large (${error.message})`;
}

function client(status: number, code: string, message: string): MappedError {
  return { status, code, message, internal: false };
}

export function errorBody(mapped: MappedError, requestId: string): string {
  return JSON.stringify({ error: { code: mapped.code, message: mapped.message }, requestId });
}
