/**
 * `S3AttachmentStore`: attachment bytes in an S3-compatible bucket (AWS S3,
 * Cloudflare R2, MinIO...), so every instance behind a load balancer sees
 * every upload. The `Store` keeps the attachment records and their owners,
 * as with `FileAttachmentStore`; this class keeps only the objects.
 *
 * - Two-phase uploads: `attachments.create` answers a presigned PUT URL the
 *   browser sends the bytes straight to. The announced `content-type` and
 *   `content-length` are part of the signature, so the bucket refuses any
 *   other type or size.
 * - Direct uploads arrive through the plugin's upload route and are streamed
 *   on to the bucket, at most one part (5 MiB) in memory at a time.
 * - Previews are presigned GET URLs that work for `previewUrlTtlSeconds`.
 *
 * Object keys are `prefix + attachmentId`; a name the user sent never
 * becomes part of a key.
 */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NotFoundError } from '../../errors.js';
import type { Attachment } from '../../protocol/items.js';
import type { AttachmentCreateParams } from '../../protocol/requests.js';
import { AttachmentStore } from '../../store.js';
import { uploadPathOf, type AttachmentByteStore, type StoredBytes } from '../byte-store.js';
import { DEFAULT_PREVIEW_URL_TTL_SECONDS, DEFAULT_UPLOAD_PATH } from '../filesystem-store.js';
import {
  DEFAULT_ALLOWED_MIME_TYPES,
  DEFAULT_MAX_UPLOAD_BYTES,
  baseMimeType,
  checkAttachmentId,
  checkAnnouncedUpload,
  checkDirectUpload,
  fileTooLarge,
  isImageMimeType,
  type UploadPolicy,
} from '../policy.js';

/** S3 accepts presigned URLs for at most seven days. */
export const MAX_PRESIGNED_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_UPLOAD_URL_TTL_SECONDS = 15 * 60;
export const DEFAULT_S3_PREFIX = 'chatkit/attachments/';
/** The smallest part S3 accepts in a multipart upload (all but the last). */
const PART_BYTES = 5 * 1024 * 1024;

export interface S3AttachmentStoreOptions {
  bucket: string;
  /** A configured client; otherwise one is built from `region`, `endpoint` and `forcePathStyle` (credentials from the SDK's usual chain). */
  client?: S3Client;
  region?: string;
  /** For S3-compatible services, e.g. `https://<account>.r2.cloudflarestorage.com` or `http://localhost:9000`. */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most local servers need. */
  forcePathStyle?: boolean;
  /** Static credentials; default: the SDK's chain (environment, shared config, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Key prefix for every object. Default `chatkit/attachments/`. */
  prefix?: string;
  /** The route the plugin serves direct uploads at. Default `/chatkit/api/upload`. */
  uploadPath?: string;
  maxBytes?: number;
  allowedMimeTypes?: readonly string[];
  /** How long a presigned upload URL works, in seconds. Default 15 minutes. */
  uploadUrlTtlSeconds?: number;
  /** How long a presigned preview URL works, in seconds. Default (and S3's maximum) 7 days. */
  previewUrlTtlSeconds?: number;
}

export class S3AttachmentStore<TContext = unknown> extends AttachmentStore<TContext> implements AttachmentByteStore<TContext> {
  readonly bucket: string;
  readonly prefix: string;
  readonly uploadPath: string;
  readonly policy: UploadPolicy;
  readonly uploadUrlTtlSeconds: number;
  readonly previewUrlTtlSeconds: number;
  readonly client: S3Client;

  constructor(options: S3AttachmentStoreOptions) {
    super();
    if (!options?.bucket) {
      throw new TypeError('S3AttachmentStore: bucket is required (set CHATKIT_S3_BUCKET, or pass { bucket })');
    }
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? DEFAULT_S3_PREFIX;
    this.uploadPath = uploadPathOf(options.uploadPath, DEFAULT_UPLOAD_PATH);
    this.policy = {
      maxBytes: options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
      allowedMimeTypes: options.allowedMimeTypes ?? DEFAULT_ALLOWED_MIME_TYPES,
    };
    this.uploadUrlTtlSeconds = presignedLifetime(options.uploadUrlTtlSeconds ?? DEFAULT_UPLOAD_URL_TTL_SECONDS, 'uploadUrlTtlSeconds');
    this.previewUrlTtlSeconds = presignedLifetime(options.previewUrlTtlSeconds ?? DEFAULT_PREVIEW_URL_TTL_SECONDS, 'previewUrlTtlSeconds');
    this.client = options.client ?? new S3Client(clientConfig(options));
  }

  // ------------------------------------------------------------------ AttachmentStore

  /** Two-phase upload: a presigned PUT that only accepts the announced type and size. */
  override async createAttachment(input: AttachmentCreateParams, context: TContext): Promise<Attachment> {
    checkAnnouncedUpload(input, this.policy);
    const attachment = await this.newAttachment(input.name, input.mime_type, context);
    const put = new PutObjectCommand({
      Bucket: this.bucket,
      Key: this.keyOf(attachment.id),
      ContentType: input.mime_type,
      ContentLength: input.size,
    });
    const url = await getSignedUrl(this.client, put, {
      expiresIn: this.uploadUrlTtlSeconds,
      // Signed, so the bucket refuses a body of another size or type.
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    attachment.upload_descriptor = { url, method: 'PUT', headers: { 'content-type': input.mime_type } };
    attachment.metadata = { size: input.size, uploaded: false };
    return attachment;
  }

  override async deleteAttachment(attachmentId: string, _context: TContext): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(attachmentId) }));
  }

  // ------------------------------------------------------------------ used by the upload routes

  async createDirectAttachment(file: { name: string; mimeType: string }, context: TContext): Promise<Attachment> {
    checkDirectUpload(file, this.policy);
    const attachment = await this.newAttachment(file.name, file.mimeType, context);
    attachment.metadata = { uploaded: false };
    return attachment;
  }

  /**
   * Streams the bytes to the bucket: one PUT when they fit in a part,
   * otherwise a multipart upload (aborted on failure, so no part lingers).
   * Stops with a 413 as soon as the limit is passed.
   */
  async writeBytes(attachmentId: string, mimeType: string, source: Readable | AsyncIterable<Uint8Array>): Promise<number> {
    const key = this.keyOf(attachmentId);
    const contentType = baseMimeType(mimeType);
    const parts = partsOf(source, this.policy.maxBytes);
    const first = await parts.next();
    const firstPart = first.done ? { bytes: Buffer.alloc(0), last: true } : first.value;
    if (firstPart.last) {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: firstPart.bytes, ContentType: contentType }));
      return firstPart.bytes.length;
    }
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }));
    const done: { ETag: string | undefined; PartNumber: number }[] = [];
    let size = 0;
    try {
      for (let part: { bytes: Buffer; last: boolean } | undefined = firstPart; part; ) {
        const PartNumber = done.length + 1;
        const { ETag } = await this.client.send(
          new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId, PartNumber, Body: part.bytes, ContentLength: part.bytes.length }),
        );
        done.push({ ETag, PartNumber });
        size += part.bytes.length;
        if (part.last) break;
        const next = await parts.next();
        part = next.done ? undefined : next.value;
      }
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId, MultipartUpload: { Parts: done } }));
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId })).catch(() => {});
      throw error;
    }
    return size;
  }

  async openBytes(attachmentId: string): Promise<StoredBytes> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(attachmentId) }));
      return {
        stream: object.Body as Readable,
        size: object.ContentLength ?? 0,
        mimeType: baseMimeType(object.ContentType ?? 'application/octet-stream'),
      };
    } catch (error) {
      if (isMissing(error)) throw new NotFoundError(`Attachment ${attachmentId} has no uploaded file`);
      throw error;
    }
  }

  /** Previews are signed by the bucket, never by this server: an unsigned preview request needs the owner's credentials. */
  verifyPreviewSignature(_attachmentId: string, _signature: string, _expires: string | undefined): number | undefined {
    return undefined;
  }

  /** A presigned GET for the object, valid for `previewUrlTtlSeconds`. */
  previewUrl(attachmentId: string): Promise<string> {
    const get = new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(attachmentId) });
    return getSignedUrl(this.client, get, { expiresIn: this.previewUrlTtlSeconds });
  }

  keyOf(attachmentId: string): string {
    checkAttachmentId(attachmentId);
    return `${this.prefix}${attachmentId}`;
  }

  // ------------------------------------------------------------------ helpers

  private async newAttachment(name: string, mimeType: string, context: TContext): Promise<Attachment> {
    const id = this.generateAttachmentId(mimeType, context);
    this.keyOf(id); // a custom generateAttachmentId must still produce a safe key
    if (isImageMimeType(mimeType)) {
      return { id, name, mime_type: mimeType, type: 'image', preview_url: await this.previewUrl(id) };
    }
    return { id, name, mime_type: mimeType, type: 'file' };
  }
}

function clientConfig(options: S3AttachmentStoreOptions): S3ClientConfig {
  return {
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.forcePathStyle ? { forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Checksums only where S3 requires them: a presigned URL carrying one would fail for every browser upload.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

function presignedLifetime(seconds: number, option: string): number {
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > MAX_PRESIGNED_SECONDS) {
    throw new TypeError(`S3AttachmentStore: ${option} must be a whole number of seconds from 1 to ${MAX_PRESIGNED_SECONDS} (7 days, S3's limit); got ${seconds}`);
  }
  return seconds;
}

/** The source cut into parts of `PART_BYTES`; throws a 413 once more than `maxBytes` arrived. */
async function* partsOf(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<{ bytes: Buffer; last: boolean }> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let ready: Buffer | undefined;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes) throw fileTooLarge(maxBytes);
    pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    pendingBytes += chunk.length;
    if (pendingBytes >= PART_BYTES) {
      // Held back one round: whether a part is the last is known only when the next byte arrives or the source ends.
      if (ready) yield { bytes: ready, last: false };
      ready = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
    }
  }
  if (ready && pendingBytes === 0) {
    yield { bytes: ready, last: true };
    return;
  }
  if (ready) yield { bytes: ready, last: false };
  yield { bytes: Buffer.concat(pending), last: true };
}

function isMissing(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}
