/**
 * "Is the frontend CDN script loaded?" (the seed's checklist): ChatKit's
 * React component and `<openai-chatkit>` element render nothing until
 * ChatKit.js has loaded. A page under frontend/ (an index.html, or a
 * framework layout) in a frontend that renders ChatKit, with no file loading
 * the script, gets a warning with the exact tag to add.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFrontendSources, type ProjectFile } from '../files.js';
import type { Check } from '../types.js';

export const CHATKIT_SCRIPT_URL = 'https://cdn.platform.openai.com/deployments/chatkit/chatkit.js';
export const CHATKIT_SCRIPT_TAG = `<script src="${CHATKIT_SCRIPT_URL}" async></script>`;

const RENDERS_CHATKIT = /<openai-chatkit\b|createElement\(\s*['"]openai-chatkit['"]|\buseChatKit\s*\(|<ChatKit\b/;
/** A `<script>` / Next.js `<Script>` whose src is ChatKit.js, or an injected script with that URL. */
const LOADS_SCRIPT = /deployments\/chatkit\/chatkit\.js/;
/** Where a page's `<head>` is written: HTML pages and the layouts of Next.js, Remix, SvelteKit and Astro. */
const PAGE = /\.html$|(^|\/)(layout|_document|root|\+layout)\.[cm]?[jt]sx?$|\.astro$/;

/** Pure: what the frontend's files say. */
export function inspectChatKitScript(files: ProjectFile[]): { pages: string[]; renderers: string[]; loaders: string[] } {
  const withoutComments = (text: string) => text.replace(/<!--[\s\S]*?-->/g, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  return {
    pages: files.filter((file) => PAGE.test(file.path)).map((file) => file.path),
    renderers: files.filter((file) => RENDERS_CHATKIT.test(withoutComments(file.text))).map((file) => file.path),
    loaders: files.filter((file) => LOADS_SCRIPT.test(withoutComments(file.text))).map((file) => file.path),
  };
}

export const chatkitScriptCheck: Check = {
  id: 'chatkit-script',
  title: 'ChatKit.js script on the page',
  category: 'configuration',
  async run(ctx) {
    if (!ctx.root) return { status: 'skip', message: 'not run inside a project (no frontend/ to read)' };
    if (!existsSync(join(ctx.root, 'frontend'))) return { status: 'skip', message: 'no frontend/ directory in this project' };
    const { pages, renderers, loaders } = inspectChatKitScript(readFrontendSources(ctx.root));
    if (renderers.length === 0) return { status: 'skip', message: 'nothing under frontend/ renders ChatKit' };
    if (loaders.length > 0) return { status: 'pass', message: `ChatKit.js is loaded (${loaders.join(', ')})`, evidence: [`rendered in ${renderers.join(', ')}`] };
    if (pages.length === 0) {
      return {
        status: 'skip',
        message: 'no page under frontend/ to check (the component is copied into your app)',
        fix: [`Load ChatKit.js in the <head> of the page that shows ChatKit: ${CHATKIT_SCRIPT_TAG}`],
      };
    }
    return {
      status: 'warn',
      message: 'ChatKit is rendered but no page loads ChatKit.js: the chat stays blank',
      evidence: [`rendered in ${renderers.join(', ')}`, `pages without the script: ${pages.join(', ')}`],
      fix: [`Add to the <head> of ${pages[0]}: ${CHATKIT_SCRIPT_TAG}`],
      docs: 'https://openai.github.io/chatkit-js/quickstart',
    };
  },
};
