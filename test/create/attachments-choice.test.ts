/**
 * `--attachments local|s3`: the S3 project builds an S3AttachmentStore and a
 * Redis-backed rate limit from its environment, lists exactly the libraries
 * those load, and documents the variables; the local project carries none of
 * them. Checked on the planned files (the full generated-project run is in
 * e2e and the two-instance test).
 */
import { describe, expect, it } from 'vitest';
import { ALL_LAYERS } from '../../src/cli/create/layers.js';
import { planFiles } from '../../src/cli/create/plan.js';
import { readLayers } from '../../src/cli/create/template-files.js';
import { equivalentCommand } from '../../src/cli/create/settings.js';
import { parseCommandLine } from '../../src/cli/create/flags.js';
import { ownPackageJson } from '../../src/cli/shared/own-package.js';
import { settings } from './helpers.js';

const own = ownPackageJson();
const layers = await readLayers(ALL_LAYERS);
const S3_LIBRARIES = ['@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner', 'ioredis'];

function filesFor(attachments: 'local' | 's3') {
  const plan = planFiles(settings({ attachments, store: 'postgres', template: 'basic' }), layers, own);
  const text = (path: string) => plan.files.find((file) => file.path === path)!.contents.toString('utf8');
  return { pkg: JSON.parse(text('package.json')) as { dependencies: Record<string, string> }, app: text('src/app.ts'), env: text('.env'), example: text('.env.example'), readme: text('README.md') };
}

describe('--attachments', () => {
  it('s3: the store, the Redis limit, their libraries (at our versions), variables and README section', () => {
    const { pkg, app, env, example, readme } = filesFor('s3');
    for (const name of S3_LIBRARIES) expect(pkg.dependencies[name], name).toBe((own.devDependencies as Record<string, string>)[name]);
    expect(app).toContain("from 'create-chatkit-backend/attachments/s3'");
    expect(app).toContain('s3AttachmentStoreFromEnv<RequestContext>({}, env)');
    expect(app).toContain('new RedisRateLimitStore({ url: env.REDIS_URL })');
    expect(app).not.toContain('FileAttachmentStore');
    for (const file of [env, example]) {
      for (const name of ['CHATKIT_S3_BUCKET', 'AWS_REGION', 'CHATKIT_RATE_LIMIT', 'REDIS_URL']) expect(file).toMatch(new RegExp(`^${name}=`, 'm'));
      expect(file).toMatch(/^AWS_SECRET_ACCESS_KEY=$/m);
      expect(file).not.toContain('CHATKIT_UPLOAD_DIR');
    }
    expect(readme).toContain('## Uploads and limits');
    expect(readme).toContain('presigned PUT URL');
  });

  it('local: the file store with its signing secret and an in-process limit, and none of the S3 or Redis libraries', () => {
    const { pkg, app, env, readme } = filesFor('local');
    for (const name of S3_LIBRARIES) expect(pkg.dependencies[name], name).toBeUndefined();
    expect(app).toContain('new FileAttachmentStore<RequestContext>');
    expect(app).toContain('signingSecret: env.CHATKIT_UPLOAD_SECRET');
    expect(app).not.toMatch(/attachments\/s3|rate-limit\/redis/);
    expect(env).toMatch(/^# CHATKIT_UPLOAD_SECRET=$/m);
    expect(env).toMatch(/^CHATKIT_RATE_LIMIT=20\/min$/m);
    expect(env).not.toContain('REDIS_URL');
    expect(readme).toContain('--attachments s3');
  });

  it('is a flag with choices, and part of the equivalent command', () => {
    const parsed = parseCommandLine(['app', '--attachments', 's3'], '0.0.0');
    expect(parsed).toMatchObject({ kind: 'flags', flags: { attachments: 's3' } });
    expect(() => parseCommandLine(['app', '--attachments', 'gcs'], '0.0.0')).toThrow(/--attachments.*gcs.*Allowed choices are local, s3/s);
    expect(equivalentCommand(settings({ attachments: 's3' }))).toContain('--attachments s3');
  });
});
