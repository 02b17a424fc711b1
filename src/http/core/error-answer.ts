/**
 * A failure as the documented JSON answer, `{"error":{"code","message"},"requestId"}`,
 * with the request id in `x-request-id` too. Server-side failures are logged
 * with the request id, never sent.
 */
import { loggableError } from '../../runtime/redact.js';
import { errorBody, mapError, type MappedError } from '../errors.js';
import type { Answer, AnswerHeaders, IncomingCall } from './exchange.js';

export function errorAnswer(
  call: Pick<IncomingCall<unknown>, 'requestId' | 'log'>,
  error: unknown,
  base: AnswerHeaders,
  byteLimit: number,
): { answer: Answer; mapped: MappedError } {
  const mapped = mapError(error, call.requestId, byteLimit);
  if (mapped.internal) {
    call.log.error({ err: loggableError(error), requestId: call.requestId }, 'ChatKit request failed');
  }
  const headers: AnswerHeaders = {
    ...base,
    'x-request-id': call.requestId,
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
  };
  if (mapped.status === 401) headers['www-authenticate'] = 'Bearer';
  const allow = (error as { allow?: unknown } | null)?.allow;
  if (typeof allow === 'string') headers.allow = allow;
  const retryAfter = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  return { answer: { kind: 'json', status: mapped.status, headers, body: errorBody(mapped, call.requestId) }, mapped };
}
