/**
 * Boots the playground: reads the backend's playground settings, then shows
 * either the offline Playground (threads, chat, inspector) or, with
 * `?view=chatkit`, the real ChatKit from OpenAI's CDN.
 */
import './styles.css';
import { ChatKitApi } from './api';
import { PlaygroundApp } from './app';
import { mountChatKitView } from './chatkit-view';
import { h, replaceChildren } from './dom';
import { mountInspector } from './inspector';
import { Session, type PlaygroundConfig } from './session';
import { Traffic } from './traffic';

function tabs(current: 'playground' | 'chatkit'): HTMLElement {
  const link = (view: 'playground' | 'chatkit', label: string) => {
    const url = new URL(location.href);
    if (view === 'chatkit') url.searchParams.set('view', 'chatkit');
    else url.searchParams.delete('view');
    return h('a', { class: `tab${current === view ? ' current' : ''}`, attrs: { href: url.href, 'aria-current': current === view ? 'page' : undefined }, text: label });
  };
  return h('nav', { class: 'tabs', attrs: { 'aria-label': 'Views' } }, link('playground', 'Playground (offline)'), link('chatkit', 'Real ChatKit (CDN)'));
}

function identity(session: Session): HTMLElement | null {
  const { auth } = session.config;
  if (auth === 'jwt' && session.config.tokenUrl) {
    return h('div', { class: 'identity' },
      h('span', { class: 'muted', text: 'JWT user ' }), h('code', { data: { userId: session.userId }, text: session.userId }),
      h('a', { attrs: { href: session.otherUserUrl(), target: '_blank' }, text: 'open another user ↗' }),
    );
  }
  if (auth === 'custom' || auth === 'jwt') {
    const input = h('input', { attrs: { placeholder: 'Authorization header, e.g. Bearer …', 'aria-label': 'Authorization header', value: session.customHeader } });
    input.addEventListener('change', () => {
      session.customHeader = input.value.trim();
      location.reload();
    });
    return h('label', { class: 'identity' }, h('span', { class: 'muted', text: 'Auth ' }), input);
  }
  return null;
}

async function boot(root: HTMLElement): Promise<void> {
  const response = await fetch('./playground-config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`playground-config.json answered ${response.status}`);
  const config = (await response.json()) as PlaygroundConfig;
  const traffic = new Traffic();
  const session = new Session(config, traffic);
  const view = new URL(location.href).searchParams.get('view') === 'chatkit' ? 'chatkit' : 'playground';

  const header = h('header', { class: 'topbar' },
    h('h1', { text: 'ChatKit playground' }),
    h('code', { class: 'endpoint', title: 'api.url', text: `POST ${config.apiUrl}` }),
    identity(session),
    tabs(view),
  );
  if (view === 'chatkit') {
    const main = h('main', { class: 'cdn-view' });
    replaceChildren(root, header, main);
    mountChatKitView(main, session);
    return;
  }
  const threads = h('aside', { class: 'left' });
  const chat = h('main', { class: 'chat' });
  const inspector = h('aside', { class: 'inspector', attrs: { 'aria-label': 'Inspector' } });
  replaceChildren(root, header, h('div', { class: 'layout' }, threads, chat, inspector));
  mountInspector(inspector, traffic);
  new PlaygroundApp(new ChatKitApi(config.apiUrl, config.uploadUrl, session.fetch, traffic), session).mount(threads, chat);
}

const root = document.getElementById('app')!;
boot(root).catch((error: unknown) => {
  replaceChildren(root, h('p', { class: 'stream-error', attrs: { role: 'alert' }, text: `The playground could not start: ${error instanceof Error ? error.message : String(error)}` }));
});
