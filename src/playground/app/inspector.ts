/**
 * The inspector beside the chat: every request (type, status, duration,
 * event count), its body, and each SSE event as it arrives with its time
 * since the request started; raw JSON on demand.
 */
import { h, prettyJson, replaceChildren } from './dom';
import type { Traffic, TrafficEntry } from './traffic';

export function mountInspector(root: HTMLElement, traffic: Traffic): void {
  const list = h('ol', { class: 'traffic', attrs: { 'aria-label': 'Requests' } });
  const views = new Map<number, HTMLElement>();
  const open = new Set<number>();
  let scheduled = new Set<TrafficEntry>();
  let frame = 0;

  const summary = (entry: TrafficEntry) => {
    const status = entry.outcome ?? (entry.status !== undefined ? String(entry.status) : 'pending');
    const bad = entry.outcome?.startsWith('network') || (entry.status !== undefined && entry.status >= 400);
    return h('summary', {},
      h('span', { class: 'req-type', text: entry.label }),
      h('span', { class: `req-status${bad ? ' bad' : ''}`, data: { status }, text: status }),
      h('span', { class: 'muted', text: `${entry.events.length ? `${entry.events.length} events · ` : ''}${entry.durationMs !== undefined ? `${entry.durationMs}ms` : '…'}` }),
    );
  };

  const render = (entry: TrafficEntry) => {
    const details = h('details', { class: 'req', data: { label: entry.label }, attrs: { open: open.has(entry.id) ? true : undefined } }, summary(entry));
    details.addEventListener('toggle', () => (details.open ? open.add(entry.id) : open.delete(entry.id)));
    details.append(
      h('div', { class: 'muted', text: `${entry.method} ${entry.url}` }),
      h('pre', { class: 'json', attrs: { 'aria-label': 'request body' }, text: prettyJson(entry.requestBody) }),
    );
    if (entry.events.length) {
      details.append(h('ol', { class: 'events' }, entry.events.map((event) => {
        const raw = h('pre', { class: 'json raw', text: '' });
        raw.hidden = true;
        return h('li', {},
          h('button', {
            class: 'event-row', attrs: { type: 'button', 'aria-expanded': 'false' },
            on: {
              click: (e) => {
                raw.hidden = !raw.hidden;
                if (!raw.hidden && !raw.textContent) raw.textContent = prettyJson(JSON.parse(event.raw));
                (e.currentTarget as HTMLElement).setAttribute('aria-expanded', String(!raw.hidden));
              },
            },
          }, h('span', { class: 'at', text: `+${event.atMs}ms` }), h('span', { class: 'event-type', text: event.type })),
          raw,
        );
      })));
    }
    if (entry.responseBody !== undefined) details.append(h('div', { class: 'item-label', text: 'response' }), h('pre', { class: 'json', text: prettyJson(entry.responseBody) }));
    const old = views.get(entry.id);
    views.set(entry.id, details);
    if (old) old.replaceWith(details);
    else list.prepend(h('li', {}, details));
  };

  traffic.subscribe((entry) => {
    if (!entry) {
      views.clear();
      replaceChildren(list);
      return;
    }
    // Many events per frame while streaming: draw each changed entry once per frame.
    scheduled.add(entry);
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      const pending = scheduled;
      scheduled = new Set();
      for (const changed of pending) render(changed);
    });
  });

  replaceChildren(root,
    h('div', { class: 'panel-header' }, h('h2', { text: 'Inspector' }), h('button', { class: 'small', attrs: { type: 'button' }, text: 'Clear', on: { click: () => traffic.clear() } })),
    list,
  );
}
