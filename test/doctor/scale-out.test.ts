/**
 * The scale-out check through the real command: a project whose store signs
 * preview URLs needs CHATKIT_UPLOAD_SECRET (fatal in production), an S3
 * project needs its bucket, and a rate limit without REDIS_URL is per process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkOf, doctor, makeProject, type Fixture } from './support.js';

const fixtures: Fixture[] = [];
const project = (files: Record<string, string>) => {
  const fixture = makeProject(files);
  fixtures.push(fixture);
  return fixture;
};
afterEach(() => {
  for (const fixture of fixtures.splice(0)) fixture.remove();
});

const FILE_STORE_SOURCE = "import { FileAttachmentStore } from 'create-chatkit-backend/runtime';\nexport const files = new FileAttachmentStore();\n";
const S3_SOURCE = "import { s3AttachmentStoreFromEnv } from 'create-chatkit-backend/attachments/s3';\nexport const files = s3AttachmentStoreFromEnv();\n";
const SECRET = 'a'.repeat(64);

describe('scale-out', () => {
  it('says a file-store project has no CHATKIT_UPLOAD_SECRET (development and CI work without), and fails under NODE_ENV=production', async () => {
    const f = project({ 'src/attachments.ts': FILE_STORE_SOURCE, '.env': 'CHATKIT_MODEL_PROVIDER=scripted\n' });
    const local = await doctor(['scale-out', '--json', '--cwd', f.dir, '--strict']);
    expect(checkOf(local.report, 'scale-out')).toMatchObject({ status: 'pass', evidence: [expect.stringContaining('CHATKIT_UPLOAD_SECRET: not set; previews use a per-process key here')] });
    expect(local.code).toBe(0);
    const production = await doctor(['scale-out', '--json', '--cwd', f.dir], { NODE_ENV: 'production' });
    expect(checkOf(production.report, 'scale-out')).toMatchObject({ status: 'fail', message: expect.stringContaining('refuses to start with NODE_ENV=production') });
    expect(checkOf(production.report, 'scale-out').fix).toEqual([expect.stringContaining('openssl rand -hex 32')]);
    expect(production.code).toBe(1);
  });

  it('fails a short secret and passes a long one without printing it', async () => {
    const short = project({ 'src/attachments.ts': FILE_STORE_SOURCE, '.env': 'CHATKIT_UPLOAD_SECRET=tooshort\n' });
    expect(checkOf((await doctor(['scale-out', '--json', '--cwd', short.dir])).report, 'scale-out')).toMatchObject({ status: 'fail', message: expect.stringContaining('8 characters') });
    const good = project({ 'src/attachments.ts': FILE_STORE_SOURCE, '.env': `CHATKIT_UPLOAD_SECRET=${SECRET}\n` });
    const { stdout, report, code } = await doctor(['scale-out', '--json', '--cwd', good.dir]);
    expect(checkOf(report, 'scale-out')).toMatchObject({ status: 'pass', evidence: ['CHATKIT_UPLOAD_SECRET: set by .env (64 characters)'] });
    expect(stdout).not.toContain(SECRET);
    expect(code).toBe(0);
  });

  it('fails an S3 project without CHATKIT_S3_BUCKET, and says a rate limit without REDIS_URL is per process', async () => {
    const f = project({ 'src/attachments.ts': S3_SOURCE, '.env': 'CHATKIT_RATE_LIMIT=20/min\n' });
    const check = checkOf((await doctor(['scale-out', '--json', '--cwd', f.dir])).report, 'scale-out');
    expect(check).toMatchObject({ status: 'fail', message: expect.stringContaining('CHATKIT_S3_BUCKET is not set') });
    expect(check.evidence).toContain('CHATKIT_RATE_LIMIT=20/min, counted per process (no REDIS_URL): with several instances each allows the full limit');
    const ok = project({ 'src/attachments.ts': S3_SOURCE, '.env': 'CHATKIT_S3_BUCKET=uploads\nCHATKIT_RATE_LIMIT=20/min\nREDIS_URL=redis://127.0.0.1:6379\n' });
    expect(checkOf((await doctor(['scale-out', '--json', '--cwd', ok.dir])).report, 'scale-out')).toMatchObject({ status: 'pass' });
  });
});
