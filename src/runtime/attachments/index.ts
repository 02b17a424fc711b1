/** Attachment byte storage for the Fastify plugin's upload routes. */
export {
  FileAttachmentStore,
  DEFAULT_UPLOAD_DIR,
  DEFAULT_UPLOAD_PATH,
  DEFAULT_PREVIEW_URL_TTL_SECONDS,
  type FileAttachmentStoreOptions,
} from './filesystem-store.js';
export {
  AttachmentRejectedError,
  DEFAULT_ALLOWED_MIME_TYPES,
  DEFAULT_MAX_UPLOAD_BYTES,
  baseMimeType,
  checkAnnouncedUpload,
  checkAttachmentId,
  checkDirectUpload,
  checkDisplayName,
  checkMimeType,
  checkSize,
  fileTooLarge,
  isImageMimeType,
  type UploadPolicy,
} from './policy.js';
export { isAttachmentByteStore, type AttachmentByteStore, type StoredBytes } from './byte-store.js';
export { MissingSigningSecretError, UPLOAD_SECRET_VARIABLE } from './signing-secret.js';
