/**
 * What the HTTP upload routes need from an attachment store that keeps
 * bytes: `FileAttachmentStore` (local disk) and `S3AttachmentStore` (a
 * bucket) both provide it, so the same routes serve direct uploads, the
 * second phase of `attachments.create` and authenticated previews for either.
 */
import type { Readable } from 'node:stream';
import type { Attachment } from '../protocol/items.js';
import type { AttachmentStore } from '../store.js';
import type { UploadPolicy } from './policy.js';

export interface StoredBytes {
  stream: Readable;
  size: number;
  mimeType: string;
}

export interface AttachmentByteStore<TContext = unknown> extends AttachmentStore<TContext> {
  /** The route the HTTP front doors serve uploads at. */
  readonly uploadPath: string;
  readonly policy: UploadPolicy;
  /** Direct upload: the record for a file that arrives in the same request. */
  createDirectAttachment(file: { name: string; mimeType: string }, context: TContext): Attachment | Promise<Attachment>;
  /** Stores the bytes, refusing (413) past the policy's limit; returns how many were stored. */
  writeBytes(attachmentId: string, mimeType: string, source: Readable | AsyncIterable<Uint8Array>): Promise<number>;
  /** The stored bytes, or `NotFoundError` when nothing was uploaded. */
  openBytes(attachmentId: string): Promise<StoredBytes>;
  /**
   * Seconds a preview signature issued by this server still works, or
   * `undefined` when it is not valid (a store whose previews are signed by
   * someone else, such as a bucket, always answers `undefined`).
   */
  verifyPreviewSignature(attachmentId: string, signature: string, expires: string | undefined): number | undefined;
}

/** Duck-typed, so a second copy of the package (dist next to src, two installs) still matches. */
export function isAttachmentByteStore<TContext>(store: unknown): store is AttachmentByteStore<TContext> {
  const candidate = store as Partial<AttachmentByteStore<TContext>> | undefined;
  return (
    typeof candidate?.writeBytes === 'function' &&
    typeof candidate.openBytes === 'function' &&
    typeof candidate.createDirectAttachment === 'function' &&
    typeof candidate.verifyPreviewSignature === 'function' &&
    typeof candidate.uploadPath === 'string'
  );
}

/** The route a store's upload URLs point at: the default, without a trailing slash. */
export function uploadPathOf(path: string | undefined, fallback: string): string {
  const chosen = path ?? fallback;
  return chosen.length > 1 && chosen.endsWith('/') ? chosen.slice(0, -1) : chosen;
}
