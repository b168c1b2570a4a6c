/** A FIFO async mutex: one holder at a time, in arrival order; a failing holder releases it too. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  private held = 0;

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.held++;
    const result = this.tail.then(fn);
    this.tail = result.then(() => { this.held--; }, () => { this.held--; });
    return result;
  }

  /** Holders and waiters (for tests and metrics). */
  get pending(): number {
    return this.held;
  }
}
