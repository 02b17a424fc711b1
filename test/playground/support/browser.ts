/**
 * Debian's Chromium through playwright-core, offline: every request that is
 * not to the backend under test fails, so the page proves it needs no CDN.
 * Screenshots go to PLAYGROUND_SCREENSHOTS (default: a temp directory) to be
 * looked at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = process.env.PLAYGROUND_SCREENSHOTS ?? join(tmpdir(), 'playground-screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is needed for the playground tests and was not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A page that can reach `origin` and nothing else; `offRequests` lists what it tried to reach elsewhere. */
export async function offlinePage(browser: Browser, origin: string, alsoReachable: string[] = []): Promise<{ context: BrowserContext; page: Page; offRequests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const offRequests: string[] = [];
  const reachable = [origin, ...alsoReachable, 'data:'];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (reachable.some((prefix) => url.startsWith(prefix))) return route.continue();
    offRequests.push(url);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  return { context, page, offRequests };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * Records every distinct text the last element matching `selector` shows, as
 * the page changes: proof that content arrived in steps, without racing the
 * stream with reads from the test.
 */
export async function watchTexts(page: Page, selector: string): Promise<() => Promise<string[]>> {
  const key = `watch:${selector}`;
  await page.evaluate(([sel, name]) => {
    const seen: string[] = [];
    (window as unknown as Record<string, string[]>)[name!] = seen;
    new MutationObserver(() => {
      const text = [...document.querySelectorAll(sel!)].pop()?.textContent ?? '';
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, [selector, key]);
  return () => page.evaluate((name) => (window as unknown as Record<string, string[]>)[name]!, key);
}
