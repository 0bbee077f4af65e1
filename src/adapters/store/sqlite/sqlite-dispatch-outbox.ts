import type { DispatchOutbox } from '../../../core/ports/dispatch-outbox.js';
import type { EnqueueRequest } from '../../../core/ports/queue.js';

/** The embedded queue item commits with its job (see SqliteJobStore.createJob): there is nothing to relay. */
export class SqliteDispatchOutbox implements DispatchOutbox {
  async claim(): Promise<EnqueueRequest[]> {
    return [];
  }

  async markDispatched(): Promise<void> {}
}
