/**
 * The second view: the real ChatKit web component, loaded from OpenAI's CDN,
 * on this same backend with the project's `api.url`, its upload strategy and
 * the domain key from `.env`. Unlike the playground it needs network access,
 * and the domain key must be registered for this page's domain.
 */
import { h, replaceChildren } from './dom';
import type { Session } from './session';

export const CHATKIT_CDN_URL = 'https://cdn.platform.openai.com/deployments/chatkit/chatkit.js';
const LOAD_TIMEOUT_MS = 15_000;

interface ChatKitElement extends HTMLElement {
  setOptions(options: unknown): void;
}

function loadScript(): Promise<void> {
  if (customElements.get('openai-chatkit')) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = h('script', { attrs: { src: CHATKIT_CDN_URL, async: true } });
    const timer = setTimeout(() => reject(new Error(`no answer from ${CHATKIT_CDN_URL} after ${LOAD_TIMEOUT_MS / 1000}s`)), LOAD_TIMEOUT_MS);
    script.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error(`could not load ${CHATKIT_CDN_URL} (offline, or blocked)`));
    });
    document.head.append(script);
    void customElements.whenDefined('openai-chatkit').then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function mountChatKitView(root: HTMLElement, session: Session): void {
  const { config } = session;
  const absolute = (path: string) => new URL(path, location.href).href;
  const domainKey = config.domainKey ?? 'domain_pk_localhost_dev';
  const status = h('p', { class: 'cdn-status', attrs: { role: 'status' }, text: 'Loading ChatKit.js from the CDN…' });
  const host = h('div', { class: 'cdn-host' });
  replaceChildren(root,
    h('div', { class: 'cdn-warning', attrs: { role: 'note' } },
      h('strong', { text: 'This view needs network access and an allowlisted domain. ' }),
      `It loads the real ChatKit from OpenAI's CDN (${CHATKIT_CDN_URL}), the UI your users get. ChatKit checks the domain key `,
      h('code', { text: domainKey }),
      config.domainKey ? ' (VITE_CHATKIT_DOMAIN_KEY in .env)' : ' (the localhost placeholder: VITE_CHATKIT_DOMAIN_KEY is not set)',
      ` against OpenAI's allowlist for ${location.hostname}. The Playground view works offline.`,
    ),
    status,
    host,
  );
  loadScript().then(
    () => {
      const element = document.createElement('openai-chatkit') as ChatKitElement;
      element.style.display = 'block';
      element.style.height = '640px';
      host.append(element);
      element.setOptions({
        api: {
          url: absolute(config.apiUrl),
          domainKey,
          fetch: session.fetch,
          ...(config.uploadUrl
            ? { uploadStrategy: { type: 'direct', uploadUrl: absolute(config.uploadUrl) } }
            : config.twoPhaseUploads
              ? { uploadStrategy: { type: 'two_phase' } }
              : {}),
        },
        composer: { attachments: { enabled: Boolean(config.uploadUrl) || config.twoPhaseUploads } },
        threadItemActions: { feedback: true, retry: true },
      });
      status.textContent = `ChatKit.js loaded; talking to ${absolute(config.apiUrl)}.`;
    },
    (error: Error) => {
      status.textContent = `ChatKit.js did not load: ${error.message}. This view needs the internet; use the Playground view offline.`;
      status.classList.add('error');
    },
  );
}
