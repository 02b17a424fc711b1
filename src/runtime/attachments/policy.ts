/**
 * What an upload may be: a size ceiling and a MIME allowlist. Checked when an
 * attachment is announced (`attachments.create`) and again while its bytes
 * arrive, so a client cannot announce 1 KB and send 1 GB.
 */
import { ChatKitRequestError, NotFoundError } from '../errors.js';

export interface UploadPolicy {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Exact types (`application/pdf`) or families (`image/*`). Compared without parameters, case-insensitively. */
  allowedMimeTypes: readonly string[];
}

export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Images a browser renders safely plus common documents. `image/svg+xml` is
 * left out on purpose: an SVG is a document that can run script when opened.
 */
export const DEFAULT_ALLOWED_MIME_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/markdown',
  'text/csv',
  'application/json',
];

/** The upload breaks the policy: 413 (too large) or 415 (type not allowed) over HTTP. */
export class AttachmentRejectedError extends ChatKitRequestError {
  override name = 'AttachmentRejectedError';
  readonly status: 413 | 415;
  constructor(status: 413 | 415, message: string, path = '') {
    super(message, { path });
    this.status = status;
  }
}

/** `Image/PNG; charset=x` → `image/png`. */
export function baseMimeType(mimeType: string): string {
  return mimeType.split(';')[0]!.trim().toLowerCase();
}

export function isImageMimeType(mimeType: string): boolean {
  return baseMimeType(mimeType).startsWith('image/');
}

export function checkMimeType(mimeType: string, policy: UploadPolicy, field = 'mime_type'): void {
  const type = baseMimeType(mimeType);
  const allowed = policy.allowedMimeTypes.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.endsWith('/*') ? type.startsWith(p.slice(0, -1)) : type === p;
  });
  if (!allowed) {
    throw new AttachmentRejectedError(
      415,
      `${field}: ${JSON.stringify(type || mimeType)} is not an accepted upload type; accepted: ${policy.allowedMimeTypes.join(', ')} (configure allowedMimeTypes to change this)`,
      field,
    );
  }
}

export function checkSize(size: number, policy: UploadPolicy, field = 'size'): void {
  if (size > policy.maxBytes) {
    throw new AttachmentRejectedError(
      413,
      `${field}: ${size} bytes exceeds the ${policy.maxBytes}-byte upload limit (configure maxBytes to change this)`,
      field,
    );
  }
}

/** Bytes kept arriving past the limit: a stream's size is only known while it is read. */
export function fileTooLarge(maxBytes: number): AttachmentRejectedError {
  return new AttachmentRejectedError(413, `file: larger than the ${maxBytes}-byte upload limit (configure maxBytes to change this)`, 'file');
}

/**
 * A display name must be a plain file name. Names with path parts are
 * refused rather than cleaned, so nobody mistakes one for a location
 * (the name never reaches the file system either way).
 */
export function checkDisplayName(name: string, field = 'name'): void {
  const problem = displayNameProblem(name);
  if (problem) {
    throw new ChatKitRequestError(`${field}: the file name ${problem}; send the bare file name, e.g. "report.pdf"`, {
      path: field,
    });
  }
}

function displayNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 255) return 'must be at most 255 characters';
  if (/[/\\]/.test(name)) return 'must not contain "/" or "\\"';
  if (name === '.') return 'must not be "." (that names a directory)';
  if (name.includes('..')) return 'must not contain ".."';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain control characters';
  return undefined;
}

/** Attachment ids become file names and object keys, so only a conservative alphabet is accepted. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Throws `NotFoundError` for ids that could not have been generated here (and so never name a file or key). */
export function checkAttachmentId(attachmentId: string): void {
  if (!SAFE_ID.test(attachmentId)) throw new NotFoundError(`Attachment ${JSON.stringify(attachmentId)} not found`);
}

/** What `attachments.create` announces, checked before any byte arrives. */
export function checkAnnouncedUpload(input: { name: string; size: number; mime_type: string }, policy: UploadPolicy): void {
  checkDisplayName(input.name, 'params.name');
  checkMimeType(input.mime_type, policy, 'params.mime_type');
  checkSize(input.size, policy, 'params.size');
}

/** A direct upload's file part: its name and type (its size is counted while it is stored). */
export function checkDirectUpload(file: { name: string; mimeType: string }, policy: UploadPolicy): void {
  checkDisplayName(file.name, 'file.filename');
  checkMimeType(file.mimeType, policy, 'file.mimetype');
}
