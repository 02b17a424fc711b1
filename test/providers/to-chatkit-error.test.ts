/** `toChatKitError` on errors that do not come from a live provider call. */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { toChatKitError, CustomStreamError, StreamError } from './support.js';

const headers = new Headers();

describe('toChatKitError', () => {
  it('passes StreamError and CustomStreamError through unchanged', () => {
    const own = new CustomStreamError('Out of stock', { allowRetry: false });
    expect(toChatKitError(own)).toBe(own);
    const coded = new StreamError('stream.error', { allowRetry: false });
    expect(toChatKitError(coded)).toBe(coded);
  });

  it('finds a provider error wrapped in a cause chain', () => {
    const inner = OpenAI.APIError.generate(401, { error: { message: 'Incorrect API key provided: sk-abc', code: 'invalid_api_key' } }, undefined, headers);
    const wrapped = new Error('tool failed', { cause: new Error('model call failed', { cause: inner }) });
    const mapped = toChatKitError(wrapped);
    expect(mapped).toBeInstanceOf(CustomStreamError);
    expect(mapped.allowRetry).toBe(false);
    expect(mapped.message).not.toContain('sk-abc');
  });

  it('treats insufficient_quota as non-retryable and 408/503 as retryable', () => {
    const quota = OpenAI.APIError.generate(429, { error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' } }, undefined, headers);
    expect(toChatKitError(quota)).toMatchObject({ allowRetry: false, message: expect.stringMatching(/quota/) });
    expect(toChatKitError(OpenAI.APIError.generate(408, { error: { message: 'timeout' } }, undefined, headers)).allowRetry).toBe(true);
    expect(toChatKitError(OpenAI.APIError.generate(503, { error: { message: 'overloaded' } }, undefined, headers)).allowRetry).toBe(true);
  });

  it('maps timeouts and other failures', () => {
    expect(toChatKitError(new OpenAI.APIConnectionTimeoutError())).toMatchObject({ allowRetry: true, message: expect.stringMatching(/could not reach/) });
    const bad = toChatKitError(OpenAI.APIError.generate(400, { error: { message: 'bad tool schema' } }, undefined, headers));
    expect(bad).toBeInstanceOf(StreamError);
    expect(bad).toMatchObject({ code: 'stream.error', allowRetry: true });
    expect(toChatKitError(new TypeError('x is undefined'))).toMatchObject({ code: 'stream.error' });
    expect(toChatKitError('a string')).toMatchObject({ code: 'stream.error' });
  });
});
