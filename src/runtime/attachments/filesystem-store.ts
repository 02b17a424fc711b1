/**
 * `FileAttachmentStore`: attachment bytes on the local file system, for the
 * Fastify plugin's upload routes. The `Store` keeps the attachment records
 * (and their owners); this class keeps only bytes plus a small sidecar with
 * the MIME type, so a signed preview URL can be served without a user.
 *
 * File names are always derived from the generated attachment id; a name the
 * user sent is display data and never touches a path.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { NotFoundError } from '../errors.js';
import type { Attachment } from '../protocol/items.js';
import type { AttachmentCreateParams } from '../protocol/requests.js';
import { AttachmentStore } from '../store.js';
import { uploadPathOf, type AttachmentByteStore } from './byte-store.js';
import { signingSecretFrom } from './signing-secret.js';
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
} from './policy.js';
import { Once } from '../stores/shared/once.js';

export const DEFAULT_UPLOAD_DIR = '.data/uploads';
export const DEFAULT_UPLOAD_PATH = '/chatkit/api/upload';

export interface FileAttachmentStoreOptions<TContext> {
  /** Where bytes are written. Default `.data/uploads` (relative to the working directory). */
  dir?: string;
  /**
   * The origin clients reach this server at, e.g. `https://api.example.com`:
   * upload and preview URLs must be absolute (ChatKit runs in an iframe on
   * another origin). A function receives the request context. Default: built
   * from `context.headers` (`x-forwarded-proto`/`x-forwarded-host` or `host`),
   * which the plugin's default context carries.
   */
  publicBaseUrl?: string | ((context: TContext) => string);
  /** The route the plugin serves uploads at. Default `/chatkit/api/upload`. */
  uploadPath?: string;
  /** How the client sends two-phase bytes. Default `PUT` (the route also accepts `POST`). */
  uploadMethod?: 'PUT' | 'POST';
  maxBytes?: number;
  allowedMimeTypes?: readonly string[];
  /**
   * Signs preview URLs so `<img src>` works without credentials. Default:
   * `CHATKIT_UPLOAD_SECRET`. Required when `NODE_ENV` is `production` (every
   * instance must sign alike); elsewhere a missing secret means a random key
   * per process (previews issued before a restart then need the caller's
   * credentials instead).
   */
  signingSecret?: string;
  /**
   * How long a signed preview URL works, in seconds. Default 7 days. After
   * that only a caller the `Store` recognises as the owner can load the image.
   */
  previewUrlTtlSeconds?: number;
}

export const DEFAULT_PREVIEW_URL_TTL_SECONDS = 7 * 24 * 60 * 60;

/** What is stored next to the bytes. */
interface Sidecar {
  mime_type: string;
  size: number;
}

export class FileAttachmentStore<TContext = unknown> extends AttachmentStore<TContext> implements AttachmentByteStore<TContext> {
  readonly dir: string;
  readonly uploadPath: string;
  readonly uploadMethod: 'PUT' | 'POST';
  readonly policy: UploadPolicy;
  private readonly publicBaseUrl: FileAttachmentStoreOptions<TContext>['publicBaseUrl'];
  private readonly signingKey: Buffer;
  readonly previewUrlTtlSeconds: number;
  private readonly directory = new Once(() => mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => undefined));

  constructor(options: FileAttachmentStoreOptions<TContext> = {}) {
    super();
    this.dir = resolve(options.dir ?? DEFAULT_UPLOAD_DIR);
    this.uploadPath = uploadPathOf(options.uploadPath, DEFAULT_UPLOAD_PATH);
    this.uploadMethod = options.uploadMethod ?? 'PUT';
    this.policy = {
      maxBytes: options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
      allowedMimeTypes: options.allowedMimeTypes ?? DEFAULT_ALLOWED_MIME_TYPES,
    };
    this.publicBaseUrl = options.publicBaseUrl;
    const secret = signingSecretFrom(options.signingSecret, 'FileAttachmentStore');
    this.signingKey = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
    const ttl = options.previewUrlTtlSeconds ?? DEFAULT_PREVIEW_URL_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl <= 0) {
      throw new TypeError(`FileAttachmentStore: previewUrlTtlSeconds must be a positive whole number of seconds (got ${ttl})`);
    }
    this.previewUrlTtlSeconds = ttl;
  }

  // ------------------------------------------------------------------ AttachmentStore

  /** Two-phase upload: checks the announced name, size and type, and points the client at our upload route. */
  override async createAttachment(input: AttachmentCreateParams, context: TContext): Promise<Attachment> {
    checkAnnouncedUpload(input, this.policy);
    const attachment = this.newAttachment(input.name, input.mime_type, context);
    attachment.upload_descriptor = {
      url: `${this.baseUrl(context)}${this.uploadPath}/${attachment.id}`,
      method: this.uploadMethod,
      headers: {},
    };
    attachment.metadata = { size: input.size, uploaded: false };
    return attachment;
  }

  override async deleteAttachment(attachmentId: string, _context: TContext): Promise<void> {
    const path = this.pathOf(attachmentId);
    await rm(path, { force: true });
    await rm(`${path}.json`, { force: true });
  }

  // ------------------------------------------------------------------ used by the upload routes

  /** Direct upload: the record for a file that arrives in the same request. */
  createDirectAttachment(file: { name: string; mimeType: string }, context: TContext): Attachment {
    checkDirectUpload(file, this.policy);
    const attachment = this.newAttachment(file.name, file.mimeType, context);
    attachment.metadata = { uploaded: false };
    return attachment;
  }

  /**
   * Streams bytes to `<dir>/<id>` through a temporary file, stopping with a
   * 413 `AttachmentRejectedError` as soon as the limit is passed. Returns the
   * number of bytes written.
   */
  async writeBytes(attachmentId: string, mimeType: string, source: Readable | AsyncIterable<Uint8Array>): Promise<number> {
    const path = this.pathOf(attachmentId);
    await this.ensureDir();
    const partial = `${path}.${randomBytes(6).toString('hex')}.part`;
    let size = 0;
    const limit = this.policy.maxBytes;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > limit) {
          callback(fileTooLarge(limit));
        } else {
          callback(null, chunk);
        }
      },
    });
    try {
      await pipeline(source, counter, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      const sidecar: Sidecar = { mime_type: baseMimeType(mimeType), size };
      await writeFile(`${path}.json`, JSON.stringify(sidecar), { mode: 0o600 });
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return size;
  }

  /** The stored bytes, or `NotFoundError` when nothing was uploaded yet. */
  async openBytes(attachmentId: string): Promise<{ stream: Readable; size: number; mimeType: string }> {
    const path = this.pathOf(attachmentId);
    try {
      const sidecar = JSON.parse(await readFile(`${path}.json`, 'utf8')) as Sidecar;
      const { size } = await stat(path);
      return { stream: createReadStream(path), size, mimeType: sidecar.mime_type };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotFoundError(`Attachment ${attachmentId} has no uploaded file`);
      }
      throw error;
    }
  }

  /**
   * The URL the UI loads an image from; carries an expiry and a signature
   * over it, so it works in `<img src>` for `previewUrlTtlSeconds`.
   */
  previewUrl(attachmentId: string, context: TContext): string {
    const expires = Math.floor(Date.now() / 1000) + this.previewUrlTtlSeconds;
    return `${this.baseUrl(context)}${this.uploadPath}/${attachmentId}/preview?exp=${expires}&sig=${this.sign(attachmentId, expires)}`;
  }

  /**
   * Seconds the signed URL still works, or `undefined` when the signature is
   * wrong, the expiry was altered or it has passed.
   */
  verifyPreviewSignature(attachmentId: string, signature: string, expires: string | undefined): number | undefined {
    if (!expires || !/^\d{1,12}$/.test(expires)) return undefined;
    const remaining = Number(expires) - Math.floor(Date.now() / 1000);
    if (remaining <= 0) return undefined;
    const expected = Buffer.from(this.sign(attachmentId, Number(expires)));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? remaining : undefined;
  }

  /** Throws `NotFoundError` for ids that could not have been generated here (and so never name a file). */
  pathOf(attachmentId: string): string {
    checkAttachmentId(attachmentId);
    return join(this.dir, attachmentId);
  }

  // ------------------------------------------------------------------ helpers

  private newAttachment(name: string, mimeType: string, context: TContext): Attachment {
    const id = this.generateAttachmentId(mimeType, context);
    this.pathOf(id); // a custom generateAttachmentId must still produce a safe file name
    if (isImageMimeType(mimeType)) {
      return { id, name, mime_type: mimeType, type: 'image', preview_url: this.previewUrl(id, context) };
    }
    return { id, name, mime_type: mimeType, type: 'file' };
  }

  private sign(attachmentId: string, expires: number): string {
    return createHmac('sha256', this.signingKey).update(`preview:${attachmentId}:${expires}`).digest('base64url');
  }

  private baseUrl(context: TContext): string {
    const configured = typeof this.publicBaseUrl === 'function' ? this.publicBaseUrl(context) : this.publicBaseUrl;
    if (configured) return trimTrailingSlash(configured);
    const origin = originFromHeaders((context as { headers?: RequestHeaders } | null)?.headers);
    if (!origin) {
      throw new Error(
        'FileAttachmentStore: cannot build upload URLs: set publicBaseUrl (e.g. "https://api.example.com") or put the request headers in the context',
      );
    }
    return origin;
  }

  /** Creates the directory on first use; a failure (permissions, a full disk) is retried on the next upload. */
  private ensureDir(): Promise<void> {
    return this.directory.get();
  }
}

type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * The origin the client reached, as the plugin's default context carries the
 * request headers: a proxy's `x-forwarded-*` first (its first hop), else `host`.
 */
function originFromHeaders(headers: RequestHeaders | undefined): string | undefined {
  const first = (name: string) => {
    const value = headers?.[name];
    return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  };
  const host = first('x-forwarded-host') ?? first('host');
  return host ? `${first('x-forwarded-proto') ?? 'http'}://${host}` : undefined;
}

function trimTrailingSlash(value: string): string {
  return value.endsWith('/') ? value.slice(0, -1) : value;
}
