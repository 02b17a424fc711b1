/**
 * The queue between tools (which call `AgentContext` helpers while the Agents
 * SDK runs them) and `streamAgentResponse` (which merges those events with the
 * run's own). The consumer takes items synchronously and is told when new
 * ones arrive, so an event can never be lost between two looks.
 */
export class EventQueue<T> {
  private items: T[] = [];
  private listener: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.listener?.();
  }

  /** Removes and returns everything queued, oldest first. */
  takeAll(): T[] {
    const items = this.items;
    this.items = [];
    return items;
  }

  /** Called after every push (one listener: the consumer). */
  onPush(listener: (() => void) | undefined): void {
    this.listener = listener;
  }
}

/**
 * Wakes one waiting consumer. A notification that arrives while nobody waits
 * is remembered, so `wait()` never misses one. Each wait is a fresh promise
 * with a single reaction: nothing accumulates over a long stream.
 */
export class Wakeup {
  private resolve: (() => void) | undefined;
  private notified = false;

  notify = (): void => {
    const resolve = this.resolve;
    if (resolve) {
      this.resolve = undefined;
      resolve();
    } else {
      this.notified = true;
    }
  };

  wait(): Promise<void> {
    if (this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
  }
}
