/**
 * The playground on a backend whose files go to S3: with the two-phase
 * strategy chosen, "+ File" asks `attachments.create` and PUTs the bytes
 * straight to the presigned bucket URL on another origin (the page's
 * credentials stay home), in Chromium, against a local S3 that checks the
 * signature and answers CORS as a configured bucket does.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { MemoryStore } from '../../src/runtime/index.js';
import { S3AttachmentStore } from '../../src/runtime/attachments/s3/index.js';
import { startApp, type Running } from '../http/support.js';
import { S3_ACCESS_KEY, S3_SECRET_KEY, startLocalS3, type LocalS3 } from '../support/s3-server.js';
import { ensurePlaygroundBuilt } from './support/build.js';
import { launchBrowser, offlinePage } from './support/browser.js';
import { GalleryServer } from './support/gallery-server.js';

let s3: LocalS3;
let store: S3AttachmentStore<Record<string, never>>;
let backend: Running;
let browser: Browser;
let page: Page;
let elsewhere: string[] = [];

beforeAll(async () => {
  await ensurePlaygroundBuilt();
  s3 = await startLocalS3('playground-uploads', { browserCors: true });
  store = new S3AttachmentStore({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET_KEY },
  });
  const server = new GalleryServer(new MemoryStore(), store as never);
  server.logger = { error() {}, warn() {} };
  backend = await startApp({ server: server as never, playground: true });
  browser = await launchBrowser();
  // Offline but for the backend and the bucket.
  ({ page, offRequests: elsewhere } = await offlinePage(browser, backend.url, [s3.endpoint]));
  await page.goto(`${backend.url}/`);
  await page.getByRole('heading', { name: 'New thread' }).waitFor();
}, 60_000);

afterAll(async () => {
  await Promise.all([browser?.close(), backend?.close()]);
  await s3?.close();
});

it('uploads two-phase to the bucket, and the message carries the attachment', async () => {
  const config = await (await fetch(`${backend.url}/playground-config.json`)).json();
  // S3AttachmentStore keeps bytes too (the upload route streams them to the bucket): both strategies.
  expect(config).toMatchObject({ uploadUrl: '/chatkit/api/upload', twoPhaseUploads: true });
  await page.getByLabel('Upload strategy').selectOption('two_phase');
  await expect(page.getByRole('button', { name: 'Attach files' }).getAttribute('title')).resolves.toMatch(/two-phase/);

  await page.locator('input[type="file"]').setInputFiles([{ name: 'cat.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') }]);
  await page.locator('.composer .attachment-chip', { hasText: 'cat.png' }).waitFor();
  const upload = page.locator('.req[data-label="upload (two-phase)"]').first();
  await expect(upload.locator('.req-status').innerText()).resolves.toBe('200');
  await upload.locator('summary').click();
  // Straight to the bucket, presigned: PUT http://127.0.0.1:<s3>/playground-uploads/…?X-Amz-Signature=…
  await expect(upload.locator('div.muted').first().innerText()).resolves.toMatch(new RegExp(`^PUT ${s3.endpoint}/playground-uploads/\\S+X-Amz-Signature=`));
  expect(s3.refused).toBe(0);

  await page.getByLabel('Message').fill('a picture');
  await page.getByLabel('Message').press('Enter');
  await page.locator('.item[data-item-type="assistant_message"]').filter({ hasText: 'Got 1 attachment(s): cat.png' }).waitFor();
  expect(elsewhere).toEqual([]);
});
