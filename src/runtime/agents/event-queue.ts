/**
 * The queue between tools (which call `AgentContext` helpers while the Agents
 * SDK runs them) and `streamAgentResponse` (which merges those events with the
 * run's own). Consumers take items synchronously and only *wait* for the
 * queue to become non-empty, so an event can never be lost between a
 * consumer losing a race and the next look.
 */
export class EventQueue<T> {
  private items: T[] = [];
  private wake: (() => void) | undefined;
  private waiting: Promise<void> | undefined;

  push(item: T): void {
    this.items.push(item);
    const wake = this.wake;
    this.wake = undefined;
    this.waiting = undefined;
    wake?.();
  }

  get size(): number {
    return this.items.length;
  }

  /** Removes and returns everything queued, oldest first. */
  takeAll(): T[] {
    const items = this.items;
    this.items = [];
    return items;
  }

  /** Resolves once at least one item is queued (at once if one already is). Never rejects. */
  whenNonEmpty(): Promise<void> {
    if (this.items.length > 0) return Promise.resolve();
    this.waiting ??= new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    return this.waiting;
  }
}
