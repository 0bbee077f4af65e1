/** A single-consumer push queue exposed as an async iterable. */
export class Channel<T> {
  private readonly items: T[] = [];
  private done = false;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }

  end(): void {
    this.done = true;
    this.wake?.();
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.end();
  }

  async *iterate(onStop: () => void): AsyncGenerator<T> {
    let finished = false;
    try {
      for (;;) {
        const item = this.items.shift();
        if (item !== undefined) {
          yield item;
          continue;
        }
        if (this.failure) throw this.failure.error;
        if (this.done) {
          finished = true;
          return;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      if (!finished) onStop();
    }
  }
}
