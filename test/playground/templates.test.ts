/**
 * The playground over a real `dev` of the other templates with the scripted
 * model, in Chromium and offline: `basic` (no agent), `agent` with JWT auth
 * (the development token, two users side by side) and `multi-agent` (a
 * handoff before the task widget). Each streams a reply, shows a model error
 * as an error, and shows the same history after a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensurePlaygroundBuilt } from './support/build.js';
import { removeProject, startDevProject, type DevProject, type ProjectOptions } from './support/dev-project.js';
import { launchBrowser, offlinePage, screenshot } from './support/browser.js';

const CHATKIT_CDN_URL = 'https://cdn.platform.openai.com/deployments/chatkit/chatkit.js';
const STUB_CHATKIT = `
customElements.define('openai-chatkit', class extends HTMLElement {
  setOptions(options) {
    const api = options.api;
    window.chatkitOptions = { url: api.url, domainKey: api.domainKey, uploadStrategy: api.uploadStrategy, hasFetch: typeof api.fetch === 'function' };
    api.fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'threads.list', params: { limit: 5 } }) })
      .then(async (response) => {
        window.chatkitAnswer = { status: response.status, body: await response.json() };
        this.textContent = 'stub ChatKit answered ' + response.status;
      });
  }
});
`;

const FAIL_TURN = { when: 'fail', error: { status: 500, message: 'scripted failure' } };
const TEXT_TURN = { text: 'A streamed **answer** from the scripted model, in several words.', delayMs: 20 };

let browser: Browser;

beforeAll(async () => {
  await ensurePlaygroundBuilt();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message').fill(text);
  await page.getByLabel('Message').press('Enter');
}

const lastAssistant = (page: Page) => page.locator('.item-assistant').last();

/** Runs `dev` for one template for the duration of a describe block. */
function withDev(options: ProjectOptions): { dev: () => DevProject } {
  let dev: DevProject | undefined;
  beforeAll(async () => {
    dev = await startDevProject(options);
  }, 180_000);
  afterAll(async () => {
    await dev?.stop();
    if (dev) await removeProject(dev.dir);
  });
  return { dev: () => dev! };
}

/** Stream, error, reload: the part every template must pass. */
async function streamErrorReload(page: Page, name: string): Promise<void> {
  await send(page, 'hello there');
  await lastAssistant(page).filter({ hasText: 'several words.' }).waitFor();
  await expect(lastAssistant(page).locator('strong').innerText()).resolves.toBe('answer');
  await page.locator('.req[data-label="threads.create"] summary').first().click();
  const types = await page.locator('.req[data-label="threads.create"] .event-type').allInnerTexts();
  expect(types.filter((t) => t.endsWith('text_delta')).length).toBeGreaterThan(1);

  await send(page, 'now fail');
  const error = page.locator('.stream-error[data-code]');
  await error.waitFor();
  expect((await error.innerText()).length).toBeGreaterThan(10);
  await screenshot(page, `${name}-error`);

  const before = await page.locator('.item').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.itemId));
  await page.reload();
  await lastAssistant(page).filter({ hasText: 'several words.' }).waitFor();
  await expect.poll(() => page.locator('.item').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.itemId))).toEqual(before);
}

describe('basic template', () => {
  const { dev } = withDev({ template: 'basic', script: { turns: [FAIL_TURN, TEXT_TURN] } });

  it('streams, shows the model error, and keeps history across a reload', async () => {
    const { context, page, offRequests } = await offlinePage(browser, dev().url);
    await page.goto(`${dev().url}/`);
    await streamErrorReload(page, 'basic');
    // The project's own upload route (FileAttachmentStore), as ChatKit's direct strategy uses it.
    await page.locator('input[type="file"]').setInputFiles([{ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5a3b8c40000000049454e44ae426082', 'hex') }]);
    await page.locator('.composer .attachment-chip', { hasText: 'photo.png' }).waitFor();
    await send(page, 'with a picture');
    await page.locator('.item-user .attachment-chip', { hasText: 'photo.png' }).waitFor();
    await expect(page.locator('.req[data-label="upload (direct)"] .req-status').first().innerText()).resolves.toBe('200');
    await lastAssistant(page).filter({ hasText: 'several words.' }).last().waitFor();
    await screenshot(page, 'basic-attachment');
    expect(offRequests).toEqual([]);
    await context.close();
  });
});

describe('agent template with JWT auth', () => {
  const { dev } = withDev({ template: 'agent', auth: 'jwt', store: 'memory', script: { turns: [FAIL_TURN, TEXT_TURN] }, env: { VITE_CHATKIT_DOMAIN_KEY: 'domain_pk_playground_test' } });

  it('gets a development token for the chosen user and keeps two users apart', async () => {
    const { context, page, offRequests } = await offlinePage(browser, dev().url);
    await page.goto(`${dev().url}/?user=ada`);
    await expect(page.locator('[data-user-id]').innerText()).resolves.toBe('ada');
    await streamErrorReload(page, 'agent-jwt');
    const token = page.locator('.req[data-label="playground token"]').first();
    await token.locator('summary').click();
    // The inspector says a token was issued, without showing it.
    await expect(token.innerText()).resolves.toContain('(hidden)');

    const other = await context.newPage();
    await other.goto(`${dev().url}/?user=grace`);
    await other.getByText('No threads yet.').waitFor();
    await send(other, 'grace here');
    await other.locator('.item-assistant').filter({ hasText: 'several words.' }).waitFor();
    await expect.poll(() => other.locator('.thread-list li').count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.locator('.thread-list li').count()).toBe(1);
    await expect(page.locator('.thread-list .thread-title').innerText()).resolves.toContain('hello there');
    await screenshot(other, 'agent-jwt-second-user');
    expect(offRequests).toEqual([]);
    await context.close();
  });

  it('mounts the real ChatKit from the CDN with the project\'s api.url, upload strategy and domain key (CDN answered by a stub)', async () => {
    const { context, page } = await offlinePage(browser, dev().url);
    // Stands in for ChatKit.js: records the options it is given and sends one request through the configured fetch.
    await page.route(CHATKIT_CDN_URL, (route) => route.fulfill({ contentType: 'text/javascript', body: STUB_CHATKIT }));
    await page.goto(`${dev().url}/?view=chatkit&user=ada`);
    await expect(page.locator('.cdn-warning').innerText()).resolves.toMatch(/needs network access and an allowlisted domain/);
    await page.locator('openai-chatkit', { hasText: 'stub ChatKit answered 200' }).waitFor();
    const recorded = await page.evaluate(() => (window as unknown as { chatkitOptions: unknown }).chatkitOptions);
    expect(recorded).toEqual({
      url: `${dev().url}/chatkit/api`,
      domainKey: 'domain_pk_playground_test',
      uploadStrategy: { type: 'direct', uploadUrl: `${dev().url}/chatkit/api/upload` },
      hasFetch: true,
    });
    // The request went through the playground's fetch, so it carried ada's development token.
    const answered = await page.evaluate(() => (window as unknown as { chatkitAnswer: { status: number; body: { data: unknown[] } } }).chatkitAnswer);
    expect(answered.status).toBe(200);
    expect(answered.body.data.length).toBeGreaterThan(0);
    await screenshot(page, 'agent-jwt-cdn-view-stub');
    await context.close();
  });

  it('says plainly that the CDN view needs network when ChatKit.js cannot be loaded', async () => {
    const { context, page, offRequests } = await offlinePage(browser, dev().url);
    await page.goto(`${dev().url}/?view=chatkit`);
    await page.locator('.cdn-status.error').waitFor();
    await expect(page.locator('.cdn-status').innerText()).resolves.toMatch(/ChatKit\.js did not load: .*This view needs the internet/);
    expect(offRequests).toEqual([CHATKIT_CDN_URL]);
    await screenshot(page, 'agent-jwt-cdn-view-offline');
    await context.close();
  });

  it('the endpoint still refuses a request without a token', async () => {
    const response = await fetch(`${dev().url}/chatkit/api`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"threads.list","params":{}}' });
    expect(response.status).toBe(401);
  });
});

describe('multi-agent template', () => {
  const { dev } = withDev({
    template: 'multi-agent',
    script: {
      turns: [
        FAIL_TURN,
        { when: 'task', steps: [{ toolCalls: [{ name: 'transfer_to_task_manager', arguments: {} }] }, { toolCalls: [{ name: 'list_tasks', arguments: { status: null } }] }, { text: 'Here are your tasks.' }] },
        TEXT_TURN,
      ],
    },
  });

  it('streams, shows the task list after a handoff, the model error, and the same history after reload', async () => {
    const { context, page, offRequests } = await offlinePage(browser, dev().url);
    await page.goto(`${dev().url}/`);
    await streamErrorReload(page, 'multi-agent');
    await send(page, 'show my tasks');
    const list = page.locator('.item-widget .w-listview').last();
    await list.waitFor();
    await expect(list.locator('.w-badge').allInnerTexts()).resolves.toEqual(['done', 'open', 'open']);
    await lastAssistant(page).filter({ hasText: 'Here are your tasks.' }).waitFor();
    await screenshot(page, 'multi-agent-tasks');
    expect(offRequests).toEqual([]);
    await context.close();
  });
});
