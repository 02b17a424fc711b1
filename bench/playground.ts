/**
 * `npm run bench:playground`: the playground's weight and how fast it is
 * usable on localhost. Prints the built assets' bytes (raw and gzipped), what
 * they add to the installed package (budget: 10 MB for the whole package),
 * and, in Chromium over the real plugin, the median time from navigation to
 * the playground being ready (threads listed, composer shown) against a
 * baseline measured in the same run: the first paint of a minimal static page
 * served by the same Fastify app.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { chromium } from 'playwright-core';
import chatkit from '../src/http/index.js';
import { PLAYGROUND_ASSETS_DIR } from '../src/http/playground.js';
import { ChatKitServer, MemoryStore } from '../src/runtime/index.js';
import { ensurePlaygroundBuilt } from '../test/playground/support/build.js';

const RUNS = 7;
const PACKAGE_BUDGET_BYTES = 10 * 1024 * 1024;

class Silent extends ChatKitServer<any> {
  async *respond() {}
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await ensurePlaygroundBuilt();
let raw = 0;
let gzipped = 0;
const rows: string[] = [];
for (const entry of await readdir(PLAYGROUND_ASSETS_DIR, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const path = join(entry.parentPath, entry.name);
  const bytes = await readFile(path);
  const gz = gzipSync(bytes, { level: 9 }).length;
  raw += (await stat(path)).size;
  gzipped += gz;
  rows.push(`  ${path.slice(PLAYGROUND_ASSETS_DIR.length).padEnd(46)} ${String(bytes.length).padStart(7)} B  ${String(gz).padStart(6)} B gzipped`);
}
console.log('playground assets (dist/playground)');
console.log(rows.join('\n'));
console.log(`  total ${raw} B, ${gzipped} B gzipped; ${((raw / PACKAGE_BUDGET_BYTES) * 100).toFixed(2)}% of the 10 MB package budget`);

const server = new Silent(new MemoryStore());
const app = Fastify();
await app.register(chatkit, { server, playground: true });
app.get('/baseline', async (_request, reply) => reply.type('text/html').send('<!doctype html><title>baseline</title><p>baseline</p>'));
await app.listen({ port: 0, host: '127.0.0.1' });
const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const baseline: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/baseline`);
    baseline.push(await page.evaluate(() => new Promise<number>((resolve) => {
      new PerformanceObserver((list) => resolve(list.getEntries()[0]!.startTime)).observe({ type: 'paint', buffered: true });
    })));
    // Recorded in the page the moment the thread list and composer are in place (no polling delay).
    await page.addInitScript(() => {
      new MutationObserver((_changes, observer) => {
        if (document.querySelector('.thread-list p, .thread-list ul') && document.querySelector('form.composer')) {
          (window as unknown as { readyAt: number }).readyAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${origin}/`);
    await page.getByText('No threads yet.').waitFor();
    ready.push(await page.evaluate(() => (window as unknown as { readyAt: number }).readyAt));
    await context.close();
  }
  const b = median(baseline);
  const r = median(ready);
  console.log(`\nlocalhost, median of ${RUNS} cold page loads in Chromium`);
  console.log(`  baseline: first paint of a static page   ${b.toFixed(0)} ms`);
  console.log(`  playground ready (threads + composer)     ${r.toFixed(0)} ms  (${(r / b).toFixed(2)}× the baseline)`);
} finally {
  await browser.close();
  await app.close();
}
