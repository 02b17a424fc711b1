/** `create-chatkit-backend/attachments/s3`: attachments in an S3-compatible bucket. Loads the AWS SDK, so it is its own entry point. */
export {
  S3AttachmentStore,
  DEFAULT_S3_PREFIX,
  DEFAULT_UPLOAD_URL_TTL_SECONDS,
  MAX_PRESIGNED_SECONDS,
  type S3AttachmentStoreOptions,
} from './s3-store.js';
export { s3AttachmentStoreFromEnv, S3_ENV } from './from-env.js';
