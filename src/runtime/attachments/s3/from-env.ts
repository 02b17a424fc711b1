/**
 * An `S3AttachmentStore` configured from the environment, as generated
 * projects do. Credentials are not read here: the AWS SDK finds
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (or a shared profile, or an
 * instance role) itself.
 */
import { S3AttachmentStore, type S3AttachmentStoreOptions } from './s3-store.js';

export const S3_ENV = {
  bucket: 'CHATKIT_S3_BUCKET',
  region: 'AWS_REGION',
  endpoint: 'CHATKIT_S3_ENDPOINT',
  forcePathStyle: 'CHATKIT_S3_FORCE_PATH_STYLE',
  prefix: 'CHATKIT_S3_PREFIX',
} as const;

export function s3AttachmentStoreFromEnv<TContext = unknown>(
  overrides: Partial<S3AttachmentStoreOptions> = {},
  env: NodeJS.ProcessEnv = process.env,
): S3AttachmentStore<TContext> {
  const bucket = overrides.bucket ?? env[S3_ENV.bucket];
  if (!bucket) {
    throw new TypeError(`S3AttachmentStore: ${S3_ENV.bucket} is not set; set it to the bucket attachments go to (see .env.example)`);
  }
  const endpoint = env[S3_ENV.endpoint];
  if (endpoint !== undefined && endpoint !== '') {
    try {
      new URL(endpoint);
    } catch {
      throw new TypeError(`S3AttachmentStore: ${S3_ENV.endpoint} is not a URL (got ${JSON.stringify(endpoint)}); write e.g. http://localhost:9000`);
    }
  }
  const pathStyle = env[S3_ENV.forcePathStyle];
  return new S3AttachmentStore<TContext>({
    bucket,
    ...(env[S3_ENV.region] ? { region: env[S3_ENV.region] } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(pathStyle === '1' || pathStyle === 'true' ? { forcePathStyle: true } : {}),
    ...(env[S3_ENV.prefix] ? { prefix: env[S3_ENV.prefix] } : {}),
    ...overrides,
  });
}
