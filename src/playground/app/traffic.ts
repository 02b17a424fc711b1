/**
 * Everything the playground sent and received, for the inspector: each
 * request with its body and status, and each SSE event with its time since
 * the request started. Pure bookkeeping; the inspector view subscribes.
 */
export interface TrafficEvent {
  atMs: number;
  type: string;
  raw: string;
}

export interface TrafficEntry {
  id: number;
  method: string;
  url: string;
  /** The protocol `type`, or a label for non-protocol calls (upload, token). */
  label: string;
  requestBody: unknown;
  startedAt: number;
  status?: number;
  durationMs?: number;
  /** Non-streaming response body, or an error body. */
  responseBody?: unknown;
  events: TrafficEvent[];
  /** `aborted`, `network error: …` */
  outcome?: string;
}

export class Traffic {
  entries: TrafficEntry[] = [];
  private nextId = 1;
  private listeners = new Set<(entry: TrafficEntry) => void>();

  subscribe(listener: (entry: TrafficEntry) => void): void {
    this.listeners.add(listener);
  }

  start(method: string, url: string, label: string, requestBody: unknown): TrafficEntry {
    const entry: TrafficEntry = { id: this.nextId++, method, url, label, requestBody, startedAt: performance.now(), events: [] };
    this.entries.push(entry);
    this.changed(entry);
    return entry;
  }

  event(entry: TrafficEntry, raw: string): void {
    let type = '?';
    try {
      const parsed = JSON.parse(raw) as { type?: string; update?: { type?: string } };
      type = parsed.type === 'thread.item.updated' && parsed.update?.type ? `${parsed.type} · ${parsed.update.type}` : String(parsed.type);
    } catch {
      type = 'invalid JSON';
    }
    entry.events.push({ atMs: Math.round(performance.now() - entry.startedAt), type, raw });
    this.changed(entry);
  }

  finish(entry: TrafficEntry, fields: Partial<Pick<TrafficEntry, 'status' | 'responseBody' | 'outcome'>>): void {
    Object.assign(entry, fields);
    entry.durationMs ??= Math.round(performance.now() - entry.startedAt);
    this.changed(entry);
  }

  /** Headers received: the status is known while the body still streams. */
  status(entry: TrafficEntry, status: number): void {
    entry.status = status;
    this.changed(entry);
  }

  clear(): void {
    this.entries = [];
    this.changed(undefined as unknown as TrafficEntry);
  }

  private changed(entry: TrafficEntry): void {
    for (const listener of this.listeners) listener(entry);
  }
}
