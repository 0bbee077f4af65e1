import { BreakwaterError } from '../core/errors/breakwater-error.js';

/**
 * Caps open job event streams per process and per tenant. Each stream holds a socket and
 * follows a job in the store until it ends, so without a cap one tenant could open enough of
 * them to starve every other tenant's reads.
 */
export class EventStreamSlots {
  private total = 0;
  private readonly byTenant = new Map<string, number>();

  constructor(private readonly limits: { total: number; perTenant: number }) {}

  /** Takes a slot for the tenant, or refuses; the returned release is safe to call twice. */
  enter(tenant: string): () => void {
    const held = this.byTenant.get(tenant) ?? 0;
    if (held >= this.limits.perTenant) {
      throw new BreakwaterError(
        'TOO_MANY_EVENT_STREAMS',
        `This tenant already has ${held} job event streams open (server.maxEventStreamsPerTenant); close some, or follow jobs by webhook.`,
        { retryAfterSeconds: 1, details: { limit: this.limits.perTenant } },
      );
    }
    if (this.total >= this.limits.total) {
      throw new BreakwaterError('SERVER_OVERLOADED', `Breakwater holds its maximum of ${this.limits.total} job event streams (server.maxEventStreams); retry shortly.`, {
        retryAfterSeconds: 1,
      });
    }
    this.total++;
    this.byTenant.set(tenant, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.byTenant.get(tenant) ?? 1) - 1;
      if (left === 0) this.byTenant.delete(tenant);
      else this.byTenant.set(tenant, left);
    };
  }
}
