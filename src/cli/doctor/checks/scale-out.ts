/**
 * Shared configuration for running more than once: a store that signs
 * preview URLs needs the same `CHATKIT_UPLOAD_SECRET` on every instance (and
 * refuses to start in production without it), an S3 store needs its bucket,
 * and a rate limit is only shared between instances through `REDIS_URL`.
 * Read from the project's source (which store it builds) and its environment.
 */
import { UPLOAD_SECRET_VARIABLE } from '../../../runtime/attachments/signing-secret.js';
import { readFiles, SOURCE_FILE } from '../files.js';
import type { Check, CheckOutcome } from '../types.js';

const DOCS = 'docs/deploy.md';
const MIN_SECRET_LENGTH = 32;

export const scaleOutCheck: Check = {
  id: 'scale-out',
  title: 'Shared secrets and stores for production',
  category: 'security',
  async run(ctx) {
    if (!ctx.root) return { status: 'skip', message: 'not run inside a project (no source to read)' };
    const source = readFiles(ctx.root, 'src', SOURCE_FILE)
      .map((file) => file.text)
      .join('\n');
    const usesFileStore = /\bnew\s+FileAttachmentStore\b/.test(source);
    const usesS3 = /\bS3AttachmentStore\b|\bs3AttachmentStoreFromEnv\b/.test(source);
    const values = ctx.env.values;
    const evidence: string[] = [];
    const problems: CheckOutcome[] = [];

    if (usesFileStore) {
      const secret = values[UPLOAD_SECRET_VARIABLE];
      if (!secret && values.NODE_ENV === 'production') {
        problems.push({
          status: 'fail',
          message: `${UPLOAD_SECRET_VARIABLE} is not set: the server refuses to start with NODE_ENV=production`,
          fix: [`Set ${UPLOAD_SECRET_VARIABLE} to the output of \`openssl rand -hex 32\`, the same value on every instance.`],
        });
      } else if (!secret) {
        // Development (and CI) work without it: the key is random per process. Said, not flagged.
        evidence.push(`${UPLOAD_SECRET_VARIABLE}: not set; previews use a per-process key here, and a deployed server (NODE_ENV=production) refuses to start without it`);
      } else if (secret.length < MIN_SECRET_LENGTH) {
        problems.push({
          status: 'fail',
          message: `${UPLOAD_SECRET_VARIABLE} is ${secret.length} characters; the store refuses fewer than ${MIN_SECRET_LENGTH}`,
          fix: [`Replace it with the output of \`openssl rand -hex 32\`.`],
        });
      } else {
        evidence.push(`${UPLOAD_SECRET_VARIABLE}: set by ${ctx.env.sources[UPLOAD_SECRET_VARIABLE]} (${secret.length} characters)`);
      }
    }
    if (usesS3) {
      if (!values.CHATKIT_S3_BUCKET) {
        problems.push({
          status: 'fail',
          message: 'the project stores attachments in S3 but CHATKIT_S3_BUCKET is not set',
          fix: ['Set CHATKIT_S3_BUCKET (and CHATKIT_S3_ENDPOINT for R2 or MinIO, AWS_REGION, and credentials) as in .env.example.'],
        });
      } else {
        evidence.push(`CHATKIT_S3_BUCKET: set by ${ctx.env.sources.CHATKIT_S3_BUCKET}${values.CHATKIT_S3_ENDPOINT ? `, endpoint ${values.CHATKIT_S3_ENDPOINT}` : ''}`);
      }
    }
    if (values.CHATKIT_RATE_LIMIT && values.CHATKIT_RATE_LIMIT !== 'off') {
      evidence.push(
        values.REDIS_URL
          ? `CHATKIT_RATE_LIMIT=${values.CHATKIT_RATE_LIMIT}, counted in Redis (REDIS_URL set by ${ctx.env.sources.REDIS_URL})`
          : `CHATKIT_RATE_LIMIT=${values.CHATKIT_RATE_LIMIT}, counted per process (no REDIS_URL): with several instances each allows the full limit`,
      );
    }
    if (!usesFileStore && !usesS3) evidence.push('no attachment store that signs URLs');

    const worst = problems.find((p) => p.status === 'fail') ?? problems[0];
    if (worst) {
      return {
        status: worst.status,
        message: problems.map((p) => p.message).join('; '),
        evidence,
        fix: problems.flatMap((p) => p.fix ?? []),
        docs: DOCS,
      };
    }
    return { status: 'pass', message: 'every secret and store several instances must share is configured', evidence, docs: DOCS };
  },
};
