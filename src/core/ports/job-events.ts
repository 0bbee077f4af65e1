import type { JobEvent } from './job-store.js';

/**
 * Fans job events out to whoever follows a job (SSE clients, a worker waiting for a
 * cancellation). Events are stored first; the bus only carries news of them, so a follower
 * that misses one reads it back from the store by sequence number.
 */
export interface JobEventBus {
  publish(event: JobEvent): void;
  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void;
  close?(): Promise<void>;
}
