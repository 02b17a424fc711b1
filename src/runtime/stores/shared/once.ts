/**
 * A start-up step (connect, migrate) run once, on first use. A failure is not
 * cached: the next call tries again, so a store created while its database
 * was briefly down recovers without being rebuilt.
 */
export class Once {
  private running: Promise<void> | undefined;

  constructor(private readonly run: () => Promise<void>) {}

  get(): Promise<void> {
    this.running ??= this.run().catch((error: unknown) => {
      this.running = undefined;
      throw error;
    });
    return this.running;
  }

  /** Whether the step was ever started (so `close()` knows whether to wait for it). */
  get started(): boolean {
    return this.running !== undefined;
  }
}
