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
  checkDisplayName,
  checkMimeType,
  checkSize,
  fileTooLarge,
  isImageMimeType,
  type UploadPolicy,
} from './policy.js';
