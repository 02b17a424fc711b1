/** A store that signs URLs refuses to start in production without its secret, naming the variable. */
import { afterEach, expect, test, vi } from 'vitest';
import { FileAttachmentStore } from '../../src/runtime/attachments/index.js';
import { MissingSigningSecretError, signingSecretFrom } from '../../src/runtime/attachments/signing-secret.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

test('FileAttachmentStore in production without CHATKIT_UPLOAD_SECRET: a start-up error naming the variable and how to make one', () => {
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('CHATKIT_UPLOAD_SECRET', undefined);
  expect(() => new FileAttachmentStore({ dir: '/tmp/unused' })).toThrow(MissingSigningSecretError);
  expect(() => new FileAttachmentStore({ dir: '/tmp/unused' })).toThrow(/FileAttachmentStore: CHATKIT_UPLOAD_SECRET is not set\. .*openssl rand -hex 32/);
  vi.stubEnv('CHATKIT_UPLOAD_SECRET', 'x'.repeat(32));
  expect(() => new FileAttachmentStore({ dir: '/tmp/unused' })).not.toThrow();
  expect(() => new FileAttachmentStore({ dir: '/tmp/unused', signingSecret: 'short' })).toThrow(/is 5 characters; use at least 32/);
});

test('outside production a missing secret still starts (a random key per process)', () => {
  vi.stubEnv('NODE_ENV', 'development');
  vi.stubEnv('CHATKIT_UPLOAD_SECRET', undefined);
  expect(() => new FileAttachmentStore({ dir: '/tmp/unused' })).not.toThrow();
});

test('two stores with the same secret accept each other\'s preview URLs; with different keys they do not', () => {
  const secret = 's'.repeat(40);
  const a = new FileAttachmentStore({ dir: '/tmp/unused', signingSecret: secret, publicBaseUrl: 'http://a' });
  const b = new FileAttachmentStore({ dir: '/tmp/unused', signingSecret: secret, publicBaseUrl: 'http://b' });
  const url = new URL(a.previewUrl('atc_1', {}));
  expect(b.verifyPreviewSignature('atc_1', url.searchParams.get('sig')!, url.searchParams.get('exp')!)).toBeGreaterThan(0);
  vi.stubEnv('NODE_ENV', 'test');
  vi.stubEnv('CHATKIT_UPLOAD_SECRET', undefined);
  const random = new FileAttachmentStore({ dir: '/tmp/unused' });
  expect(random.verifyPreviewSignature('atc_1', url.searchParams.get('sig')!, url.searchParams.get('exp')!)).toBeUndefined();
});

test('signingSecretFrom reads the option before the environment', () => {
  expect(signingSecretFrom('o'.repeat(32), 'X', { CHATKIT_UPLOAD_SECRET: 'e'.repeat(32) })).toBe('o'.repeat(32));
  expect(signingSecretFrom(undefined, 'X', { CHATKIT_UPLOAD_SECRET: 'e'.repeat(32) })).toBe('e'.repeat(32));
  expect(signingSecretFrom(undefined, 'X', {})).toBeUndefined();
});
