/**
 * The whole conversation surface in Chromium, against the real plugin over
 * TCP with a server that sends every kind of event (support/gallery-server.ts):
 * the widget catalogue with form values reaching the action, sync and client
 * actions, a streaming widget, workflow/progress/notice, locked and closed
 * threads, a custom error, feedback, retry, attachments by both upload
 * strategies, thread paging/rename/delete and history paging.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FileAttachmentStore, MemoryStore } from '../../src/runtime/index.js';
import { post, startApp, type Running } from '../http/support.js';
import { ensurePlaygroundBuilt } from './support/build.js';
import { launchBrowser, offlinePage, screenshot, watchTexts } from './support/browser.js';
import { GalleryServer } from './support/gallery-server.js';

let backend: Running;
let server: GalleryServer;
let uploads: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let offRequests: string[];

const lastItem = (type: string) => page.locator(`.item[data-item-type="${type}"]`).last();

async function send(text: string): Promise<void> {
  await page.getByLabel('Message').fill(text);
  await page.getByLabel('Message').press('Enter');
}

async function newThread(): Promise<void> {
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('heading', { name: 'New thread' }).waitFor();
}

/** The request body of the newest inspector entry with this label. */
async function lastRequest(label: string): Promise<{ type: string; params: Record<string, any> }> {
  const entry = page.locator(`.req[data-label="${label}"]`).first();
  if (!(await entry.getAttribute('open'))) await entry.locator('summary').click();
  return JSON.parse(await entry.locator('pre[aria-label="request body"]').innerText());
}

beforeAll(async () => {
  await ensurePlaygroundBuilt();
  uploads = await mkdtemp(join(tmpdir(), 'playground-uploads-'));
  server = new GalleryServer(new MemoryStore(), new FileAttachmentStore({ dir: uploads }));
  server.logger = { error() {}, warn() {} };
  backend = await startApp({ server: server as never, playground: true });
  browser = await launchBrowser();
  ({ context, page, offRequests } = await offlinePage(browser, backend.url));
  await page.goto(`${backend.url}/`);
  await page.getByRole('heading', { name: 'New thread' }).waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await backend?.close();
  await rm(uploads, { recursive: true, force: true });
});

describe('playground surface', () => {
  it('renders every widget component, an unknown one as labelled JSON, and sends form values with the action', async () => {
    await send('show the catalogue');
    const widget = lastItem('widget');
    await widget.locator('.w-card').waitFor();
    await expect(widget.locator('.w-title').innerText()).resolves.toBe('Widget catalogue');
    await expect(widget.locator('.w-caption').innerText()).resolves.toBe('A caption under the title');
    await expect(widget.locator('.w-badge').allInnerTexts()).resolves.toEqual(['new', 'risky']);
    await expect(widget.locator('.w-markdown strong').innerText()).resolves.toBe('bold');
    await expect(widget.locator('img.w-image').getAttribute('alt')).resolves.toBe('a pixel');
    await expect(widget.locator('.w-status').innerText()).resolves.toContain('Every component');
    await expect(widget.locator('.w-unknown summary').innerText()).resolves.toBe('Unknown component: Chart');
    await expect(widget.locator('.w-unknown pre').innerText()).resolves.toContain('"series": []');
    await expect(widget.getByLabel('Notes').inputValue()).resolves.toBe('first line');
    await expect(widget.locator('select[name="size"]').inputValue()).resolves.toBe('m');
    await expect(widget.locator('input[name="when"]').inputValue()).resolves.toBe('2026-12-24');
    await screenshot(page, 'surface-1-catalogue');

    await widget.getByLabel('Your name').fill('Grace');
    await widget.locator('select[name="size"]').selectOption('l');
    await widget.getByLabel('Subscribe').check();
    await widget.getByLabel('Green').check();
    await widget.getByRole('button', { name: 'Submit' }).click();
    await widget.locator('.w-title', { hasText: 'Received form.submit' }).waitFor();
    const sent = await lastRequest('threads.custom_action');
    expect(sent.params.action).toEqual({
      type: 'form.submit',
      payload: { source: 'catalogue', person: { name: 'Grace' }, notes: 'first line', size: 'l', subscribe: true, color: 'green', when: '2026-12-24' },
    });
    await expect(widget.locator('pre').innerText()).resolves.toContain('"person":{"name":"Grace"}');
  });

  it('sends a sync action and shows the updated item; a client action is explained, not sent', async () => {
    await send('catalogue again');
    await page.locator('.item-widget .w-title', { hasText: 'Widget catalogue' }).waitFor();
    const widget = lastItem('widget');
    const requestsBefore = await page.locator('.req').count();
    await widget.getByRole('button', { name: 'Client only' }).click();
    await page.locator('.notice', { hasText: 'open.url' }).waitFor();
    expect(await page.locator('.req').count()).toBe(requestsBefore);
    await widget.getByRole('button', { name: 'Sync check' }).click();
    await lastItem('widget').locator('.w-text', { hasText: 'Synced sync.check' }).waitFor();
    expect((await lastRequest('threads.sync_custom_action')).params.action.type).toBe('sync.check');
  });

  it('applies streaming widget updates as they come', async () => {
    const shown = await watchTexts(page, '.item-widget [data-component-id="body"]');
    await send('stream widget');
    await page.locator('.item-widget [data-component-id="body"].streaming').waitFor();
    await screenshot(page, 'surface-2-streaming-widget');
    await lastItem('widget').getByRole('button', { name: 'Send it' }).waitFor();
    await expect(lastItem('widget').locator('[data-component-id="body"]').innerText()).resolves.toBe('Dear Ada, hello.');
    // Each delta was shown as it came (they are 250 ms apart), then the root update.
    const texts = await shown();
    expect(texts).toEqual(expect.arrayContaining(['Dear', 'Dear Ada,', 'Dear Ada, hello.']));
    expect(texts.indexOf('Dear')).toBeLessThan(texts.indexOf('Dear Ada, hello.'));
  });

  it('shows progress, a workflow with its tasks, and a notice', async () => {
    await send('run the workflow');
    await page.locator('.progress', { hasText: 'Planning the work…' }).waitFor();
    await lastItem('assistant_message').filter({ hasText: 'Workflow finished.' }).waitFor();
    const workflow = lastItem('workflow');
    await expect(workflow.locator('summary').innerText()).resolves.toContain('Did 2 things');
    await workflow.locator('summary').click();
    await expect(workflow.locator('.task-title').allInnerTexts()).resolves.toEqual(['Step one', expect.stringContaining('Thinking')]);
    await expect(page.locator('.notice-warning').innerText()).resolves.toContain('You are near your limit.');
    await expect(page.locator('.notice-warning strong').allInnerTexts()).resolves.toEqual(['Heads up', 'limit']);
    await expect(page.locator('.progress').count()).resolves.toBe(0);
    await screenshot(page, 'surface-3-workflow-notice');
  });

  it('records feedback and retries after the previous user message', async () => {
    const answer = lastItem('assistant_message');
    await answer.getByRole('button', { name: /Good response/ }).click();
    await expect.poll(() => server.feedback.length).toBe(1);
    expect(server.feedback[0]).toEqual({ itemIds: [await answer.getAttribute('data-item-id')], kind: 'positive' });
    await expect.poll(() => answer.getByRole('button', { name: /Good response/ }).getAttribute('aria-pressed')).toBe('true');

    const userId = await lastItem('user_message').getAttribute('data-item-id');
    await answer.getByRole('button', { name: 'Retry' }).click();
    await page.locator('.req[data-label="threads.retry_after_item"]').first().locator('.req-status[data-status="200"]').waitFor();
    expect((await lastRequest('threads.retry_after_item')).params.item_id).toBe(userId);
    await lastItem('assistant_message').filter({ hasText: 'Workflow finished.' }).waitFor();
  });

  it('answers a structured input and lists an answer\'s sources', async () => {
    await send('ask me a question');
    const form = page.locator('.structured-input[data-status="pending"]');
    await form.waitFor();
    await form.getByLabel('High').check();
    await form.getByLabel('Notes?').fill('by Friday');
    await screenshot(page, 'surface-structured-input');
    await form.getByRole('button', { name: /^Answer/ }).click();
    await lastItem('assistant_message').filter({ hasText: 'Answers received.' }).waitFor();
    expect((await lastRequest('threads.add_structured_input')).params.input).toEqual({ status: 'answered', answers: { prio: { values: ['High'] }, notes: { values: ['by Friday'] } } });
    const answered = page.locator('.structured-input[data-status="answered"]');
    await expect(answered.locator('.answer').allInnerTexts()).resolves.toEqual(['High', 'by Friday']);

    await send('cite your sources');
    await lastItem('assistant_message').filter({ hasText: 'According to the docs.' }).waitFor();
    await expect(lastItem('assistant_message').locator('.annotations a').getAttribute('href')).resolves.toBe('https://example.com/docs');
  });

  it('shows a custom error with its message and no retry', async () => {
    await send('over quota');
    const error = page.locator('.stream-error[data-code="custom"]');
    await error.waitFor();
    await expect(error.innerText()).resolves.toContain('Quota exceeded');
    await expect(error.getAttribute('data-allow-retry')).resolves.toBe('false');
    await expect(error.getByRole('button', { name: 'Retry' }).count()).resolves.toBe(0);
  });

  it('disables the composer on a locked thread and replaces it on a closed one', async () => {
    await newThread();
    await send('please lock');
    await page.locator('.chat-header [data-thread-status="locked"]').waitFor();
    await expect(page.getByLabel('Message').isDisabled()).resolves.toBe(true);
    await expect(page.getByLabel('Message').getAttribute('placeholder')).resolves.toBe('Escalated to a human');
    await newThread();
    await expect(page.getByLabel('Message').isDisabled()).resolves.toBe(false);
    await send('please close');
    await page.locator('.status-banner', { hasText: 'This case is closed.' }).waitFor();
    await expect(page.locator('form.composer').isHidden()).resolves.toBe(true);
    await screenshot(page, 'surface-4-closed');
  });

  it('uploads attachments through the upload route and sends them with the message', async () => {
    await newThread();
    await page.locator('input[type="file"]').setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello file') }]);
    await page.locator('.composer .attachment-chip', { hasText: 'notes.txt' }).waitFor();
    await send('here is a file');
    await lastItem('assistant_message').filter({ hasText: 'Got 1 attachment(s): notes.txt' }).waitFor();
    await expect(lastItem('user_message').locator('.attachment-chip').innerText()).resolves.toContain('notes.txt');
    const upload = page.locator('.req[data-label="upload (direct)"]').first();
    await expect(upload.locator('.req-status').innerText()).resolves.toBe('200');
    const created = await lastRequest('threads.create');
    expect(created.params.input.attachments).toHaveLength(1);
  });

  it('uploads two-phase when chosen: attachments.create, then the bytes to the URL it answered', async () => {
    await newThread();
    await expect(page.getByLabel('Upload strategy').inputValue()).resolves.toBe('direct');
    await page.getByLabel('Upload strategy').selectOption('two_phase');
    await page.locator('input[type="file"]').setInputFiles([{ name: 'data.json', mimeType: 'application/json', buffer: Buffer.from('{"a":1}') }]);
    await page.locator('.composer .attachment-chip', { hasText: 'data.json' }).waitFor();
    const created = await lastRequest('attachments.create');
    expect(created.params).toEqual({ name: 'data.json', size: 7, mime_type: 'application/json' });
    const upload = page.locator('.req[data-label="upload (two-phase)"]').first();
    await expect(upload.locator('.req-status').innerText()).resolves.toBe('200');
    await send('two-phase file');
    await lastItem('assistant_message').filter({ hasText: 'Got 1 attachment(s): data.json' }).waitFor();
    expect((await lastRequest('threads.create')).params.input.attachments).toHaveLength(1);
  });

  it('pages through history newest first, loading older items on demand', async () => {
    await newThread();
    await send('long history');
    await lastItem('assistant_message').filter({ hasText: 'History line 25' }).waitFor();
    await page.reload();
    await lastItem('assistant_message').filter({ hasText: 'History line 25' }).waitFor();
    const list = await lastRequest('items.list');
    expect(list.params).toMatchObject({ order: 'desc', limit: 20 });
    await expect(page.locator('.item').count()).resolves.toBe(20);
    await expect(page.locator('.item').first().innerText()).resolves.toContain('History line 6');
    await page.getByRole('button', { name: 'Load older messages' }).click();
    await expect.poll(() => page.locator('.item').count()).toBe(26);
    await expect(page.locator('.item').first().innerText()).resolves.toContain('long history');
    await expect(page.getByRole('button', { name: 'Load older messages' }).count()).resolves.toBe(0);
  });

  it('lists threads with paging, renames and deletes them', async () => {
    for (let i = 0; i < 16; i++) {
      const response = await post(backend.endpoint, { type: 'threads.create', params: { input: { content: [{ type: 'input_text', text: `bulk ${i}` }], attachments: [], inference_options: {} } } });
      await response.text();
    }
    await page.reload();
    await expect.poll(() => page.locator('.thread-list li').count()).toBe(20);
    const total = (await server.store.loadThreads(100, null, 'desc', { userId: undefined })).data.length;
    await page.getByRole('button', { name: 'Load more threads' }).click();
    await expect.poll(() => page.locator('.thread-list li').count()).toBe(total);

    const first = page.locator('.thread-list li').first();
    const id = await first.getAttribute('data-thread-id');
    await first.getByRole('button', { name: /^Rename/ }).click();
    await page.getByLabel('New title').fill('Renamed in the playground');
    await page.getByLabel('New title').press('Enter');
    await page.locator(`.thread-list li[data-thread-id="${id}"] .thread-title`, { hasText: 'Renamed in the playground' }).waitFor();
    expect((await server.store.loadThread(id!, { userId: undefined })).title).toBe('Renamed in the playground');

    await page.locator(`.thread-list li[data-thread-id="${id}"]`).getByRole('button', { name: /^Delete/ }).click();
    await page.locator(`.thread-list li[data-thread-id="${id}"]`).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator(`.thread-list li[data-thread-id="${id}"]`).count()).toBe(0);
    await expect(server.store.loadThread(id!, { userId: undefined })).rejects.toThrow();
    expect(offRequests).toEqual([]);
    await screenshot(page, 'surface-5-threads');
  });
});
