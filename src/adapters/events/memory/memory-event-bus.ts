import type { JobEventBus } from '../../../core/ports/job-events.js';
import type { JobEvent } from '../../../core/ports/job-store.js';

/** In-process fan-out for the embedded shape (one process serves and works). */
export class MemoryEventBus implements JobEventBus {
  private readonly listeners = new Map<string, Set<(event: JobEvent) => void>>();

  publish(event: JobEvent): void {
    const listeners = this.listeners.get(event.jobId);
    if (!listeners) return;
    for (const listener of [...listeners]) listener(event);
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    let listeners = this.listeners.get(jobId);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(jobId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(jobId) === listeners) this.listeners.delete(jobId);
    };
  }
}
